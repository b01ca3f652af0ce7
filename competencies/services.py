"""Writes to the competency framework and to staff competency evidence."""

import calendar
from datetime import date

from django.db import transaction
from django.utils import timezone

from staff.models import Position, StaffRecord

from .models import Competency, CompetencyRecord, Framework, ProficiencyLevel, Requirement
from .selectors import framework_published

DEFAULT_VALIDITY_MONTHS = 36


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
    record, _ = CompetencyRecord.objects.get_or_create(
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
    return record


@transaction.atomic
def framework_publish(*, framework: Framework) -> Framework:
    """Publishing retires the previous published version; past evidence is never rewritten."""
    Framework.objects.filter(status=Framework.Status.PUBLISHED).exclude(pk=framework.pk).update(
        status=Framework.Status.RETIRED
    )
    framework.status = Framework.Status.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at"])
    return framework
