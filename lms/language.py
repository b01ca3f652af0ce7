"""The language switcher: Django's `set_language` (the cookie, the safe `next`), plus Wagtail's
localisation for pages: switching on a page leads to the page's translation, or to the home page
of the chosen language when the page has none."""

from django.conf import settings
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from wagtail.models import Locale, Page, Site

from .middleware import PAGE_VIEW


def page_for_path(request, path: str) -> tuple[bool, Page | None]:
    """Whether `path` is a page URL (`/khoa-hoc/x/`, `/en/courses/x/`) and the live page it
    shows (None when there is none)."""
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            match = resolve(path)
        except Resolver404:
            return False, None
        site = Site.find_for_request(request)
        if match.url_name != PAGE_VIEW:
            return False, None
        if site is None:
            return True, None
        components = [c for c in match.args[0].split("/") if c]
        try:
            return True, site.root_page.localized.specific.route(request, components)[0]
        except Http404:
            return True, None


def page_url_in_language(request, path: str, language: str) -> str | None:
    """Where a page URL leads in another language: the page's live translation, else that
    language's home page. None when `path` is not a page URL."""
    is_page, page = page_for_path(request, path)
    if not is_page:
        return None
    site = Site.find_for_request(request)
    with translation.override(language):
        locale = Locale.get_active()
        for candidate in (page, site.root_page if site else None):
            if candidate is None:
                continue
            translated = candidate.get_translation_or_none(locale)
            if translated is not None and translated.live:
                return translated.get_url(request)
        # no home page in that language yet: Wagtail serves the default one under its prefix
        return reverse(PAGE_VIEW, args=[""])


@require_POST
def language_switch(request):
    """Sets the language cookie (Django's `set_language`) and goes back to `next`, or on a
    page to the page's translation."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return set_language(request)  # Django's answer: back to `next`, nothing changed
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = page_url_in_language(request, next_url.partition("?")[0], language)
        if target is not None:
            request.POST = request.POST.copy()
            request.POST["next"] = target
    # Django re-translates `next` by resolving it in the active language: the chosen one here,
    # in which the target resolves to itself
    with translation.override(language):
        return set_language(request)
