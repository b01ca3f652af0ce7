"""Receivers for upstream (staff, competencies) events: dispatch only, the rule is in the
service."""

from staff.models import StaffRecord

from .tasks import enrolments_sync_automatic_task

# a framework covering a position nationally is tens of thousands of staff: several tasks
CHUNK = 2000


def _sync_in_chunks(staff_ids: list[int]) -> None:
    for start in range(0, len(staff_ids), CHUNK):
        enrolments_sync_automatic_task.delay(staff_ids[start : start + CHUNK])


def on_competency_records_changed(sender, staff_ids, **kwargs):
    _sync_in_chunks(list(staff_ids))


def on_staff_moved(sender, staff_ids, **kwargs):
    # a new position brings new requirements; an imported officer may start with gaps
    _sync_in_chunks(list(staff_ids))


def on_requirements_changed(sender, position_ids, **kwargs):
    staff_ids = list(
        StaffRecord.objects.filter(position_id__in=list(position_ids), active=True).values_list(
            "pk", flat=True
        )
    )
    _sync_in_chunks(staff_ids)


def on_copy_for_translation_done(sender, source_obj, target_obj, **kwargs):
    # a catalogue translated (by Wagtail's "Translate" action) gets the trainers' permissions
    # and the review workflow the original has
    from django.contrib.auth.models import Group

    from staff.roles import ROLE_GROUP_NAMES, Role

    from .models import CourseIndexPage
    from .services import course_catalogue_grant_trainers

    if (
        isinstance(target_obj, CourseIndexPage)
        and Group.objects.filter(name=ROLE_GROUP_NAMES[Role.TRAINER]).exists()
    ):
        course_catalogue_grant_trainers(index=target_obj)
