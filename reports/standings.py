"""Keeping the stored standings current: a refresh rewrites the rows of the staff it is given,
from the same rule the officer's own page applies (competencies.selectors)."""

from django.db import transaction

from competencies.selectors import Status, requirement_statuses_for_staff
from staff.models import StaffRecord

from .models import Standing

# a refresh holds one chunk of staff in memory and in one transaction
CHUNK = 2000


@transaction.atomic
def standings_refresh(*, staff_ids: list[int]) -> int:
    """Rewrite the standings of these staff (an inactive or deleted one keeps none); the number
    of rows written. A constant number of queries per call, whatever the number of staff."""
    staff_ids = sorted(set(staff_ids))
    Standing.objects.filter(staff_id__in=staff_ids).delete()
    active = StaffRecord.objects.filter(pk__in=staff_ids, active=True)
    units = {
        pk: (path, unit_id)
        for pk, path, unit_id in active.values_list("pk", "org_unit__path", "org_unit_id")
    }
    statuses = requirement_statuses_for_staff(staff=active.select_related(None))
    rows = []
    for staff_id, staff_statuses in statuses.items():
        path, unit_id = units[staff_id]
        for status in staff_statuses:
            requirement = status.requirement
            rows.append(
                Standing(
                    staff_id=staff_id,
                    requirement_id=requirement.pk,
                    unit_path=path,
                    org_unit_id=unit_id,
                    position_id=requirement.position_id,
                    competency_id=requirement.competency_id,
                    domain_id=requirement.competency.domain_id,
                    min_rank=requirement.min_level.rank,
                    level_rank=status.level.rank if status.level else None,
                    sufficient_until=None if status.status == Status.GAP else status.valid_until,
                )
            )
    Standing.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def standings_rebuild() -> int:
    """Every active staff member's standings, in chunks (after a restore, or to check)."""
    total = 0
    Standing.objects.exclude(staff__active=True).delete()
    ids = list(StaffRecord.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        total += standings_refresh(staff_ids=ids[start : start + CHUNK])
    return total
