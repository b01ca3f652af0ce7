"""Vietnamese unless the visitor chose otherwise.

Officers' phones and PCs often run an English system locale; the site must still open in
Vietnamese. Only an explicit choice (the language switcher's cookie) selects English, so the
browser's Accept-Language header is ignored before LocaleMiddleware reads it."""


class DefaultLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
