"""Option texts, feedback and matching prompts are sanitised HTML in the bank; these helpers
render them and move them in and out of the trainers' plain-text inputs."""

import html
import re

from django.utils.safestring import SafeString, mark_safe

from .interchange import richtext

_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")


def bank_html(value) -> SafeString:
    """Markup safe to put in a page: sanitised again, so legacy plain text is escaped once."""
    return mark_safe(richtext.sanitize_html(value or ""))  # noqa: S308 - sanitised just now


def html_to_input(value: str) -> str:
    """What a plain-text input shows for a stored HTML field: text without tags is shown
    unescaped ("A &amp; B" → "A & B"); HTML with tags (an imported image) is shown as is, so an
    edit that does not touch it saves it unchanged."""
    value = value or ""
    if _TAG.search(value):
        return value
    return html.unescape(value)


def input_to_html(value: str) -> str:
    """The reverse of `html_to_input`: text with tags is kept (sanitised when the version is
    written), plain text is escaped."""
    value = value or ""
    if _TAG.search(value):
        return value
    return richtext.escape_text(value)
