"""The two repeated parts of a question page, rendered in Python.

The question page is the request an exam sends most (bench/bench_exam_load.py). Rendered as
template loops, the navigation (a `{% url %}` per question) and the options (a widget template
per option) were half of its cost; these tags write the same markup directly.
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

ANSWERED = mark_safe(' class="answered"')
CURRENT = mark_safe(' aria-current="step"')
CHECKED = mark_safe(" checked")


def answered_state() -> str:
    """What an answered question's link says beyond its number (WCAG 1.4.1: not by colour
    alone): visually hidden text, and a check mark drawn by the stylesheet (.qnav .qstate).
    attempt.js adds the same when it marks a link answered."""
    return format_html('<span class="qstate">{}</span>', gettext(", answered"))


@register.simple_tag
def question_nav(attempt, items, position: int):
    """`<li>` links to each question of the attempt; answered ones and the current one marked."""
    zero = reverse("assessments:question", args=[attempt.pk, 0])
    prefix = zero[: zero.rindex("/0/") + 1]  # one reverse for all the links
    answered = answered_state()
    return format_html_join(
        "",
        '<li><a href="{}{}/"{}{}>{}{}</a></li>',
        (
            (
                prefix,
                item.position,
                ANSWERED if item.response else "",
                CURRENT if item.position == position else "",
                item.position,
                answered if item.response else "",
            )
            for item in items
        ),
    )


@register.simple_tag
def choice_inputs(field):
    """A RadioSelect or CheckboxSelectMultiple field's inputs, each inside its label, as
    Django renders them; a field with errors is left to Django (it marks the inputs invalid)."""
    if field.errors:
        return str(field)
    value = field.value()
    values = value if isinstance(value, list | tuple) else [value]
    chosen = {str(v) for v in values if v not in (None, "")}
    input_type = field.field.widget.input_type
    field_id = field.auto_id
    return format_html(
        '<div id="{}">{}</div>',
        field_id,
        format_html_join(
            "",
            '<div><label for="{0}_{1}"><input type="{2}" name="{3}" value="{4}" id="{0}_{1}"{5}>'
            " {6}</label></div>",
            (
                (
                    field_id,
                    number,
                    input_type,
                    field.html_name,
                    key,
                    CHECKED if str(key) in chosen else "",
                    label,
                )
                for number, (key, label) in enumerate(field.field.choices)
            ),
        ),
    )


@register.simple_tag
def open_attempts(staff):
    """The officer's attempts still in progress, for "continue the exam" on their own page."""
    from assessments.selectors import attempt_list_open_for

    return attempt_list_open_for(staff=staff) if staff else []
