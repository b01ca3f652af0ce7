"""Absolute links to a certificate (its QR code, badge, exports and e-mails): see
lms/site_url.py for where the base address comes from."""

from django.urls import reverse

from lms.site_url import from_request_enabled, site_url, site_url_of_request

from .models import Certificate


def certificate_site_url(*, certificate: Certificate | None = None, request=None) -> str:
    """The base of a certificate's absolute links: SITE_URL when configured; in the embedded
    mode the address of the request being served, else the one the certificate was issued
    from (a PDF rendered later, a reminder sent by the nightly job)."""
    if (
        request is None
        and certificate is not None
        and certificate.site_url
        and from_request_enabled()
        and not site_url_of_request()
    ):
        return certificate.site_url
    return site_url(request)


def verify_url(*, certificate: Certificate, request=None) -> str:
    return certificate_site_url(certificate=certificate, request=request) + reverse(
        "certificates:verify", args=[certificate.verification_code]
    )
