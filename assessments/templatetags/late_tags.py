"""The result page's part on late answers: what the server holds, and what the page needs to
make a response file from the answers the device still holds (static/js/late.js)."""

from django import template
from django.urls import reverse

from ..late_responses import attempt_late_token, late_response_public_key
from ..models import LateResponse

register = template.Library()


@register.simple_tag
def late_response_state(attempt) -> dict:
    """One query: the attempt's late answers, newest first."""
    responses = list(LateResponse.objects.filter(attempt=attempt).order_by("-received_at"))
    return {
        "responses": responses,
        "pending": any(r.status == LateResponse.Status.PENDING for r in responses),
        # answers numbered up to this are on the server: the device forgets them
        "received_seq": max(
            (a["seq"] for r in responses for a in r.answers if isinstance(a, dict)), default=0
        ),
        "public_key": late_response_public_key(),
        "token": attempt_late_token(attempt=attempt),
        "upload_url": reverse("assessments:late_response_upload", args=[attempt.pk]),
    }
