"""Wagtail admin listings and inspect pages that read like the rest of the site: yes/no as
"Có"/"Không", empty values as "—", dd/mm/yyyy dates and local times (lms.display), never
Python's True/False/None. Every ModelViewSet of the project uses these views (directly, through
`ReadableModelViewSet`, or through a subclass such as staff's scoped views)."""

import datetime

from django.utils import timezone
from django.utils.safestring import SafeData
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.viewsets.model import ModelViewSet

from .display import date_text, datetime_text, display_value, yes_no

_CSV, _XLSX = SpreadsheetExportMixin.FORMAT_CSV, SpreadsheetExportMixin.FORMAT_XLSX


def _local_naive(value: datetime.datetime) -> datetime.datetime:
    return timezone.make_naive(value) if timezone.is_aware(value) else value


# Wagtail's spreadsheet export writes a CSV moment as "2026-12-07 06:25:00.123+00:00" and an
# XLSX one in UTC, and a yes/no as True/False: these write local time and words instead
READABLE_EXPORT_PREPROCESS = {
    **SpreadsheetExportMixin.custom_value_preprocess,
    bool: {_CSV: yes_no, _XLSX: yes_no},
    datetime.datetime: {_CSV: datetime_text, _XLSX: _local_naive},
    datetime.date: {_CSV: date_text},
}


class ReadableColumn(Column):
    """A listing column for a model field: the value through `display_value`."""

    def get_value(self, instance):
        return display_value(super().get_value(instance))


class ReadableIndexMixin:
    """Columns named in `list_display` read as words and local dates (Wagtail would print a
    boolean field as True/False and an empty date as nothing); so does the listing's export."""

    custom_value_preprocess = READABLE_EXPORT_PREPROCESS

    def _get_custom_column(self, field_name, column_class=Column, **kwargs):
        if column_class is Column:
            column_class = ReadableColumn
        return super()._get_custom_column(field_name, column_class, **kwargs)


class ReadableInspectMixin:
    """Each field of the inspect page through `display_value` (Wagtail would print
    "Đang công tác True", "Ngày sinh None")."""

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if isinstance(value, (Component, SafeData)):
            return value
        return display_value(value)


class ReadableIndexView(ReadableIndexMixin, generic.IndexView):
    pass


class ReadableInspectView(ReadableInspectMixin, generic.InspectView):
    pass


def readable_view_class(view_class):
    """`view_class` with the readable mixin for its kind (listing or inspect page), whatever
    else it mixes in (scope, folded search, a custom template)."""
    for base, mixin in (
        (generic.IndexView, ReadableIndexMixin),
        (generic.InspectView, ReadableInspectMixin),
    ):
        if issubclass(view_class, base) and not issubclass(view_class, mixin):
            return type(view_class.__name__, (mixin, view_class), {"__module__": __name__})
    return view_class


class ReadableModelViewSet(ModelViewSet):
    """A ModelViewSet whose listing and inspect page read as words, local dates and "—",
    whichever index or inspect view class a subclass sets."""

    index_view_class = ReadableIndexView
    inspect_view_class = ReadableInspectView

    def construct_view(self, view_class, **kwargs):
        return super().construct_view(readable_view_class(view_class), **kwargs)
