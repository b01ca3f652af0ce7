"""Vietnamese unless the visitor chose otherwise.

Officers' phones and PCs often run an English system locale; the site must still open in
Vietnamese. So the browser's Accept-Language header is never read, and the language is:

- on a Wagtail page, the page's: a URL prefix (`/en/...`) for a translation, none (Vietnamese)
  for the default tree, as `i18n_patterns(prefix_default_language=False)` in lms/urls.py gives;
- everywhere else (`/me/`, `/accounts/`, `/verify/`, the admin, the POST endpoints), the one
  chosen with the language switcher, kept in Django's language cookie; Vietnamese without it.

Django's LocaleMiddleware cannot do both: once any URL is in i18n_patterns without a prefix
for the default language, it forces that language on every unprefixed URL and the cookie is
ignored on `/me/`. Only `process_request` differs from Django's."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import Resolver404, resolve
from django.utils import translation

PAGE_VIEW = "wagtail_serve"


def _resolves(path: str, urlconf, language: str) -> bool:
    with translation.override(language):
        try:
            resolve(path, urlconf)
        except Resolver404:
            return False
        return True


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        language = translation.get_language_from_path(request.path_info)
        if language is None:
            # the cookie, else LANGUAGE_CODE (Accept-Language is gone)
            language = translation.get_language_from_request(request)
            # an unprefixed URL that only resolves in the default language is a page (or
            # another of Wagtail's i18n URLs): it is in that language whatever the cookie
            if language != settings.LANGUAGE_CODE and not _resolves(
                request.path_info, urlconf, language
            ):
                language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
