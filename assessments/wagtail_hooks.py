from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from courses.selectors import COURSE_ACTIONS_HOOK, CourseAction

from .selectors import exam_list_for_course


@hooks.register(COURSE_ACTIONS_HOOK)
def exam_actions_for_course(*, course, staff, completed):
    """The course page links to its exams; certification is locked until the course is done."""
    actions = []
    for exam in exam_list_for_course(course=course):
        locked = exam.course_id and exam.requires_course_completion and not completed
        actions.append(
            CourseAction(
                label=exam.title,
                url=reverse("assessments:exam", args=[exam.pk]),
                enabled=not locked,
                note=_("Complete all lessons to unlock the exam.") if locked else "",
            )
        )
    return actions
