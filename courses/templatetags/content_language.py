"""` lang="…"` on content that is not in the language of the page around it (WCAG 3.1.2, Language
of Parts), so that a screen reader reads it with the right voice: a Vietnamese course or lesson
shown as the fallback on an English page, and the names of domains, competencies, levels and
positions that have no English twin yet, on an English page."""

from django import template
from django.utils.html import format_html

from courses.localisation import active_locale_id, default_locale_id, locale_language
from lms.translated import english_active

register = template.Library()


@register.simple_tag
def lang_of(page=None) -> str:
    """` lang="<code>"` when `page` (a Wagtail page; omitted: data written in the default
    language) is in another language than the active one, else nothing."""
    locale_id = default_locale_id() if page is None else page.locale_id
    if locale_id is None or locale_id == active_locale_id():
        return ""
    return format_html(' lang="{}"', locale_language(locale_id))


@register.simple_tag
def lang_of_shown(instance, field: str) -> str:
    """`lang_of` for a name read through `InReadersLanguage`: nothing when its English twin is
    what the page shows, the default language's code when the Vietnamese one stands in."""
    if english_active() and getattr(instance, f"{field}_en", ""):
        return ""
    return lang_of()
