from django.contrib import messages
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy
from wagtail import hooks

from competencies.routes import competencies_without_route, missing_routes_message
from lms.admin_menu import PermissionMenuItem

from . import page_context  # noqa: F401 - registers the course pages' context
from .admin_views import ASSIGN_URL_NAME, AssignCourseView
from .models import CoursePage


@hooks.register("register_admin_urls")
def register_course_assign_url():
    return [path("courses/assign/", AssignCourseView.as_view(), name=ASSIGN_URL_NAME)]


@hooks.register("register_admin_menu_item")
def register_course_assign_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Assign a course"),
        reverse_lazy(ASSIGN_URL_NAME),
        name="courses-assign",
        icon_name="doc-full-inverse",
        order=260,
        permission="courses.add_enrolment",
    )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_when_taught_competency_cannot_be_obtained(request, page):
    """A course that claims to teach a competency no exam or HR assessment can award at that
    level leaves its officers with a gap they cannot close: say so on every save, so the
    trainer learns it before the course is published, and the reviewer when publishing."""
    page = page.specific
    if not isinstance(page, CoursePage):
        return
    needed: dict[int, int] = {}
    # the form's rows, saved or not (a draft keeps them in its revision only)
    for taught in page.taught.all():
        if taught.competency_id and taught.level_id:
            rank = taught.level.rank
            needed[taught.competency_id] = max(rank, needed.get(taught.competency_id, 0))
    missing = competencies_without_route(needed=needed)
    if missing:
        messages.warning(request, missing_routes_message(missing))
