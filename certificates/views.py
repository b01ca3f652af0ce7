"""Public verification (page, JSON, file check) and the holder's/HR's downloads. Views are
thin: the rules are in selectors, services and verification."""

import logging

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_http_methods

from staff.selectors import staff_for_user

from .badges import issuer_profile, signing_keys_jwks
from .selectors import (
    NAME_MAX_LENGTH,
    SERIAL_MAX_LENGTH,
    certificate_find_by_code,
    certificate_find_by_serial_and_name,
    certificate_get_for_download,
    certificate_list_for_user,
    certificate_live_status,
)
from .verification import (
    PdfCheck,
    Verdict,
    certificate_facts,
    code_prefix,
    pdf_check,
    verify_rate_limited,
)

logger = logging.getLogger("certificates.verification")


class PdfUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Certificate file (PDF)"))


def _max_mb() -> int:
    return max(1, settings.CERTIFICATE_VERIFY_UPLOAD_MAX_BYTES // (1024 * 1024))


def _wants_json(request) -> bool:
    if request.GET.get("format") == "json":
        return True
    return request.get_preferred_type(["text/html", "application/json"]) == "application/json"


def _too_many(request, *, as_json: bool):
    message = _("Too many verification requests from your connection. Please wait a minute.")
    if as_json:
        response = JsonResponse({"status": "rate_limited", "detail": message}, status=429)
    else:
        response = render(
            request, "certificates/verify_rate_limited.html", {"message": message}, status=429
        )
    response["Retry-After"] = "60"
    return response


@never_cache
@require_http_methods(["GET", "HEAD"])
def verify(request, code: str):
    """Public: the facts and live status of a certificate, as a page or (Accept:
    application/json) as JSON. Every unknown code gets the same answer."""
    as_json = _wants_json(request)
    if verify_rate_limited(request):
        logger.info("certificate lookup refused: rate limit")
        return _too_many(request, as_json=as_json)
    certificate = certificate_find_by_code(code=code)
    logger.info(
        "certificate lookup: code %s… %s", code_prefix(code), "found" if certificate else "unknown"
    )
    if certificate is None:
        if as_json:
            response = JsonResponse({"status": "not_found"}, status=404)
        else:
            response = render(request, "certificates/verify_not_found.html", status=404)
        # logged above with the code's prefix only: Django's "Not Found: <path>" line would
        # write the whole code
        response._has_been_logged = True
    else:
        status = certificate_live_status(certificate=certificate)
        facts = certificate_facts(certificate=certificate, status=status, request=request)
        if as_json:
            response = JsonResponse(facts, json_dumps_params={"ensure_ascii": False})
        else:
            response = render(
                request,
                "certificates/verify.html",
                {
                    "certificate": certificate,
                    "status": status,
                    "facts": facts,
                    "form": PdfUploadForm(),
                    "max_mb": _max_mb(),
                },
            )
    patch_vary_headers(response, ["Accept"])
    return response


class SerialLookupForm(forms.Form):
    """The serial printed on a certificate and its holder's full name, both required."""

    serial = forms.CharField(
        label=gettext_lazy("Serial number"),
        max_length=SERIAL_MAX_LENGTH,
        help_text=gettext_lazy("As printed on the certificate, e.g. CC-2026-000001."),
        error_messages={
            "required": gettext_lazy("Enter the serial number printed on the certificate.")
        },
    )
    name = forms.CharField(
        label=gettext_lazy("Holder's full name"),
        max_length=NAME_MAX_LENGTH,
        help_text=gettext_lazy("Capitals and accents do not matter."),
        error_messages={"required": gettext_lazy("Enter the holder's full name as well.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["serial"].widget.attrs.update(autocomplete="off", spellcheck="false")
        self.fields["name"].widget.attrs.update(autocomplete="off")


def _verify_start_page(request, *, form=None, serial_form=None, status=200):
    return render(
        request,
        "certificates/verify_start.html",
        {
            "form": form or PdfUploadForm(),
            "serial_form": serial_form or SerialLookupForm(),
            "max_mb": _max_mb(),
        },
        status=status,
    )


def _serial_lookup(request):
    """By serial and full name (posted, so the name stays out of access logs): the
    certificate's page when both match, else the one answer for every mismatch."""
    serial_form = SerialLookupForm(request.POST)
    if not serial_form.is_valid():
        return _verify_start_page(request, serial_form=serial_form, status=400)
    certificate = certificate_find_by_serial_and_name(
        serial=serial_form.cleaned_data["serial"], name=serial_form.cleaned_data["name"]
    )
    logger.info("certificate lookup by serial: %s", "found" if certificate else "no match")
    if certificate is None:
        return render(
            request, "certificates/verify_not_found.html", {"by_serial": True}, status=404
        )
    status = certificate_live_status(certificate=certificate)
    return render(
        request,
        "certificates/verify.html",
        {
            "certificate": certificate,
            "status": status,
            "facts": certificate_facts(certificate=certificate, status=status, request=request),
            "form": PdfUploadForm(),
            "max_mb": _max_mb(),
        },
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def verify_start(request):
    """Public: enter a code, or the serial and the holder's name, or upload a certificate PDF
    to check that it is the issued file."""
    code = request.GET.get("code", "").strip().rstrip("/").rsplit("/", 1)[-1]
    if code:
        return redirect("certificates:verify", code=code[:200])
    form = PdfUploadForm()
    if request.method == "POST":
        if verify_rate_limited(request):
            return _too_many(request, as_json=False)
        check = _check_upload(request)
        if check is None and ("serial" in request.POST or "name" in request.POST):
            return _serial_lookup(request)
        if check is not None:
            return render(
                request, "certificates/verify_check.html", {"check": check, "max_mb": _max_mb()}
            )
        form = PdfUploadForm(request.POST, request.FILES)
        form.is_valid()  # shows "this field is required"
    return _verify_start_page(request, form=form)


def _check_upload(request) -> PdfCheck | None:
    limit = settings.CERTIFICATE_VERIFY_UPLOAD_MAX_BYTES
    # refused before Django reads the body: a huge upload costs nothing
    if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
        return PdfCheck(Verdict.TOO_LARGE)
    upload = request.FILES.get("file")
    if upload is None:
        return None
    if upload.size > limit:
        return PdfCheck(Verdict.TOO_LARGE)
    return pdf_check(data=upload.read(limit + 1))


@never_cache  # personal data on possibly shared office PCs
@login_required
def my_certificates(request):
    """The officer's certificates, whatever their status, with downloads and expiry."""
    staff = staff_for_user(user=request.user)
    certificates = certificate_list_for_user(user=request.user).select_related(
        "template", "superseded_by"
    )
    today = timezone.localdate()
    rows = [
        (c, certificate_live_status(certificate=c, today=today), (c.valid_until - today).days)
        for c in certificates
    ]
    return render(request, "certificates/my_certificates.html", {"staff": staff, "rows": rows})


def _refused_when_withdrawn(request, certificate):
    """A revoked or superseded certificate is not handed out as a clean file that would read as
    valid to whoever receives it: the holder and HR get its status and reason instead (410),
    and for a replaced one the way to its successor. The verification page, which the file's QR
    code opens, says the same to anyone."""
    status = certificate_live_status(certificate=certificate)
    if status.code not in ("revoked", "superseded"):
        return None
    response = render(
        request,
        "certificates/download_refused.html",
        {"certificate": certificate, "status": status},
        status=410,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download(request, certificate_id: int):
    certificate = certificate_get_for_download(user=request.user, certificate_id=certificate_id)
    refused = _refused_when_withdrawn(request, certificate)
    if refused is not None:
        return refused
    if not certificate.pdf:
        raise Http404
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def openbadge(request, certificate_id: int):
    """The Open Badges 3.0 credential (a signed JWT), for the holder and HR in scope."""
    certificate = certificate_get_for_download(user=request.user, certificate_id=certificate_id)
    refused = _refused_when_withdrawn(request, certificate)
    if refused is not None:
        return refused
    if not certificate.badge_jwt:
        raise Http404
    response = HttpResponse(certificate.badge_jwt, content_type="application/jwt")
    response["Content-Disposition"] = f'attachment; filename="{certificate.serial}.jwt"'
    response["Cache-Control"] = "private, no-store"
    return response


@cache_control(public=True, max_age=3600)
def verify_keys(request):
    """Public: every key that has signed certificates and badges (JWKS)."""
    return JsonResponse(signing_keys_jwks())


@cache_control(public=True, max_age=3600)
def verify_issuer(request):
    """Public: the issuer profile the badges name."""
    return JsonResponse(issuer_profile(request=request), json_dumps_params={"ensure_ascii": False})
