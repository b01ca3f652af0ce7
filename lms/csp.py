"""The Content-Security-Policy header (django-csp), with one relaxed policy for Wagtail's admin.

The learner site's policy (settings.CONTENT_SECURITY_POLICY, built in lms/settings/base.py)
allows no inline script or style, images and media from the site and its media host only, no
plugins, no framing. Three places differ, each for a reason its library gives it:

- the Wagtail admin (`/admin/`) runs inline scripts of its own (InlinePanel, date pickers,
  multiple choosers: wagtail/admin/templates/wagtailadmin/panels/*.html, widgets/*.html),
  draws previews in an iframe of itself and shows uploads as data:/blob: thumbnails:
  settings.CSP_ADMIN_DIRECTIVES;
- allauth's authenticator-app set-up (`/accounts/2fa/`) draws its QR code as a data: SVG image:
  `img-src data:` is added there only;
- responses that set their own header keep it (Wagtail's document downloads send
  `default-src 'none'`; the offline pack sends the policy written in it).

docs/architecture.md ("Content-Security-Policy") records why; docs/operations.md how to run it.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PREFIX = "/admin/"
TOTP_PREFIX = "/accounts/2fa/"


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware; the admin gets its own policy, the TOTP page its data: image."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or not getattr(settings, "CONTENT_SECURITY_POLICY", None):
            return parts
        path = request.path_info
        if parts.config is None and path.startswith(ADMIN_PREFIX):
            parts.config = dict(settings.CSP_ADMIN_DIRECTIVES)
        elif path.startswith(TOTP_PREFIX):
            parts.update = {**(parts.update or {}), "img-src": ["data:"]}
        return parts
