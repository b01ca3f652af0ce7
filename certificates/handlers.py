"""Reactions to upstream events. Dispatch only: the rules live in services."""

from .services import certificate_issue_for_attempt, certificate_issue_for_course

# a framework publication can concern tens of thousands of staff: several tasks
CHUNK = 2000


def on_attempt_graded(sender, *, attempt, **kwargs):
    certificate_issue_for_attempt(attempt=attempt)


def on_course_completed(sender, *, staff, course, **kwargs):
    # sent inside the transaction that completes the course: issued with it, or not at all
    certificate_issue_for_course(staff=staff, course=course)


def _positions_in_chunks(staff_ids: list[int]) -> None:
    from .models import CertificateTemplate
    from .tasks import certificates_issue_for_positions_task

    if not CertificateTemplate.objects.filter(active=True, position__isnull=False).exists():
        return
    for start in range(0, len(staff_ids), CHUNK):
        certificates_issue_for_positions_task.delay(staff_ids[start : start + CHUNK])


def on_competency_records_changed(sender, *, staff_ids, **kwargs):
    # sent after commit: the records are there to be read
    _positions_in_chunks(list(staff_ids))


def on_requirements_changed(sender, *, position_ids, **kwargs):
    from staff.models import StaffRecord

    _positions_in_chunks(
        list(
            StaffRecord.objects.filter(position_id__in=list(position_ids), active=True).values_list(
                "pk", flat=True
            )
        )
    )
