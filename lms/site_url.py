"""The address the site is reached at, for absolute links that leave the page: QR codes and
links in certificate PDFs, badges, exports and e-mails.

With SITE_URL configured (required in production) it is always SITE_URL. In the embedded mode
without it (SITE_URL_FROM_REQUEST), it is the address of the request being served: the one
passed in, else the one SiteUrlMiddleware recorded for the current request (so code running
inside the request, such as a task run inline after an exam is graded, gets it too), else
SITE_URL's default. The Host header is Django's validated one (ALLOWED_HOSTS), so a client
cannot make the site print a forged address."""

import contextvars

from django.conf import settings
from django.core.exceptions import DisallowedHost

_current: contextvars.ContextVar[str] = contextvars.ContextVar("lms_site_url", default="")


def from_request_enabled() -> bool:
    return bool(getattr(settings, "SITE_URL_FROM_REQUEST", False))


def request_base_url(request) -> str:
    """scheme://host[:port] of the request, or "" when its Host is not allowed."""
    try:
        return request.build_absolute_uri("/").rstrip("/")
    except DisallowedHost:
        return ""


def site_url(request=None) -> str:
    """The base URL (no trailing slash) for absolute links."""
    if from_request_enabled():
        base = request_base_url(request) if request is not None else _current.get()
        if base:
            return base
    return settings.SITE_URL


def site_url_of_request() -> str:
    """The current request's base URL when links follow the request ("" otherwise): what a
    record created now should remember for links rendered later, outside any request."""
    return _current.get() if from_request_enabled() else ""


class SiteUrlMiddleware:
    """Records the request's base URL for site_url() during the request (embedded mode)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_request_enabled():
            return self.get_response(request)
        token = _current.set(request_base_url(request))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
