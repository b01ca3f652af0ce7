"""Every admin listing and inspect page of the project formats values through lms.display:
yes/no in words, "—" for nothing, dd/mm/yyyy and local times."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import translation
from wagtail.admin.views import generic
from wagtail.admin.viewsets import viewsets

from lms.admin_display import ReadableIndexMixin, ReadableInspectMixin
from lms.display import display_value

PROJECT_APPS = ("staff", "competencies", "courses", "assessments", "certificates", "cms")


def test_display_value_reads_as_a_person_would():
    with translation.override("vi"):
        assert display_value(True) == "Có"
        assert display_value(False) == "Không"
    assert display_value(None) == "—"
    assert display_value("") == "—"
    assert display_value(date(2026, 1, 5)) == "05/01/2026"
    # a UTC moment in Vietnam's time: 7 hours ahead
    moment = datetime(2026, 1, 5, 20, 30, tzinfo=ZoneInfo("UTC"))
    assert display_value(moment) == "06/01/2026 03:30"
    assert display_value(0) == 0 and display_value("MET-01") == "MET-01"


def test_every_project_viewset_uses_the_readable_views(client, db):
    client.get(reverse("wagtailadmin_home"))  # the admin URLconf registers the viewsets
    checked = 0
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        if not hasattr(model, "_meta") or model._meta.app_label not in PROJECT_APPS:
            continue
        for name, base, mixin in (
            ("index_view", generic.IndexView, ReadableIndexMixin),
            ("inspect_view", generic.InspectView, ReadableInspectMixin),
        ):
            view = getattr(viewset, name, None)
            view_class = getattr(view, "view_class", None)
            if view_class is None or not issubclass(view_class, base):
                continue
            assert issubclass(view_class, mixin), f"{viewset.__class__.__name__}.{name}"
            checked += 1
    assert checked >= 10
