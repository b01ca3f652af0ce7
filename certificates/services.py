"""Issuing certificates exactly once and producing their PDF files."""

import base64
import hashlib
import html
import logging
import secrets
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile, File
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from assessments.models import Attempt
from competencies.models import CompetencyRecord
from competencies.selectors import (
    framework_published,
    requirement_statuses_for_staff,
    statuses_are_compliant,
)
from competencies.services import add_months, competency_records_withdraw
from lms.queue import task_enqueue, task_enqueue_on_commit
from lms.site_url import site_url_of_request
from staff.models import StaffRecord
from staff.selectors import staff_in_scope_of, staff_list_in_scope

from .links import certificate_site_url, verify_url
from .models import (
    Certificate,
    CertificateExport,
    CertificateTemplate,
    ExpiryReminder,
    IssuanceJob,
    SerialCounter,
    SigningCertificate,
)
from .pdf import certificate_pdf_bytes
from .placeholders import PLACEHOLDER
from .signing import SigningSession, certificate_fingerprint, signer_get

logger = logging.getLogger(__name__)


def verification_code_new() -> str:
    # 32 random bytes = 256 bits, URL-safe; unrelated to serial or holder
    return secrets.token_urlsafe(32)


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
    valid_until: date | None = None,
    render: bool = True,
) -> Certificate:
    """One certificate per (holder, template, basis): a repeat or a concurrent call returns
    the one that exists. It is valid for the template's months, or until `valid_until` when the
    evidence expires sooner. The PDF is rendered and signed in the background after commit
    (`render=False`: the caller renders a batch itself)."""
    certificate, _created = _certificate_create(
        staff=staff,
        template=template,
        basis=basis,
        competencies=competencies,
        valid_until=valid_until,
        render=render,
    )
    return certificate


def _certificate_create(
    *,
    staff: StaffRecord,
    template: CertificateTemplate,
    basis: str,
    competencies: list[dict],
    valid_until: date | None = None,
    render: bool = True,
) -> tuple[Certificate, bool]:
    existing = Certificate.objects.filter(staff=staff, template=template, basis=basis).first()
    if existing:
        return existing, False
    issued_on = timezone.localdate()
    until = add_months(issued_on, template.validity_months)
    if valid_until is not None:
        until = max(issued_on, min(until, valid_until))
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
                valid_until=until,
                verification_code=verification_code_new(),
                site_url=site_url_of_request(),
            )
    except IntegrityError:
        return Certificate.objects.get(staff=staff, template=template, basis=basis), False
    if render:
        task_enqueue_on_commit("certificates.tasks.certificate_render_pdf_task", certificate.pk)
    return certificate, True


# --- revocation and re-issue --------------------------------------------------------------

REVOKE_PERMISSION = "certificates.revoke_certificate"
LOG_REVOKE = "certificates.certificate.revoke"
LOG_REISSUE = "certificates.certificate.reissue"
LOG_REPLACEMENT = "certificates.certificate.replacement"


class CertificateActionError(Exception):
    """A revocation or re-issue that cannot be done; the message is for the user."""


def _may_change(*, user, certificate: Certificate) -> None:
    if user is None:
        return  # the command line and the system itself
    if not user.has_perm(REVOKE_PERMISSION) or not staff_in_scope_of(
        user=user, staff=certificate.staff
    ):
        raise PermissionDenied


def _reason_clean(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise CertificateActionError(
            _("Explain the reason: it is kept in the history, not published.")
        )
    return reason[:1000]


def _public_reason_clean(public_reason: str) -> str:
    if public_reason not in Certificate.REVOKE_REASONS:
        raise CertificateActionError(
            _("Choose the reason published on the verification page from the list.")
        )
    return str(public_reason)


def certificate_evidence_basis(*, certificate: Certificate) -> str:
    """What earned a certificate, through its re-issues: a re-issue (basis `reissue:<old id>`)
    carries the evidence of the certificate it replaced."""
    basis = certificate.basis
    for _hop in range(100):  # a chain of re-issues; never a loop, but bounded anyway
        kind, _sep, old_id = basis.partition(":")
        if kind != "reissue" or not old_id.isdigit():
            break
        previous = (
            Certificate.objects.filter(pk=int(old_id)).values_list("basis", flat=True).first()
        )
        if previous is None:
            break
        basis = previous
    return basis


def _evidence_withdraw(*, certificate: Certificate) -> int:
    """The competency evidence a revoked certificate carried (the records of its exam attempt)
    stops counting, unless another valid certificate of the holder still attests the same
    evidence (a second template issued on the same exam)."""
    basis = certificate_evidence_basis(certificate=certificate)
    others = Certificate.objects.filter(
        staff_id=certificate.staff_id, status=Certificate.Status.VALID
    ).exclude(pk=certificate.pk)
    if any(certificate_evidence_basis(certificate=c) == basis for c in others):
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        reason = _("Certificate %(serial)s revoked on %(date)s: %(reason)s") % {
            "serial": certificate.serial,
            "date": date_format(timezone.localdate(certificate.status_changed_at), "d/m/Y"),
            "reason": certificate.get_public_reason_display(),
        }
    return competency_records_withdraw(
        staff_id=certificate.staff_id, evidence_ref=basis, reason=reason
    )


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, by, public_reason: str, reason: str
) -> Certificate:
    """HR (in scope) and administrators revoke a valid certificate. The verification page
    publishes the reason chosen from a list (`public_reason`, one of
    Certificate.REVOKE_REASONS); HR's own explanation (`reason`) is kept in the admin and the
    audit log only. The competency evidence it carried is withdrawn, so the holder's standing
    falls back to their other evidence."""
    _may_change(user=by, certificate=certificate)
    public_reason = _public_reason_clean(public_reason)
    reason = _reason_clean(reason)
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.status != Certificate.Status.VALID:
        raise CertificateActionError(_("Only a valid certificate can be revoked."))
    locked.status = Certificate.Status.REVOKED
    locked.public_reason = public_reason
    locked.status_reason = reason
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "public_reason", "status_reason", "status_changed_at"])
    withdrawn = _evidence_withdraw(certificate=locked)
    log(
        locked,
        LOG_REVOKE,
        user=by,
        data={"reason": reason, "public_reason": public_reason, "records_withdrawn": withdrawn},
    )
    return locked


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Replace a valid, unexpired certificate by a new one (new serial and code; the holder's
    name, position and unit as they are now; the same template, competencies and expiry). The
    old one becomes superseded and points at the new one; both changes are audited. Re-issuing
    the same certificate twice is refused (and the database allows one replacement)."""
    _may_change(user=by, certificate=certificate)
    reason = _reason_clean(reason)
    old = (
        Certificate.objects.select_for_update()
        .select_related("staff__org_unit", "staff__position", "template")
        .get(pk=certificate.pk)
    )
    if old.status != Certificate.Status.VALID:
        raise CertificateActionError(_("Only a valid certificate can be re-issued."))
    today = timezone.localdate()
    if old.valid_until < today:
        raise CertificateActionError(
            _("An expired certificate is not re-issued: the holder is certified again.")
        )
    staff = old.staff
    new = Certificate.objects.create(
        serial=serial_next(year=today.year),
        staff=staff,
        template=old.template,
        basis=f"reissue:{old.pk}",
        competencies=old.competencies,
        holder_name=staff.full_name,
        position_name=staff.position.name,
        unit_name=staff.org_unit.name,
        issued_on=today,
        valid_until=old.valid_until,
        verification_code=verification_code_new(),
        site_url=site_url_of_request() or old.site_url,
    )
    old.status = Certificate.Status.SUPERSEDED
    old.public_reason = Certificate.PublicReason.DATA_CORRECTED
    old.status_reason = reason
    old.status_changed_at = timezone.now()
    old.superseded_by = new
    old.save(
        update_fields=[
            "status",
            "public_reason",
            "status_reason",
            "status_changed_at",
            "superseded_by",
        ]
    )
    log(old, LOG_REISSUE, user=by, data={"reason": reason, "successor": new.serial})
    log(new, LOG_REPLACEMENT, user=by, data={"reason": reason, "replaces": old.serial})
    task_enqueue_on_commit("certificates.tasks.certificate_render_pdf_task", new.pk)
    return new


def certificate_issue_for_attempt(*, attempt: Attempt) -> list[Certificate]:
    """A passed certification exam earns each active template that names that exam; the
    certificate does not outlive the competency records the exam produced."""
    if not attempt.passed:
        return []
    records = list(
        CompetencyRecord.objects.filter(
            staff=attempt.staff, evidence_ref=f"attempt:{attempt.pk}", withdrawn_at__isnull=True
        )
        .select_related("competency", "level")
        .order_by("competency__code")
    )
    if not records:
        return []
    attested = [
        {"code": r.competency.code, "title": r.competency.title, "level": str(r.level)}
        for r in records
    ]
    return [
        certificate_issue(
            staff=attempt.staff,
            template=template,
            basis=f"attempt:{attempt.pk}",
            competencies=attested,
            valid_until=min(r.valid_until for r in records),
        )
        for template in CertificateTemplate.objects.filter(exam=attempt.exam, active=True)
    ]


def certificate_issue_for_course(*, staff: StaffRecord, course) -> list[Certificate]:
    """Completing a course earns each active template that names the course; it attests the
    competencies the course teaches, at the level it brings them to."""
    templates = list(CertificateTemplate.objects.filter(course=course, active=True))
    if not templates:
        return []
    attested = [
        {"code": t.competency.code, "title": t.competency.title, "level": str(t.level)}
        for t in course.taught.select_related("competency", "level").order_by("competency__code")
    ]
    return [
        certificate_issue(
            staff=staff, template=template, basis=f"course:{course.pk}", competencies=attested
        )
        for template in templates
    ]


def _recertified_reason() -> str:
    # stored, and shown to the public, in the site's language whoever triggered it
    with translation.override(settings.LANGUAGE_CODE):
        return _("Re-certified: a new position certificate replaces this one.")


def certificates_issue_for_positions(*, staff_ids: list[int]) -> list[Certificate]:
    """A position certificate for each active staff member who meets every requirement of
    their position (met or expiring, per competencies.selectors), valid until their earliest
    evidence expires. The basis is the framework and that date, so a repeat or a concurrent
    evaluation issues nothing new; renewed evidence (a later date) issues a new certificate
    that supersedes the previous one."""
    templates: dict[int, list[CertificateTemplate]] = {}
    for template in CertificateTemplate.objects.filter(active=True, position__isnull=False):
        templates.setdefault(template.position_id, []).append(template)
    framework = framework_published()
    if not templates or framework is None or not staff_ids:
        return []
    staff = StaffRecord.objects.filter(
        pk__in=list(staff_ids), active=True, position_id__in=list(templates)
    ).select_related("org_unit", "position")
    statuses = requirement_statuses_for_staff(staff=staff)
    issued = []
    for holder in staff:
        mine = statuses.get(holder.pk, [])
        if not statuses_are_compliant(mine):
            continue
        until = min(s.valid_until for s in mine)
        attested = [
            {
                "code": s.requirement.competency.code,
                "title": s.requirement.competency.title,
                "level": str(s.level),
            }
            for s in mine
        ]
        for template in templates[holder.position_id]:
            issued.append(
                _position_certificate_issue(
                    staff=holder,
                    template=template,
                    basis=f"position:{framework.pk}:{until.isoformat()}",
                    competencies=attested,
                    valid_until=until,
                )
            )
    return issued


@transaction.atomic
def _position_certificate_issue(*, staff, template, basis, competencies, valid_until):
    certificate, created = _certificate_create(
        staff=staff,
        template=template,
        basis=basis,
        competencies=competencies,
        valid_until=valid_until,
    )
    if created:
        previous = (
            Certificate.objects.select_for_update()
            .filter(staff=staff, template=template, status=Certificate.Status.VALID)
            .exclude(pk=certificate.pk)
            .order_by("-issued_on", "-pk")
        )
        reason = _recertified_reason()
        for number, old in enumerate(previous):
            old.status = Certificate.Status.SUPERSEDED
            old.public_reason = Certificate.PublicReason.RECERTIFIED
            old.status_reason = reason
            old.status_changed_at = timezone.now()
            # one certificate replaces one: older ones (there should be none) only change status
            old.superseded_by = certificate if number == 0 else None
            old.save(
                update_fields=[
                    "status",
                    "public_reason",
                    "status_reason",
                    "status_changed_at",
                    "superseded_by",
                ]
            )
            log(
                old,
                LOG_REISSUE,
                user=None,
                data={"reason": reason, "successor": certificate.serial},
            )
    return certificate


def certificate_body_html(*, certificate: Certificate) -> str:
    """The template body with its placeholders filled; everything escaped, newlines kept."""
    values = {
        "holder": certificate.holder_name,
        "position": certificate.position_name,
        "unit": certificate.unit_name,
        "competencies": ", ".join(
            f"{c.get('code', '')} {c.get('title', '')}"
            + (f" ({c['level']})" if c.get("level") else "")
            for c in certificate.competencies
        ),
        "issued_on": date_format(certificate.issued_on, "d/m/Y"),
        "valid_until": date_format(certificate.valid_until, "d/m/Y"),
        "serial": certificate.serial,
    }
    escaped = html.escape(certificate.template.body)
    filled = PLACEHOLDER.sub(lambda m: html.escape(values[m.group(1)]), escaped)
    return filled.replace("\n", "<br>")


@dataclass(frozen=True)
class OpenSigner:
    """A signing session and the database row of the certificate it signs with."""

    session: SigningSession
    record: SigningCertificate


def signing_certificate_register(*, certificate) -> SigningCertificate:
    """Record (once) the X.509 certificate of a key that signs: it is then published and
    trusted when uploaded files are checked, even after the key is rotated."""
    fingerprint = certificate_fingerprint(certificate)
    existing = SigningCertificate.objects.filter(fingerprint=fingerprint).first()
    if existing is not None:
        return existing
    pem = (
        "-----BEGIN CERTIFICATE-----\n"
        + "\n".join(textwrap.wrap(base64.b64encode(certificate.dump()).decode("ascii"), 64))
        + "\n-----END CERTIFICATE-----\n"
    )
    try:
        with transaction.atomic():
            return SigningCertificate.objects.create(
                fingerprint=fingerprint,
                pem=pem,
                subject=certificate.subject.human_friendly[:500],
                not_after=certificate.not_valid_after,
            )
    except IntegrityError:  # registered by a concurrent session
        return SigningCertificate.objects.get(fingerprint=fingerprint)


@contextmanager
def signing_open() -> Iterator[OpenSigner]:
    """Open the configured key once for a batch (one token login for PKCS#11)."""
    with signer_get().session() as session:
        yield OpenSigner(session, signing_certificate_register(certificate=session.certificate))


def certificate_pdf_context(*, certificate: Certificate) -> dict:
    return {
        "certificate": certificate,
        "template": certificate.template,
        "body_html": certificate_body_html(certificate=certificate),
        "verify_url": verify_url(certificate=certificate),
    }


def certificate_render_pdf(*, certificate_id: int, signer: OpenSigner | None = None) -> Certificate:
    """Render, sign (PAdES) and store the PDF and the SHA-256 of the signed file, and the signed
    Open Badges credential. Running it again on a signed certificate changes nothing; a file
    rendered before signing existed is signed as it is (its content is what the holder already
    has)."""
    certificate = Certificate.objects.select_related("template").get(pk=certificate_id)
    if certificate.pdf and certificate.signed_at and certificate.badge_jwt:
        return certificate
    if signer is None:
        with signing_open() as opened:
            return certificate_render_pdf(certificate_id=certificate_id, signer=opened)
    from .badges import openbadge_jwt

    badge = openbadge_jwt(certificate=certificate, session=signer.session)
    data = None
    if not (certificate.pdf and certificate.signed_at):
        if certificate.pdf:
            with certificate.pdf.open("rb") as fh:
                unsigned = fh.read()
        else:
            unsigned = certificate_pdf_bytes(
                context=certificate_pdf_context(certificate=certificate)
            )
        data = signer.session.sign_pdf(
            unsigned,
            reason=f"Chứng chỉ số {certificate.serial}",
            location=certificate.template.issuer,
        )
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate_id)
        if locked.pdf and locked.signed_at and locked.badge_jwt:
            return locked
        fields = []
        if data is not None and not (locked.pdf and locked.signed_at):
            old_name = locked.pdf.name
            locked.pdf.save(f"{locked.serial}.pdf", ContentFile(data), save=False)
            locked.pdf_sha256 = hashlib.sha256(data).hexdigest()
            locked.signed_at = timezone.now()
            locked.signed_by = signer.record
            fields += ["pdf", "pdf_sha256", "signed_at", "signed_by"]
            if old_name:
                storage = locked.pdf.storage
                transaction.on_commit(lambda: storage.delete(old_name))
        if not locked.badge_jwt:
            locked.badge_jwt = badge
            fields.append("badge_jwt")
        locked.save(update_fields=fields)
    return locked


def certificates_render_batch(*, certificate_ids: list[int]) -> int:
    """Render and sign many certificates with one signing session; returns how many."""
    if not certificate_ids:
        return 0
    with signing_open() as signer:
        for certificate_id in certificate_ids:
            certificate_render_pdf(certificate_id=certificate_id, signer=signer)
    return len(certificate_ids)


def certificates_render_pending(*, chunk_size: int = 100) -> int:
    """Periodic catch-up: render and sign every certificate whose signed PDF (or signed badge)
    is missing."""
    pending = list(
        Certificate.objects.filter(
            Q(pdf="") | Q(signed_at__isnull=True) | Q(badge_jwt="")
        ).values_list("pk", flat=True)
    )
    for start in range(0, len(pending), chunk_size):
        certificates_render_batch(certificate_ids=pending[start : start + chunk_size])
    return len(pending)


# --- bulk issuance -------------------------------------------------------------------------

ISSUANCE_CHUNK = 50
ISSUANCE_MAX_STAFF = 20_000


class IssuanceError(Exception):
    """A bulk issuance that cannot be created; the message is for the user."""


@transaction.atomic
def issuance_job_create(
    *, template: CertificateTemplate, staff: QuerySet[StaffRecord], by, start: bool = True
) -> IssuanceJob:
    """Issue the template to every active staff member of `staff` inside the creator's scope
    (`by=None`: the command line, no scope), once each (a job issues at most one certificate
    per holder), in the background (`start=False`: the caller runs the chunks itself)."""
    scope = StaffRecord.objects.all() if by is None else staff_list_in_scope(user=by)
    staff_ids = list(
        scope.filter(pk__in=staff.values("pk"), active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not staff_ids:
        raise IssuanceError(_("No staff member in your scope matches."))
    if len(staff_ids) > ISSUANCE_MAX_STAFF:
        raise IssuanceError(
            _("At most %(max)s certificates can be issued at once; %(count)s were selected.")
            % {"max": ISSUANCE_MAX_STAFF, "count": len(staff_ids)}
        )
    job = IssuanceJob.objects.create(
        template=template, created_by=by, staff_ids=staff_ids, total=len(staff_ids)
    )
    if start:
        task_enqueue_on_commit("certificates.tasks.issuance_job_run_task", job.pk)
    return job


def issuance_job_run(*, job_id: int) -> int:
    """Claim a queued job and send one task per chunk of holders, so that several workers
    share the job. Returns the number of chunks sent (0 when the job was already claimed)."""
    claimed = IssuanceJob.objects.filter(pk=job_id, status=IssuanceJob.Status.QUEUED).update(
        status=IssuanceJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return 0
    total = IssuanceJob.objects.values_list("total", flat=True).get(pk=job_id)
    starts = list(range(0, total, ISSUANCE_CHUNK))
    for start in starts:
        task_enqueue("certificates.tasks.issuance_job_chunk_task", job_id, start)
    return len(starts)


def issuance_job_chunk(*, job_id: int, start: int) -> IssuanceJob:
    """Issue, render and sign one chunk of a job with one signing session, then publish the
    progress. Running a chunk again issues nothing twice (the basis is the job)."""
    job = IssuanceJob.objects.select_related("template").get(pk=job_id)
    ids = job.staff_ids[start : start + ISSUANCE_CHUNK]
    holders = StaffRecord.objects.select_related("org_unit", "position").filter(pk__in=ids)
    issued = [
        certificate_issue(
            staff=holder, template=job.template, basis=job.basis, competencies=[], render=False
        )
        for holder in holders
    ]
    certificates_render_batch(certificate_ids=[c.pk for c in issued if not c.signed_at])
    return issuance_job_progress_update(job=job)


def issuance_job_progress_update(*, job: IssuanceJob) -> IssuanceJob:
    """Progress is counted, not incremented, so a chunk delivered twice is not counted twice."""
    done = Certificate.objects.filter(
        template_id=job.template_id, basis=job.basis, signed_at__isnull=False
    ).count()
    IssuanceJob.objects.filter(pk=job.pk).update(processed=done)
    if done >= job.total:
        IssuanceJob.objects.filter(pk=job.pk, status=IssuanceJob.Status.RUNNING).update(
            status=IssuanceJob.Status.DONE, finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def issuance_job_fail(*, job_id: int, error: str) -> None:
    IssuanceJob.objects.filter(pk=job_id).exclude(status=IssuanceJob.Status.DONE).update(
        status=IssuanceJob.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


# --- exports --------------------------------------------------------------------------------


@transaction.atomic
def certificate_export_create(*, user, unit, only_valid: bool) -> CertificateExport:
    """A ZIP of the certificates of a unit's subtree (in the user's scope), built in the
    background; the user downloads it from the export's page."""
    from .exporting import certificate_export_queryset

    total = certificate_export_queryset(user=user, unit=unit, only_valid=only_valid).count()
    export = CertificateExport.objects.create(
        created_by=user, org_unit=unit, only_valid=only_valid, total=total
    )
    task_enqueue_on_commit("certificates.tasks.certificate_export_build_task", export.pk)
    return export


def certificate_export_build(*, export_id: int) -> CertificateExport:
    """Pack the ZIP into the private storage, publishing progress as it goes. The scope is the
    requester's as it is now. A second delivery of the task finds the export claimed."""
    from .exporting import certificate_export_queryset, zip_stream

    claimed = CertificateExport.objects.filter(
        pk=export_id, status=CertificateExport.Status.QUEUED
    ).update(status=CertificateExport.Status.RUNNING)
    export = CertificateExport.objects.select_related("created_by", "org_unit").get(pk=export_id)
    if not claimed:
        return export
    certificates = certificate_export_queryset(
        user=export.created_by, unit=export.org_unit, only_valid=export.only_valid
    )

    def progress(count: int) -> None:
        if count % 50 == 0:
            CertificateExport.objects.filter(pk=export_id).update(processed=count)

    try:
        with tempfile.TemporaryFile() as spool:
            for chunk in zip_stream(certificates.iterator(500), progress=progress):
                spool.write(chunk)
            spool.seek(0)
            export.file.save(f"certificates-{export.pk}.zip", File(spool), save=False)
    except Exception as exc:
        CertificateExport.objects.filter(pk=export_id).update(
            status=CertificateExport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    CertificateExport.objects.filter(pk=export_id).update(
        file=export.file.name,
        processed=export.total,
        status=CertificateExport.Status.DONE,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


# --- expiry reminders -------------------------------------------------------------------------


def reminder_threshold(*, days_left: int, thresholds: list[int]) -> int | None:
    """The threshold a certificate with `days_left` has reached: the smallest one not below
    it (with 90/30/7: 45 days left → 90, 20 → 30, 3 → 7; 100 → none)."""
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None


def _hr_officers_for(unit) -> list:
    """The HR officers of the closest unit (itself or an ancestor) that has any: a commune's
    own HR, else the province's, not every HR officer up to the ministry."""
    from staff.models import HRAssignment

    ancestors = [unit.path[:i] for i in range(unit.steplen, len(unit.path) + 1, unit.steplen)]
    assignments = (
        HRAssignment.objects.filter(org_unit__path__in=ancestors, user__is_active=True)
        .select_related("user", "org_unit")
        .order_by("-org_unit__depth")
    )
    closest, users = None, []
    for assignment in assignments:
        if closest is None:
            closest = assignment.org_unit.depth
        if assignment.org_unit.depth == closest:
            users.append(assignment.user)
    return users


def _send(template: str, context: dict, recipient: str) -> None:
    subject = render_to_string(f"certificates/email/{template}_subject.txt", context)
    body = render_to_string(f"certificates/email/{template}_message.txt", context)
    send_mail(" ".join(subject.split()), body.strip() + "\n", None, [recipient])


def certificates_send_expiry_reminders(*, today: date | None = None) -> int:
    """Remind holders (and, in one digest each, their HR officers) of certificates reaching a
    threshold of CERTIFICATE_EXPIRY_REMINDER_DAYS before expiry. Each (certificate, threshold)
    is recorded before its mail is sent, under a unique constraint, so running the job twice
    (or twice at once) sends nothing twice; a mail that fails rolls its record back and is sent
    by the next run. Revoked and superseded certificates are not reminded."""
    today = today or timezone.localdate()
    thresholds = sorted({int(d) for d in settings.CERTIFICATE_EXPIRY_REMINDER_DAYS if int(d) >= 0})
    if not thresholds:
        return 0
    candidates = list(
        Certificate.objects.filter(
            status=Certificate.Status.VALID,
            valid_until__gte=today,
            valid_until__lte=today + timedelta(days=thresholds[-1]),
        )
        .select_related("staff__user", "staff__org_unit", "template")
        .order_by("valid_until", "pk")
    )
    sent_before = set(
        ExpiryReminder.objects.filter(certificate__in=candidates).values_list(
            "certificate_id", "days_before"
        )
    )
    digests: dict[int, tuple] = {}
    sent = 0
    for certificate in candidates:
        days_left = (certificate.valid_until - today).days
        threshold = reminder_threshold(days_left=days_left, thresholds=thresholds)
        if threshold is None or (certificate.pk, threshold) in sent_before:
            continue
        base = certificate_site_url(certificate=certificate)
        context = {
            "certificate": certificate,
            "days_left": days_left,
            "site_url": base,
            "my_certificates_url": base + reverse("certificates:my_certificates"),
            "verify_url": verify_url(certificate=certificate),
        }
        try:
            with transaction.atomic():
                ExpiryReminder.objects.create(certificate=certificate, days_before=threshold)
                address = certificate.staff.email or (
                    certificate.staff.user.email if certificate.staff.user else ""
                )
                if address:
                    _send("expiry_reminder", context, address)
        except IntegrityError:
            continue  # a concurrent run took this one
        except Exception:
            logger.exception("expiry reminder for certificate %s not sent", certificate.pk)
            continue
        sent += 1
        for user in _hr_officers_for(certificate.staff.org_unit):
            if user.email:
                digests.setdefault(user.pk, (user, []))[1].append((certificate, days_left))
    for user, items in digests.values():
        try:
            _send(
                "expiry_digest",
                {
                    "user": user,
                    "items": items,
                    "admin_url": certificate_site_url(certificate=items[0][0])
                    + reverse("certificate:index"),
                },
                user.email,
            )
        except Exception:
            logger.exception("expiry digest for HR user %s not sent", user.pk)
    return sent
