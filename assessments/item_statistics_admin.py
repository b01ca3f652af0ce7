"""The "Item statistics" report in the Wagtail admin (Reports menu): every question version
with graded attempts, flagged ones first, filterable by domain, competency and flag, exported
to CSV/XLSX through Wagtail's report export. Trainers (assessments.view_question) only.

Before it shows, the report recomputes the versions marked since the last recompute (at most
`RECOMPUTE_PER_REQUEST`; the rest on the next view or by the periodic job), so without a
worker the trainer, not the officer who submitted, pays for the figures."""

import django_filters
from django.contrib import messages
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from competencies.models import Competency, Domain
from lms.admin_display import READABLE_EXPORT_PREPROCESS

from .item_statistics import (
    RECOMPUTE_PER_REQUEST,
    ItemStatistic,
    item_statistics_pending_count,
    item_statistics_recompute_pending,
    item_statistics_report,
)
from .models import Question

FLAG_ANY = "any"


class ItemStatisticFilterSet(WagtailFilterSet):
    domain = django_filters.ModelChoiceFilter(
        label=_("Domain"),
        field_name="question_version__question__competency__domain",
        queryset=Domain.objects.order_by("code"),
    )
    competency = django_filters.ModelChoiceFilter(
        label=_("Competency"),
        field_name="question_version__question__competency",
        queryset=Competency.objects.order_by("code"),
    )
    flag = django_filters.ChoiceFilter(
        label=_("Flag"),
        choices=[(FLAG_ANY, _("Any flag")), *ItemStatistic.Flag.choices],
        method="filter_flag",
    )

    class Meta:
        model = ItemStatistic
        fields = []

    def filter_flag(self, queryset, name, value):
        if value == FLAG_ANY:
            return queryset.filter(flagged=True)
        if value in ItemStatistic.Flag.values:
            return queryset.filter(**{value: True})
        return queryset


def _csv_text(value) -> str:
    """A trainer-written name must not run as a formula when the CSV is opened in a spreadsheet
    (Wagtail's XLSX export already stores such cells as text)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _ratio(value) -> str:
    return "—" if value is None else f"{value:.2f}"


class ItemStatisticsReportView(ReportView):
    page_title = _("Item statistics")
    header_icon = "table"
    model = ItemStatistic
    permission_policy = ModelPermissionPolicy(Question)
    permission_required = "view"
    filterset_class = ItemStatisticFilterSet
    index_url_name = "item_statistics_report"
    index_results_url_name = "item_statistics_report_results"
    list_export = [
        "question_version.question.name",
        "question_version.number",
        "question_version.question.competency.code",
        "question_version.question.get_qtype_display",
        "attempts",
        "facility",
        "discrimination",
        "upper_lower_index",
        "unanswered_rate",
        "distractor_rates_text",
        "flags_text",
        "computed_at",
    ]
    export_headings = {
        "question_version.question.name": _("Question"),
        "question_version.number": _("Version"),
        "question_version.question.competency.code": _("Competency"),
        "question_version.question.get_qtype_display": _("Question type"),
        "attempts": _("Attempts"),
        "facility": _("Facility index"),
        "discrimination": _("Discrimination (point-biserial)"),
        "upper_lower_index": _("Upper/lower 27% index"),
        "unanswered_rate": _("Unanswered"),
        "distractor_rates_text": _("Option choice rates"),
        "flags_text": _("Flags"),
        "computed_at": _("Computed at"),
    }
    # computed_at in Vietnam's time, not Wagtail's UTC ("2026-12-07 06:25:00+00:00")
    custom_value_preprocess = READABLE_EXPORT_PREPROCESS
    custom_field_preprocess = {
        **ReportView.custom_field_preprocess,
        "question_version.question.name": {"csv": _csv_text},
    }

    @property
    def columns(self):
        return [
            TitleColumn(
                "question",
                label=_("Question"),
                accessor="question_version.question.name",
                get_url=lambda stat: reverse(
                    "question:inspect", args=[stat.question_version.question_id]
                ),
            ),
            Column("version", label=_("Version"), accessor="question_version.number"),
            Column(
                "competency",
                label=_("Competency"),
                accessor="question_version.question.competency.code",
            ),
            Column("attempts", label=_("Attempts")),
            Column("facility", label=_("Facility index"), accessor=lambda s: _ratio(s.facility)),
            Column(
                "discrimination",
                label=_("Discrimination"),
                accessor=lambda s: _ratio(s.discrimination),
            ),
            Column(
                "upper_lower_index",
                label=_("Upper/lower 27%"),
                accessor=lambda s: _ratio(s.upper_lower_index),
            ),
            Column("distractors", label=_("Option choice rates"), accessor="distractor_rates_text"),
            Column("flags", label=_("Flags"), accessor=lambda s: s.flags_text or "—"),
            DateColumn("computed_at", label=_("Computed at")),
        ]

    def get(self, request, *args, **kwargs):
        recomputed = item_statistics_recompute_pending(limit=RECOMPUTE_PER_REQUEST)
        if recomputed == RECOMPUTE_PER_REQUEST and not (self.results_only or self.is_export):
            left = item_statistics_pending_count()
            if left:
                messages.info(
                    request,
                    ngettext(
                        "%(count)d question version is still waiting for its statistics: "
                        "they are computed on the next view or by the periodic job.",
                        "%(count)d question versions are still waiting for their statistics: "
                        "they are computed on the next view or by the periodic job.",
                        left,
                    )
                    % {"count": left},
                )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return item_statistics_report()


class ItemStatisticsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("assessments.view_question")


def item_statistics_urls():
    return [
        path(
            "reports/item-statistics/",
            ItemStatisticsReportView.as_view(),
            name="item_statistics_report",
        ),
        path(
            "reports/item-statistics/results/",
            ItemStatisticsReportView.as_view(results_only=True),
            name="item_statistics_report_results",
        ),
    ]


def item_statistics_menu_item():
    return ItemStatisticsMenuItem(
        _("Item statistics"),
        reverse("item_statistics_report"),
        name="item-statistics",
        icon_name="table",
        order=1300,
    )
