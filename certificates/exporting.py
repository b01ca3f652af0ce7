"""Certificates of a unit for HR: every PDF as one ZIP (streamed, or built in the background
when large) and a CSV for the personnel system (formulas neutralised as in staff exports)."""

import csv
import zipfile
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lms.site_url import site_url
from staff.exporting import escape_formula
from staff.models import OrgUnit

from .models import Certificate
from .selectors import certificate_list_in_scope, certificate_live_status

# up to this many files a ZIP is streamed to the browser (about 20 MB, well inside the web
# timeout); more are packed by a Celery task and downloaded from the export's page
ZIP_STREAM_MAX = 300
ZIP_CHUNK = 64 * 1024


def certificate_export_queryset(
    *, user, unit: OrgUnit | None = None, only_valid: bool = True
) -> QuerySet[Certificate]:
    """The certificates the user may see, optionally under `unit` (intersected with the scope:
    a unit outside it yields nothing), optionally only those not revoked or superseded and
    not expired."""
    certificates = certificate_list_in_scope(user=user).select_related(
        "staff__org_unit", "staff__position", "template"
    )
    if unit is not None:
        certificates = certificates.filter(staff__org_unit__path__startswith=unit.path)
    if only_valid:
        certificates = certificates.filter(
            status=Certificate.Status.VALID, valid_until__gte=timezone.localdate()
        )
    return certificates.order_by("staff__org_unit__code", "staff__personnel_number", "serial")


def zip_member_name(certificate: Certificate) -> str:
    # ASCII names: Vietnamese file names are garbled by some unzip tools on Windows
    # a revoked or replaced certificate's file says so in its name (its QR code says so too)
    staff = certificate.staff
    mark = ZIP_STATUS_MARKS.get(certificate.status, "")
    return f"{staff.org_unit.code}/{staff.personnel_number}_{certificate.serial}{mark}.pdf"


ZIP_STATUS_MARKS = {
    Certificate.Status.REVOKED: "_DA-THU-HOI",
    Certificate.Status.SUPERSEDED: "_DA-THAY-THE",
}


class _Sink:
    """A write-only stream for zipfile that hands the written bytes to a generator. It can
    tell but not seek, so zipfile writes data descriptors and never goes back."""

    def __init__(self):
        self._chunks: list[bytes] = []
        self._position = 0

    def write(self, data) -> int:
        self._chunks.append(bytes(data))
        self._position += len(data)
        return len(data)

    def tell(self) -> int:
        return self._position

    def flush(self) -> None:
        pass

    def drain(self) -> Iterator[bytes]:
        chunks, self._chunks = self._chunks, []
        yield from chunks


def zip_stream(certificates: Iterable[Certificate], *, progress=None) -> Iterator[bytes]:
    """The certificates' PDFs as a ZIP, produced piece by piece (memory stays constant).
    Certificates whose PDF is not rendered yet are skipped."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for count, certificate in enumerate(certificates, start=1):
            if certificate.pdf:
                info = zipfile.ZipInfo(
                    zip_member_name(certificate), date_time=certificate.issued_on.timetuple()[:6]
                )
                info.compress_type = zipfile.ZIP_DEFLATED
                with certificate.pdf.open("rb") as source, archive.open(info, "w") as target:
                    while chunk := source.read(ZIP_CHUNK):
                        target.write(chunk)
                        yield from sink.drain()
            if progress is not None:
                progress(count)
            yield from sink.drain()
    yield from sink.drain()


CSV_COLUMNS = [
    "personnel_number",
    "full_name",
    "unit_code",
    "unit_name",
    "position_code",
    "position_name",
    "serial",
    "certificate",
    "competencies",
    "issued_on",
    "valid_until",
    "status",
    "verify_url",
]


def _csv_header() -> list[str]:
    labels = {
        "personnel_number": _("Personnel number"),
        "full_name": _("Full name"),
        "unit_code": _("Unit code"),
        "unit_name": _("Unit name"),
        "position_code": _("Position code"),
        "position_name": _("Position name"),
        "serial": _("Serial number"),
        "certificate": _("Certificate"),
        "competencies": _("Competencies and levels"),
        "issued_on": _("Issued on"),
        "valid_until": _("Valid until"),
        "status": _("Status"),
        "verify_url": _("Verification URL"),
    }
    return [labels[c] for c in CSV_COLUMNS]


def csv_rows(certificates: Iterable[Certificate], *, base_url: str = "") -> Iterator[list[str]]:
    """Header, then one row per certificate; every text cell escaped against formulas. The
    status is its Vietnamese label as HR reads it on screen (valid, expiring soon, no longer
    valid, revoked, superseded), dates are dd/mm/yyyy; `base_url` starts the verification
    links (the address the export was asked from, or SITE_URL)."""
    yield _csv_header()
    today = timezone.localdate()
    base_url = base_url or site_url()
    for c in certificates:
        yield [
            escape_formula(str(value))
            for value in (
                c.staff.personnel_number,
                c.holder_name,
                c.staff.org_unit.code,
                c.unit_name,
                c.staff.position.code,
                c.position_name,
                c.serial,
                c.template.title,
                # "MET-01 (2. Vận dụng); RAD-01 (1. Nhận biết)", not "MET-01:2"
                "; ".join(
                    f"{x.get('code', '')} ({x.get('level', '')})"
                    if x.get("level")
                    else x.get("code", "")
                    for x in c.competencies
                ),
                date_format(c.issued_on, "d/m/Y"),
                date_format(c.valid_until, "d/m/Y"),
                certificate_live_status(certificate=c, today=today).label,
                base_url + reverse("certificates:verify", args=[c.verification_code]),
            )
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(certificates: Iterable[Certificate], *, base_url: str = "") -> Iterator[bytes]:
    """UTF-8 with a byte-order mark (Excel then reads Vietnamese correctly), row by row."""
    writer = csv.writer(_Echo())
    yield "\ufeff".encode()
    for row in csv_rows(certificates, base_url=base_url):
        yield writer.writerow(row).encode("utf-8")


def csv_bytes(certificates: Iterable[Certificate], *, base_url: str = "") -> bytes:
    return b"".join(csv_stream(certificates, base_url=base_url))
