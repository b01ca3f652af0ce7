"""The officer's side of late answers: send the response file the device made (or one
downloaded earlier) from the result page. It then waits for a trainer's decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.http import wants_json

from .late_responses import MAX_FILE_BYTES, LateResponseError, late_response_receive
from .selectors import attempt_get_own


def _read_upload(request) -> bytes | None:
    upload = request.FILES.get("file")
    if upload is None:
        return None
    if upload.size > MAX_FILE_BYTES:
        return upload.read(MAX_FILE_BYTES + 1)  # refused as too large, never read whole
    return upload.read()


@login_required
@require_POST
def attempt_late_response_upload(request, attempt_id: int):
    """Only the attempt's owner sends from here (anyone else: 404, as every attempt URL)."""
    attempt = attempt_get_own(attempt_id=attempt_id, user=request.user)
    as_json = wants_json(request)
    data = _read_upload(request)
    try:
        if not data:
            raise LateResponseError(_("Choose the response file to send."))
        late_response_receive(attempt=attempt, data=data, uploaded_by=request.user)
    except LateResponseError as error:
        if as_json:
            return JsonResponse({"sent": False, "error": error.message}, status=400)
        messages.error(request, error.message)
        return redirect("assessments:result", attempt_id=attempt.pk)
    message = _("Your late answers were sent. A trainer will decide whether they count.")
    if as_json:
        return JsonResponse({"sent": True, "message": message})
    messages.success(request, message)
    return redirect("assessments:result", attempt_id=attempt.pk)
