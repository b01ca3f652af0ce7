from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy
from wagtail import hooks

from lms.admin_menu import PermissionMenuItem

from .admin_coverage import ByCompetencyView, CoverageView
from .admin_expiry import ExpiringView
from .admin_views import (
    PERMISSION,
    DigestSubscriptionView,
    OverviewPanel,
    OverviewView,
    PeopleView,
)

# (route, view, URL name, Reports-menu label or None, icon); the menu lists them in this order
SCREENS = [
    ("competency/", OverviewView, "reports_overview", gettext_lazy("Compliance overview"), "table"),
    ("competency/people/", PeopleView, "reports_people", None, ""),
    (
        "competency/coverage/",
        CoverageView,
        "reports_coverage",
        gettext_lazy("Coverage by commune and domain"),
        "table",
    ),
    (
        "competency/by-competency/",
        ByCompetencyView,
        "reports_by_competency",
        gettext_lazy("Standing by competency"),
        "table",
    ),
    (
        "competency/expiring/",
        ExpiringView,
        "reports_expiring",
        gettext_lazy("What expires"),
        "time",
    ),
    ("digest/", DigestSubscriptionView, "reports_digest", gettext_lazy("Monthly digest"), "mail"),
]


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(f"reports/{route}", view.as_view(), name=name) for route, view, name, *_ in SCREENS
    ]


def _menu_item(*, label, name: str, icon: str, order: int):
    # one hook function per item: Wagtail's register_reports_menu_item expects one item each
    def register():
        return PermissionMenuItem(
            label,
            reverse_lazy(name),
            name=name.replace("_", "-"),
            icon_name=icon,
            order=order,
            permission=PERMISSION,
        )

    return register


for _index, (_route, _view, _name, _label, _icon) in enumerate(SCREENS):
    if _label is not None:
        hooks.register(
            "register_reports_menu_item",
            _menu_item(label=_label, name=_name, icon=_icon, order=100 + _index),
        )


@hooks.register("construct_homepage_panels")
def add_overview_panel(request, panels):
    if request.user.has_perm(PERMISSION):
        panels.append(OverviewPanel(request))
