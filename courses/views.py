from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from staff.selectors import staff_for_user

from .models import CoursePage, Enrolment, LessonPage
from .selectors import lesson_navigation
from .services import enrolment_enrol, lesson_complete


def _staff_or_message(request):
    staff = staff_for_user(user=request.user)
    if staff is None:
        messages.error(
            request,
            _("Your account is not linked to a staff record. Please contact your HR officer."),
        )
    return staff


@login_required
@require_POST
def lesson_complete_view(request, lesson_id: int):
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    staff = _staff_or_message(request)
    if staff is None:
        return redirect(lesson.url)
    lesson_complete(staff=staff, lesson=lesson)
    nav = lesson_navigation(lesson=lesson, user=request.user)
    return redirect((nav.next or nav.course).url)


@login_required
@require_POST
def course_enrol_view(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    staff = _staff_or_message(request)
    if staff is not None:
        enrolment_enrol(staff=staff, course=course, source=Enrolment.Source.SELF)
        messages.success(request, _("You are enrolled in the course."))
    return redirect(course.url)
