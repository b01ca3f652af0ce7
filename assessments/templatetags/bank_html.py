"""`{{ option.text|bank_html }}`: a bank HTML field (option text, feedback, matching prompt)
rendered as markup. The value was sanitised when its version was written; it is sanitised again
here (idempotent, cheap) so that plain text written before options became HTML ("A & B",
"x < 5") renders as the text it was, never as markup or double-escaped."""

from django import template

from assessments.bank_html import bank_html as _bank_html
from assessments.bank_import import field_label, format_label

register = template.Library()


@register.filter
def bank_html(value):
    return _bank_html(value)


@register.filter
def credit(fraction) -> str:
    """A grade fraction as the share of the question's mark it earns: 1.0 → "100%",
    0.3333333 → "33,3%" (Vietnamese decimal comma), -0.5 → "-50%"."""
    try:
        percent = round(float(fraction) * 100, 1)
    except (TypeError, ValueError):
        return "—"
    return f"{percent:g}".replace(".", ",") + "%"


@register.filter
def import_field_label(value) -> str:
    """The part of a question an import error points at, in words (an XLSX column header as
    the file names it)."""
    return field_label(value or "") or "—"


@register.filter
def import_format_label(value) -> str:
    return format_label(value or "")
