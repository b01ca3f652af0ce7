"""The "Learning" section of a staff record's admin pages (inspect and edit), for HR: the
person's enrolments with progress and due dates, exam attempts with results, and where they
stand against their position's requirements. Registered under staff's
`lms_staff_record_panels` hook (assessments/wagtail_hooks.py): staff is upstream and never
imports this; assessments is the lowest of the three apps whose data it shows, and reads each
through that app's selectors."""

from urllib.parse import urlencode

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from competencies.selectors import staff_requirement_statuses
from courses.admin_views import ASSIGN_URL_NAME
from courses.selectors import enrolment_progress_list_for_staff
from staff.selectors import staff_in_scope_of

from .late_admin import PERMISSION as DECIDE_LATE_PERMISSION
from .selectors import attempt_list_for_staff

VIEW_PERMISSION = "staff.view_staffrecord"


def staff_record_learning_panel(*, request, staff) -> str:
    """The section, or "" for a user who may not read staff records or for a record outside
    their HR scope (the staff views already answer 404 there; the hook checks again). Links
    go only where the reader may act: "change the due date" to the pre-filled "Assign a
    course" form (courses.add_enrolment), the exam's form (assessments.change_exam), waiting
    late answers (trainers' "Late answers", never HR: HR does not read answers), recording an
    assessment (competencies.add_competencyrecord). A constant number of queries whatever
    the number of enrolments and attempts."""
    user = request.user
    if not user.has_perm(VIEW_PERMISSION) or not staff_in_scope_of(user=user, staff=staff):
        return ""
    today = timezone.localdate()
    may_assign = staff.active and user.has_perm("courses.add_enrolment")
    assign_url = reverse(ASSIGN_URL_NAME)
    enrolments = []
    for item in enrolment_progress_list_for_staff(staff=staff, today=today):
        change_due_url = ""
        if may_assign and item.available and not item.completed:
            query = urlencode(
                {"course": item.enrolment.course_id, "personnel_numbers": staff.personnel_number}
            )
            change_due_url = f"{assign_url}?{query}"
        enrolments.append({"item": item, "change_due_url": change_due_url})
    may_open_exam = user.has_perm("assessments.change_exam")
    # the "Late answers" screens' own rule (assessments/late_admin.py)
    may_decide_late = user.has_perm(DECIDE_LATE_PERMISSION) and user.has_perm(
        "assessments.view_exam"
    )
    attempts = []
    for attempt in attempt_list_for_staff(staff=staff):
        attempts.append(
            {
                "attempt": attempt,
                "exam_url": reverse("exam:edit", args=[attempt.exam_id]) if may_open_exam else "",
                "late_url": reverse("late_responses:detail", args=[attempt.late_pending_id])
                if attempt.late_pending_id and may_decide_late
                else "",
            }
        )
    show_standing = user.has_perm("competencies.view_competencyrecord")
    return render_to_string(
        "assessments/admin/staff_record_learning.html",
        {
            # dates and times in Vietnam time, whatever the reader's admin profile says
            "time_zone": settings.TIME_ZONE,
            "staff": staff,
            "enrolments": enrolments,
            "attempts": attempts,
            "show_standing": show_standing,
            "statuses": staff_requirement_statuses(staff=staff) if show_standing else [],
            "assess_url": reverse("competencies_admin:assess", args=[staff.pk])
            if user.has_perm("competencies.add_competencyrecord")
            else "",
        },
        request=request,
    )
