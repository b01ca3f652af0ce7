"""`{{ option.text|bank_html }}`: a bank HTML field (option text, feedback, matching prompt)
rendered as markup. The value was sanitised when its version was written; it is sanitised again
here (idempotent, cheap) so that plain text written before options became HTML ("A & B",
"x < 5") renders as the text it was, never as markup or double-escaped."""

from django import template

from assessments.bank_html import bank_html as _bank_html

register = template.Library()


@register.filter
def bank_html(value):
    return _bank_html(value)
