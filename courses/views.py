from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lms.http import wants_json
from staff.selectors import staff_for_user

from .models import CourseIndexPage, CoursePage, Enrolment, LessonPage
from .selectors import lesson_navigation
from .services import CourseError, enrolment_enrol, lesson_complete

NO_STAFF_RECORD = gettext_lazy(
    "Your account is not linked to a staff record. Please contact your HR officer."
)


@login_required
@require_POST
def lesson_complete_view(request, lesson_id: int):
    """Marks a lesson done, then goes on: to the next lesson (the "Next" button at the end of
    a lesson is this form, so reaching the end and going on completes it) or the course."""
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    staff = staff_for_user(user=request.user)
    error = str(NO_STAFF_RECORD) if staff is None else None
    if staff is not None:
        try:
            lesson_complete(staff=staff, lesson=lesson)
        except CourseError as exc:
            error = exc.message
    if wants_json(request):
        if error:
            return JsonResponse({"done": False, "error": error}, status=409)
        return JsonResponse({"done": True})
    if error:
        messages.error(request, error)
        return redirect(lesson.url)
    nav = lesson_navigation(lesson=lesson, user=request.user)
    return redirect((nav.next or nav.course).url)


@login_required
@require_POST
def course_enrol_view(request, course_id: int):
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    staff = staff_for_user(user=request.user)
    if staff is None:
        messages.error(request, str(NO_STAFF_RECORD))
        return redirect(course.url)
    try:
        enrolment_enrol(staff=staff, course=course, source=Enrolment.Source.SELF)
    except CourseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("You are enrolled in the course."))
    return redirect(course.url)


def course_catalogue_view(request):
    """The header's "Courses" link: the live catalogue in the language being read (its
    translation when there is one), found only when someone follows the link."""
    indexes = CourseIndexPage.objects.live().public().select_related("locale")
    index = next(
        (i for i in indexes if i.locale.language_code == request.LANGUAGE_CODE), None
    ) or next(iter(indexes), None)
    if index is None:
        raise Http404
    return redirect(index.url)
