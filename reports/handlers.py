"""Receivers for upstream events: dispatch only, the refresh is in `standings`."""

from competencies.models import Framework
from lms.queue import task_enqueue
from staff.models import StaffRecord

from .models import Standing
from .standings import CHUNK

TASK = "reports.tasks.standings_refresh_task"


def _refresh_in_chunks(staff_ids) -> None:
    # the signals are sent after commit: the task reads what was committed
    staff_ids = sorted(set(staff_ids))
    for start in range(0, len(staff_ids), CHUNK):
        task_enqueue(TASK, staff_ids[start : start + CHUNK])


def on_competency_records_changed(sender, *, staff_ids, **kwargs):
    _refresh_in_chunks(staff_ids)


def on_staff_moved(sender, *, staff_ids, **kwargs):
    _refresh_in_chunks(staff_ids)


def on_requirements_changed(sender, *, position_ids, **kwargs):
    # everyone of these positions, and everyone with standings of a framework no longer in
    # force (a position the new version leaves out loses its requirements)
    staff_ids = set(
        StaffRecord.objects.filter(position_id__in=list(position_ids), active=True).values_list(
            "pk", flat=True
        )
    )
    staff_ids |= set(
        Standing.objects.exclude(requirement__framework__status=Framework.Status.PUBLISHED)
        .values_list("staff_id", flat=True)
        .distinct()
    )
    _refresh_in_chunks(staff_ids)
