"""Writes to the competency framework and to staff competency evidence."""

import calendar
import secrets
import uuid
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import Position, StaffRecord
from staff.selectors import staff_in_scope_of

from .evidence import evidence_kind
from .models import Competency, CompetencyRecord, Framework, ProficiencyLevel, Requirement
from .selectors import framework_published
from .signals import competency_records_changed, requirements_changed

DEFAULT_VALIDITY_MONTHS = 36
MAX_VALIDITY_MONTHS = 240  # twenty years: anything longer is a typing error


def _send_records_changed(staff_id: int) -> None:
    transaction.on_commit(
        lambda: competency_records_changed.send(sender=CompetencyRecord, staff_ids=[staff_id])
    )


def add_months(day: date, months: int) -> date:
    """Same day N months later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def validity_months_for(*, position: Position, competency: Competency) -> int:
    framework = framework_published()
    requirement = (
        Requirement.objects.filter(framework=framework, position=position, competency=competency)
        .only("validity_months")
        .first()
        if framework
        else None
    )
    return requirement.validity_months if requirement else DEFAULT_VALIDITY_MONTHS


@transaction.atomic
def competency_record_create(
    *,
    staff: StaffRecord,
    competency: Competency,
    level: ProficiencyLevel,
    source: str,
    evidence_ref: str,
    assessed_on: date | None = None,
    note: str = "",
) -> CompetencyRecord:
    """Evidence is recorded once per (staff, competency, evidence); it stays valid for the
    months the published framework sets for the staff member's position."""
    assessed_on = assessed_on or timezone.localdate()
    months = validity_months_for(position=staff.position, competency=competency)
    record, created = CompetencyRecord.objects.get_or_create(
        staff=staff,
        competency=competency,
        evidence_ref=evidence_ref,
        defaults={
            "level": level,
            "source": source,
            "assessed_on": assessed_on,
            "valid_until": add_months(assessed_on, months),
            "note": note,
        },
    )
    if created:
        _send_records_changed(staff.pk)
    return record


@transaction.atomic
def competency_record_assess(
    *,
    staff: StaffRecord,
    competency: Competency,
    level: ProficiencyLevel,
    note: str,
    evidence_file=None,
    recorded_by,
    assessed_on: date,
    idempotency_key: str = "",
) -> CompetencyRecord:
    """An HR officer records a level they assessed themselves, for staff in their scope, with a
    note and optionally a PDF/JPEG/PNG evidence file; it stays valid for the months the
    published framework sets. A repeated submission (same key) records nothing more."""
    if recorded_by is not None and not staff_in_scope_of(user=recorded_by, staff=staff):
        raise PermissionDenied
    errors = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = _("Explain how the level was assessed.")
    if assessed_on > timezone.localdate():
        errors["assessed_on"] = _("The assessment date cannot be in the future.")
    kind = None
    if evidence_file:
        try:
            kind = evidence_kind(evidence_file)
        except ValidationError as exc:
            errors["evidence_file"] = exc.messages
    if errors:
        raise ValidationError(errors)

    months = validity_months_for(position=staff.position, competency=competency)
    record, created = CompetencyRecord.objects.get_or_create(
        staff=staff,
        competency=competency,
        evidence_ref=f"manual:{idempotency_key or secrets.token_urlsafe(16)}",
        defaults={
            "level": level,
            "source": CompetencyRecord.Source.MANUAL,
            "assessed_on": assessed_on,
            "valid_until": add_months(assessed_on, months),
            "note": note,
            "recorded_by": recorded_by,
        },
    )
    if created and kind is not None:
        # the stored name comes from the sniffed kind, never from the uploaded name
        record.evidence_file.save(f"{uuid.uuid4().hex}.{kind.extension}", evidence_file)
    if created:
        _send_records_changed(staff.pk)
    return record


@transaction.atomic
def competency_records_withdraw(*, staff_id: int, evidence_ref: str, reason: str) -> int:
    """Evidence whose basis no longer stands (the certificate that carried it was revoked) is
    withdrawn: the staff member's records of `evidence_ref` stop counting towards any
    requirement, so each standing falls back to their other evidence (or becomes a gap), and
    keep `reason` for the officer and HR to read. Withdrawing again changes nothing; the
    competency signal is sent after commit. Returns how many records were withdrawn."""
    records = CompetencyRecord.objects.filter(
        staff_id=staff_id, evidence_ref=evidence_ref, withdrawn_at__isnull=True
    )
    count = records.update(withdrawn_at=timezone.now(), withdrawn_reason=reason[:2000])
    if count:
        _send_records_changed(staff_id)
    return count


# --- frameworks --------------------------------------------------------------------------------


def _lock(framework: Framework) -> Framework:
    return Framework.objects.select_for_update().get(pk=framework.pk)


@transaction.atomic
def framework_publish(*, framework: Framework) -> Framework:
    """Publishing a draft retires the previous published version; past evidence is never
    rewritten. Publishing the published version again changes nothing; a retired version is
    never published again (make a new version of it instead)."""
    locked = _lock(framework)
    if locked.status == Framework.Status.PUBLISHED:
        return locked
    if locked.status == Framework.Status.RETIRED:
        raise ValidationError(
            _("A retired framework cannot be published again; create a new version of it.")
        )
    Framework.objects.filter(status=Framework.Status.PUBLISHED).update(
        status=Framework.Status.RETIRED
    )
    locked.status = Framework.Status.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    # only the positions of the version now in force can have new gaps
    position_ids = sorted(set(locked.requirements.values_list("position_id", flat=True)))
    transaction.on_commit(
        lambda: requirements_changed.send(sender=Requirement, position_ids=position_ids)
    )
    framework.status, framework.published_at = locked.status, locked.published_at
    return locked


@transaction.atomic
def framework_new_version(*, framework: Framework) -> Framework:
    """A new version is a draft copy of the framework's requirements, numbered after the
    highest version of the same name; there is at most one draft of a framework at a time."""
    framework = _lock(framework)
    siblings = Framework.objects.filter(name=framework.name)
    draft = siblings.filter(status=Framework.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            _("Version %(version)s is already a draft; edit it instead of creating another.")
            % {"version": draft.version}
        )
    # two concurrent copies would both take the same number: the (name, version) constraint
    # lets only one of them commit
    latest = siblings.aggregate(latest=Max("version"))["latest"] or 0
    new = Framework.objects.create(
        name=framework.name, version=latest + 1, status=Framework.Status.DRAFT
    )
    Requirement.objects.bulk_create(
        [
            Requirement(
                framework=new,
                position_id=r.position_id,
                competency_id=r.competency_id,
                min_level_id=r.min_level_id,
                validity_months=r.validity_months,
            )
            for r in framework.requirements.all()
        ]
    )
    return new


def framework_check_editable(*, framework: Framework) -> None:
    if framework.status != Framework.Status.DRAFT:
        raise ValidationError(
            _(
                "The requirements of a published or retired framework cannot be changed; "
                "create a new version instead."
            ),
            code="not_draft",
        )


# --- requirements ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequirementRow:
    """One line of a position's matrix: no level means the competency is not required."""

    competency: Competency
    min_level: ProficiencyLevel | None
    validity_months: int | None


@dataclass(frozen=True)
class RequirementChanges:
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.deleted


def _row_errors(row: RequirementRow) -> list[str]:
    if row.min_level is None:
        return []
    months = row.validity_months
    if months is None:
        return [_("Enter the validity in months.")]
    if isinstance(months, bool) or not isinstance(months, int):
        return [_("The validity must be a whole number of months.")]
    if not 1 <= months <= MAX_VALIDITY_MONTHS:
        return [
            _("The validity must be between 1 and %(max)s months.") % {"max": MAX_VALIDITY_MONTHS}
        ]
    return []


@transaction.atomic
def requirements_set_for_position(
    *, framework: Framework, position: Position, rows: list[RequirementRow]
) -> RequirementChanges:
    """A draft framework's requirements for a position are saved all or nothing: a row with a
    level is required at that level for that many months, a row without one is not required;
    competencies without a row are left as they are. Published and retired frameworks are
    read-only."""
    framework_check_editable(framework=_lock(framework))
    errors: dict[int, list[str]] = {}
    seen: set[int] = set()
    for row in rows:
        problems = _row_errors(row)
        if row.competency.pk in seen:
            problems.append(_("This competency appears twice."))
        seen.add(row.competency.pk)
        if problems:
            errors[row.competency.pk] = problems
    if errors:
        raise ValidationError(errors)

    existing = {
        r.competency_id: r
        for r in Requirement.objects.filter(framework=framework, position=position)
    }
    to_create, to_update, to_delete = [], [], []
    for row in rows:
        current = existing.get(row.competency.pk)
        if row.min_level is None:
            if current is not None:
                to_delete.append(current.pk)
        elif current is None:
            to_create.append(
                Requirement(
                    framework=framework,
                    position=position,
                    competency=row.competency,
                    min_level=row.min_level,
                    validity_months=row.validity_months,
                )
            )
        elif (current.min_level_id, current.validity_months) != (
            row.min_level.pk,
            row.validity_months,
        ):
            current.min_level = row.min_level
            current.validity_months = row.validity_months
            to_update.append(current)
    Requirement.objects.bulk_create(to_create)
    Requirement.objects.bulk_update(to_update, ["min_level", "validity_months"])
    Requirement.objects.filter(pk__in=to_delete).delete()
    return RequirementChanges(
        created=len(to_create), updated=len(to_update), deleted=len(to_delete)
    )
