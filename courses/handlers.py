"""Receivers for upstream (competencies) events: dispatch only, the rule is in the service."""

from staff.models import StaffRecord

from .tasks import enrolments_sync_automatic_task

# a framework covering a position nationally is tens of thousands of staff: several tasks
CHUNK = 2000


def on_competency_records_changed(sender, staff_ids, **kwargs):
    enrolments_sync_automatic_task.delay(list(staff_ids))


def on_requirements_changed(sender, position_ids, **kwargs):
    staff_ids = list(
        StaffRecord.objects.filter(position_id__in=list(position_ids), active=True).values_list(
            "pk", flat=True
        )
    )
    for start in range(0, len(staff_ids), CHUNK):
        enrolments_sync_automatic_task.delay(staff_ids[start : start + CHUNK])
