"""Reads of the framework and of where each staff member stands against it."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import StaffRecord

from .models import CompetencyRecord, Framework, ProficiencyLevel, Requirement


class Status:
    MET = "met"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    GAP = "gap"

    LABELS = {
        MET: _("Met"),
        EXPIRING: _("Expiring soon"),
        EXPIRED: _("Expired"),
        GAP: _("Not met"),
    }


@dataclass(frozen=True)
class RequirementStatus:
    requirement: Requirement
    level: ProficiencyLevel | None
    valid_until: date | None
    status: str

    @property
    def label(self) -> str:
        return Status.LABELS[self.status]


def framework_published() -> Framework | None:
    return Framework.objects.filter(status=Framework.Status.PUBLISHED).first()


def status_for(
    *, min_rank: int, records: list[CompetencyRecord], today: date, window_days: int
) -> tuple[str, CompetencyRecord | None]:
    """met / expiring / expired / gap for one requirement, given the staff's records for it."""
    sufficient = [r for r in records if r.level.rank >= min_rank]
    if not sufficient:
        return Status.GAP, max(records, key=lambda r: r.level.rank, default=None)
    best = max(sufficient, key=lambda r: r.valid_until)
    if best.valid_until < today:
        return Status.EXPIRED, best
    if best.valid_until <= today + timedelta(days=window_days):
        return Status.EXPIRING, best
    return Status.MET, best


def staff_requirement_statuses(*, staff: StaffRecord) -> list[RequirementStatus]:
    """Where the staff member stands on each requirement of their position."""
    framework = framework_published()
    if framework is None:
        return []
    requirements = list(
        Requirement.objects.filter(framework=framework, position_id=staff.position_id)
        .select_related("competency", "min_level")
        .order_by("competency__code")
    )
    records_by_competency: dict[int, list[CompetencyRecord]] = {}
    for record in CompetencyRecord.objects.filter(
        staff=staff, competency_id__in=[r.competency_id for r in requirements]
    ).select_related("level"):
        records_by_competency.setdefault(record.competency_id, []).append(record)
    today = timezone.localdate()
    window = settings.COMPETENCY_EXPIRING_WINDOW_DAYS
    result = []
    for requirement in requirements:
        status, record = status_for(
            min_rank=requirement.min_level.rank,
            records=records_by_competency.get(requirement.competency_id, []),
            today=today,
            window_days=window,
        )
        result.append(
            RequirementStatus(
                requirement=requirement,
                level=record.level if record else None,
                valid_until=record.valid_until if record else None,
                status=status,
            )
        )
    return result


def staff_is_compliant(*, staff: StaffRecord) -> bool:
    statuses = staff_requirement_statuses(staff=staff)
    return bool(statuses) and all(s.status in (Status.MET, Status.EXPIRING) for s in statuses)
