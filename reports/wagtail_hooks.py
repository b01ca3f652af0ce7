from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy
from wagtail import hooks

from lms.admin_menu import PermissionMenuItem

from .admin_views import (
    PERMISSION,
    DigestSubscriptionView,
    OverviewPanel,
    OverviewView,
    PeopleView,
)


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/competency/", OverviewView.as_view(), name="reports_overview"),
        path("reports/competency/people/", PeopleView.as_view(), name="reports_people"),
        path("reports/digest/", DigestSubscriptionView.as_view(), name="reports_digest"),
    ]


@hooks.register("register_reports_menu_item")
def register_overview_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Compliance overview"),
        reverse_lazy("reports_overview"),
        name="reports-overview",
        icon_name="table",
        order=100,
        permission=PERMISSION,
    )


@hooks.register("construct_homepage_panels")
def add_overview_panel(request, panels):
    if request.user.has_perm(PERMISSION):
        panels.append(OverviewPanel(request))


@hooks.register("register_admin_urls")
def register_coverage_urls():
    from .admin_coverage import ByCompetencyView, CoverageView

    return [
        path("reports/competency/coverage/", CoverageView.as_view(), name="reports_coverage"),
        path(
            "reports/competency/by-competency/",
            ByCompetencyView.as_view(),
            name="reports_by_competency",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_coverage_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Coverage by commune and domain"),
        reverse_lazy("reports_coverage"),
        name="reports-coverage",
        icon_name="table",
        order=101,
        permission=PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_by_competency_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Standing by competency"),
        reverse_lazy("reports_by_competency"),
        name="reports-by-competency",
        icon_name="table",
        order=102,
        permission=PERMISSION,
    )


@hooks.register("register_admin_urls")
def register_expiry_urls():
    from .admin_expiry import ExpiringView

    return [
        path("reports/competency/expiring/", ExpiringView.as_view(), name="reports_expiring"),
    ]


@hooks.register("register_reports_menu_item")
def register_expiry_menu_item():
    return PermissionMenuItem(
        gettext_lazy("What expires"),
        reverse_lazy("reports_expiring"),
        name="reports-expiring",
        icon_name="time",
        order=110,
        permission=PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def register_digest_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Monthly digest"),
        reverse_lazy("reports_digest"),
        name="reports-digest",
        icon_name="mail",
        order=120,
        permission=PERMISSION,
    )
