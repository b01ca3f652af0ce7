"""Issuing certificates exactly once and producing their PDF files."""

import hashlib
import html
import re
import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from assessments.models import Attempt
from competencies.models import CompetencyRecord
from competencies.services import add_months
from staff.models import StaffRecord

from .models import Certificate, CertificateTemplate, SerialCounter
from .pdf import certificate_pdf_bytes

PLACEHOLDER = re.compile(r"\{(holder|position|unit|competencies|issued_on|valid_until|serial)\}")


def verification_code_new() -> str:
    # 32 random bytes = 256 bits, URL-safe; unrelated to serial or holder
    return secrets.token_urlsafe(32)


def verify_url(*, certificate: Certificate) -> str:
    return settings.SITE_URL + reverse("certificates:verify", args=[certificate.verification_code])


def serial_next(*, year: int) -> str:
    """The next serial of the year, e.g. CC-2026-000042. Must run inside a transaction."""
    SerialCounter.objects.get_or_create(year=year)
    counter = SerialCounter.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"CC-{year}-{counter.last:06d}"


def certificate_issue(
    *,
    staff: StaffRecord,
    template: CertificateTemplate,
    basis: str,
    competencies: list[dict],
) -> Certificate:
    """One certificate per (holder, template, basis): a repeat or a concurrent call returns
    the one that exists. The PDF is rendered in the background after commit."""
    existing = Certificate.objects.filter(staff=staff, template=template, basis=basis).first()
    if existing:
        return existing
    issued_on = timezone.localdate()
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                serial=serial_next(year=issued_on.year),
                staff=staff,
                template=template,
                basis=basis,
                competencies=competencies,
                holder_name=staff.full_name,
                position_name=staff.position.name,
                unit_name=staff.org_unit.name,
                issued_on=issued_on,
                valid_until=add_months(issued_on, template.validity_months),
                verification_code=verification_code_new(),
            )
    except IntegrityError:
        return Certificate.objects.get(staff=staff, template=template, basis=basis)
    from .tasks import certificate_render_pdf_task

    transaction.on_commit(lambda: certificate_render_pdf_task.delay(certificate.pk))
    return certificate


def certificate_issue_for_attempt(*, attempt: Attempt) -> list[Certificate]:
    """A passed certification exam earns each active template that names that exam."""
    if not attempt.passed:
        return []
    records = CompetencyRecord.objects.filter(
        staff=attempt.staff, evidence_ref=f"attempt:{attempt.pk}"
    ).select_related("competency", "level")
    attested = [
        {"code": r.competency.code, "title": r.competency.title, "level": str(r.level)}
        for r in records.order_by("competency__code")
    ]
    if not attested:
        return []
    return [
        certificate_issue(
            staff=attempt.staff,
            template=template,
            basis=f"attempt:{attempt.pk}",
            competencies=attested,
        )
        for template in CertificateTemplate.objects.filter(exam=attempt.exam, active=True)
    ]


def certificate_body_html(*, certificate: Certificate) -> str:
    """The template body with its placeholders filled; everything escaped, newlines kept."""
    values = {
        "holder": certificate.holder_name,
        "position": certificate.position_name,
        "unit": certificate.unit_name,
        "competencies": ", ".join(f"{c['code']} {c['title']}" for c in certificate.competencies),
        "issued_on": date_format(certificate.issued_on, "d/m/Y"),
        "valid_until": date_format(certificate.valid_until, "d/m/Y"),
        "serial": certificate.serial,
    }
    escaped = html.escape(certificate.template.body)
    filled = PLACEHOLDER.sub(lambda m: html.escape(values[m.group(1)]), escaped)
    return filled.replace("\n", "<br>")


def certificate_render_pdf(*, certificate_id: int) -> Certificate:
    """Render and store the PDF and its SHA-256. Running it again on a rendered certificate
    changes nothing."""
    certificate = Certificate.objects.select_related("template").get(pk=certificate_id)
    if certificate.pdf:
        return certificate
    data = certificate_pdf_bytes(
        context={
            "certificate": certificate,
            "template": certificate.template,
            "body_html": certificate_body_html(certificate=certificate),
            "verify_url": verify_url(certificate=certificate),
        }
    )
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.pdf:
            return locked
        locked.pdf.save(f"{locked.serial}.pdf", ContentFile(data), save=False)
        locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
        locked.save(update_fields=["pdf", "pdf_sha256"])
    return locked


def certificates_render_pending() -> int:
    """Periodic catch-up: render every certificate whose PDF is still missing."""
    pending = list(Certificate.objects.filter(pdf="").values_list("pk", flat=True))
    for certificate_id in pending:
        certificate_render_pdf(certificate_id=certificate_id)
    return len(pending)
