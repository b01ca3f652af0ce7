"""What the course pages' templates show beyond their own fields, read by the selectors.

The selectors import the page models, so the models cannot import them back: each page asks
the `lms_page_context` hook for its extra context (`courses.models.PageContextMixin`), and
this module, loaded with the app's Wagtail hooks, answers for the course pages."""

from wagtail import hooks

from .models import PAGE_CONTEXT_HOOK, CourseIndexPage, CoursePage, LessonPage
from .selectors import course_list_live, course_overview, lesson_navigation


@hooks.register(PAGE_CONTEXT_HOOK)
def course_pages_context(*, page, request) -> dict:
    if isinstance(page, LessonPage):
        return {"nav": lesson_navigation(lesson=page, user=request.user)}
    if isinstance(page, CoursePage):
        return {"overview": course_overview(course=page, user=request.user)}
    if isinstance(page, CourseIndexPage):
        return {"courses": course_list_live(index=page)}
    return {}
