"""One course, one lesson, whatever the language.

Courses are authored in Vietnamese, the default language; an English translation is a copy of
the page made by Wagtail's "Translate" action, sharing the original's `translation_key`. To a
learner a page and its translations are the same course or lesson: enrolments and progress are
stored against the *canonical* page — the translation in the default language, or the page
itself when it has none (a course written in English only) — and the Vietnamese course defines
the course (its lessons, modules, prerequisites, competencies). Learners see, page by page, the
live translation in their language where one exists, else the Vietnamese page (fallback).

Every helper here takes or returns whole lists, so the query count of a page does not grow with
the number of courses or lessons on it."""

from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page

P = TypeVar("P", bound=Page)


# language code -> locale id. Locales are created once (by migrations or an administrator) and
# never renumbered, so, like content types, their ids are kept for the life of the process; the
# cache is emptied when a locale is saved or deleted and after migrate/flush (courses/apps.py).
_locale_ids: dict[str, int] = {}


def locale_ids_cache_clear(**kwargs) -> None:
    _locale_ids.clear()


def _locale_id(language_code: str) -> int | None:
    try:
        code = get_supported_content_language_variant(language_code)
    except LookupError:
        return None
    if code not in _locale_ids:
        locale = Locale.objects.filter(language_code=code).first()
        if locale is None:
            return None
        _locale_ids[code] = locale.pk
    return _locale_ids[code]


def default_locale_id() -> int:
    """The default language's locale (one query per process)."""
    return _locale_id(settings.LANGUAGE_CODE)


def active_locale_id() -> int:
    """The locale of the active language, or the default one (one query per process)."""
    return _locale_id(translation.get_language() or settings.LANGUAGE_CODE) or default_locale_id()


def locale_language(locale_id: int) -> str:
    """The language code of a locale (no query for a locale already looked up by code)."""
    for code, pk in _locale_ids.items():
        if pk == locale_id:
            return code
    code = Locale.objects.get(pk=locale_id).language_code
    _locale_ids.setdefault(code, locale_id)
    return code


def canonical_page(page: P) -> P:
    """The page's translation in the default language (the same model), or the page itself:
    no query for a page in the default language, else one."""
    default_id = default_locale_id()
    if page.locale_id == default_id:
        return page
    source = (
        type(page)
        .objects.filter(translation_key=page.translation_key, locale_id=default_id)
        .first()
    )
    return source or page


def canonical_filter(queryset: QuerySet[P]) -> QuerySet[P]:
    """Only the canonical pages of a queryset: a translation of a page in the default language
    is left out (no extra query: a join and a subquery)."""
    default = Q(
        locale__language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    has_source = Page.objects.filter(default, translation_key=OuterRef("translation_key")).exclude(
        pk=OuterRef("pk")
    )
    return queryset.filter(default | ~Exists(has_source))


def live_translations(
    pages: Sequence[Page],
    *,
    locale_id: int,
    within: Page | None = None,
    private: Q | None = None,
    fields: Sequence[str] | None = None,
) -> dict[UUID, Page]:
    """The live translations in a locale of `pages` (those not already in it), by translation
    key: one query, none when there is nothing to translate. `within` keeps the translations
    under that page; `private` (Page.objects.private_q()) leaves out restricted ones."""
    keys = {page.translation_key for page in pages if page.locale_id != locale_id}
    if not keys:
        return {}
    translations = Page.objects.live().filter(locale_id=locale_id, translation_key__in=keys)
    if within is not None:
        translations = translations.filter(path__startswith=within.path)
    if private is not None:
        translations = translations.exclude(private)
    if fields:
        translations = translations.only(*fields)
    return {page.translation_key: page for page in translations}


def localised(pages: Sequence[P], translations: dict[UUID, Page]) -> list[P]:
    """`pages` with each one replaced by its translation where there is one."""
    return [translations.get(page.translation_key, page) for page in pages]
