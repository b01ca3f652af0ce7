from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .selectors import (
    certificate_get_by_code,
    certificate_get_for_download,
    certificate_live_status,
)


@never_cache
def verify(request, code: str):
    """Public: the facts and live status of a certificate. Unknown codes all get the same 404."""
    try:
        certificate = certificate_get_by_code(code=code)
    except Http404:
        return render(request, "certificates/verify_not_found.html", status=404)
    return render(
        request,
        "certificates/verify.html",
        {"certificate": certificate, "status": certificate_live_status(certificate=certificate)},
    )


@login_required
def download(request, certificate_id: int):
    certificate = certificate_get_for_download(user=request.user, certificate_id=certificate_id)
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
