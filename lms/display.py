"""How one value reads on a screen or in an exported file: "Có"/"Không" for yes/no, "—" for
nothing, dd/mm/yyyy dates and local (Vietnam) times, never Python's True/False/None or a UTC
timestamp. Admin views (lms.admin_display), exports and e-mails share it."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

EMPTY = "—"
DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"


def yes_no(value) -> str:
    if value is None:
        return EMPTY
    return gettext("Yes") if value else gettext("No")


def date_text(value: datetime.date | None) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, datetime.datetime):
        return datetime_text(value)
    return date_format(value, DATE_FORMAT)


def datetime_text(value: datetime.datetime | None) -> str:
    """A moment in the site's time zone (Asia/Ho_Chi_Minh), to the minute."""
    if value is None:
        return EMPTY
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, DATETIME_FORMAT)


def display_value(value, *, empty: str = EMPTY):
    """`value` as a person reads it. Other values (numbers, text, model instances, safe HTML,
    components) are returned unchanged for the template to render."""
    if value is None or value == "":
        return empty
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime.datetime):
        return datetime_text(value)
    if isinstance(value, datetime.date):
        return date_text(value)
    return value
