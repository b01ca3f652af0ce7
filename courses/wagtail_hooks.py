from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy
from wagtail import hooks

from lms.admin_menu import PermissionMenuItem

from . import page_context  # noqa: F401 - registers the course pages' context
from .admin_views import ASSIGN_URL_NAME, AssignCourseView


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
