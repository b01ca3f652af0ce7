"""Learner views of exams and attempts: validate, call one service, render."""

import uuid
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks

from lms.http import wants_json
from staff.selectors import staff_for_user

from .forms import AnswerForm, SubmitForm
from .late_responses import device_time_from
from .models import ReviewPolicy
from .selectors import (
    attempt_feedback,
    attempt_get_own,
    attempt_item_get_own,
    attempt_items,
    attempt_items_for_page,
    attempt_items_get_own_open,
    attempt_list_for,
    attempt_outcome,
    exam_get_published,
)
from .services import (
    AssessmentError,
    AttemptClosedError,
    SequenceAheadError,
    StaleSaveError,
    attempt_accepts_answers,
    attempt_close_if_overdue,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
    attempts_awaiting_late_decision,
    exam_start_refusal,
)

# Downstream apps add links to a graded attempt's result page (e.g. the certificate):
# fn(attempt=Attempt) -> list[tuple[label, url]]
ATTEMPT_RESULT_LINKS_HOOK = "lms_attempt_result_links"


def _question_url(attempt, position: int) -> str:
    return reverse("assessments:question", args=[attempt.pk, position])


def _attempts_used(attempts) -> int:
    graded = [a for a in attempts if a.status == a.Status.GRADED]
    waiting = attempts_awaiting_late_decision(attempts=graded)
    return sum(1 for a in graded if a.pk not in waiting)


@login_required
def exam_detail(request, exam_id: int):
    exam = exam_get_published(exam_id=exam_id)
    staff = staff_for_user(user=request.user)
    attempts = attempt_list_for(exam=exam, staff=staff) if staff else []
    # the server owns time: an attempt left open past its deadline is graded before it is shown
    attempts = [
        attempt_close_if_overdue(attempt=a) if a.status == a.Status.IN_PROGRESS else a
        for a in attempts
    ]
    in_progress = next((a for a in attempts if a.status == a.Status.IN_PROGRESS), None)
    return render(
        request,
        "assessments/exam_detail.html",
        {
            "exam": exam,
            "staff": staff,
            "attempts": attempts,
            # the review policy decides whether earlier scores are shown at all
            "show_score": exam.review_policy_now(now=timezone.now()) != ReviewPolicy.NOTHING,
            # the real state: continue the open attempt, or start, or why not (and until when)
            "in_progress": in_progress,
            "refusal": exam_start_refusal(exam=exam, staff=staff, attempts=attempts)
            if staff and in_progress is None
            else None,
            # an attempt whose late answers wait for a trainer's decision is not counted yet
            "attempts_used": _attempts_used(attempts),
        },
    )


@login_required
@require_POST
def exam_start(request, exam_id: int):
    exam = exam_get_published(exam_id=exam_id)
    staff = staff_for_user(user=request.user)
    if staff is None:
        raise Http404
    try:
        attempt = attempt_start(exam=exam, staff=staff)
    except AssessmentError as error:
        messages.error(request, error.message)
        return redirect("assessments:exam", exam_id=exam.pk)
    if attempt.status != attempt.Status.IN_PROGRESS:
        return redirect("assessments:result", attempt_id=attempt.pk)
    return redirect(_question_url(attempt, 1))


def _remaining_seconds(attempt, now=None) -> int:
    """Seconds to the deadline, from the server's clock: the page's timer only displays it."""
    now = now or timezone.now()
    return max(0, int((attempt.deadline - now).total_seconds()))


def _login_required_json_aware(view):
    """login_required, except that a background save whose session expired gets JSON saying so
    (and where to sign in again) instead of a redirect to an HTML login page."""
    protected = login_required(view)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated and wants_json(request):
            login_url = resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": request.path})
            return JsonResponse(
                {
                    "saved": False,
                    "login_required": True,
                    "login_url": login_url,
                    "error": _("Your session has expired. Please sign in again."),
                },
                status=401,
            )
        return protected(request, *args, **kwargs)

    return wrapper


def _next_url(attempt, position: int, count: int, target: str) -> str:
    if target == "review" or (target == "next" and position == count):
        return reverse("assessments:review", args=[attempt.pk])
    if target == "stay":
        return _question_url(attempt, position)
    step = -1 if target == "previous" else 1
    return _question_url(attempt, min(max(position + step, 1), count))


def _closed_json(attempt, message: str) -> JsonResponse:
    return JsonResponse(
        {
            "saved": False,
            "closed": True,
            "error": message,
            "result_url": reverse("assessments:result", args=[attempt.pk]),
        },
        status=410,
    )


def _save(request, *, attempt, item, position: int, count: int, as_json: bool):
    """Validate and save the posted answer: the response to send, or (None, form) when a plain
    form post is invalid and the page must be shown again with its errors."""
    form = AnswerForm(request.POST, item=item)
    if not form.is_valid():
        if as_json:
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
            return JsonResponse(
                {"saved": False, "error": " ".join(errors) or _("Invalid answer.")}, status=400
            ), form
        return None, form
    go = request.POST.get("go", "next")
    try:
        result = attempt_save_answer(
            attempt=attempt,
            item=item,
            response=form.response(),
            seq=form.cleaned_data["seq"],
            device_time=device_time_from(request.POST.get("t")),
        )
    except StaleSaveError as error:
        if as_json:
            # not an error for the client: a newer answer is stored, nothing to retry
            return JsonResponse(
                {
                    "saved": False,
                    "stale": True,
                    "seq": error.seq,
                    "remaining_seconds": _remaining_seconds(attempt),
                    "next_url": _next_url(attempt, position, count, go),
                }
            ), form
        messages.error(request, error.message)
        return redirect(_question_url(attempt, position)), form
    except SequenceAheadError as error:
        if as_json:
            # the client renumbers from the server's highest number and sends it again
            return JsonResponse(
                {"saved": False, "resequence": True, "seq": error.seq, "error": error.message},
                status=409,
            ), form
        messages.error(request, error.message)
        return redirect(_question_url(attempt, position)), form
    except AttemptClosedError as error:
        if as_json:
            return _closed_json(attempt, error.message), form
        messages.error(request, error.message)
        return redirect(_question_url(attempt, position)), form
    except AssessmentError as error:
        if as_json:
            return JsonResponse({"saved": False, "error": error.message}, status=400), form
        messages.error(request, error.message)
        return redirect(_question_url(attempt, position)), form
    next_url = _next_url(attempt, position, count, go)
    if as_json:
        return JsonResponse(
            {
                "saved": True,
                "seq": result.seq,
                "remaining_seconds": _remaining_seconds(attempt),
                "next_url": next_url,
            }
        ), form
    return redirect(next_url), form


@_login_required_json_aware
def attempt_question(request, attempt_id: int, position: int):
    """One question per page. A plain form post saves and moves on; attempt.js posts the same
    form in the background (Accept: application/json) and gets the outcome as JSON. The server
    owns time: an overdue attempt is closed here, on access, with what was saved."""
    as_json = wants_json(request)
    posted = request.method == "POST"
    # the common case in one read: the user's open attempt, the item, its question
    item = attempt_item_get_own(attempt_id=attempt_id, position=position, user=request.user)
    if item is None or not attempt_accepts_answers(attempt=item.attempt):
        return _question_refused(request, attempt_id=attempt_id, posted=posted, as_json=as_json)
    attempt = item.attempt
    form = None
    if posted:
        response, form = _save(
            request,
            attempt=attempt,
            item=item,
            position=position,
            count=attempt.question_count,
            as_json=as_json,
        )
        if response is not None:
            return response
    items = attempt_items_for_page(item=item)
    last_seq = max(i.saved_seq for i in items)
    if form is None:
        if as_json:
            return JsonResponse({"seq": last_seq, "remaining_seconds": _remaining_seconds(attempt)})
        # the form fills in the saved answer itself, whatever the question type
        form = AnswerForm(initial={"seq": item.saved_seq + 1}, item=item)
    remaining = _remaining_seconds(attempt)
    return render(
        request,
        "assessments/attempt_question.html",
        {
            "attempt": attempt,
            "items": items,
            "item": item,
            "form": form,
            "position": position,
            # the highest sequence number saved in this attempt: attempt.js numbers on from it
            "last_seq": last_seq,
            "remaining_seconds": remaining,
            # shown without JavaScript: whole minutes, rounded up ("1 minute left" to the end)
            "remaining_minutes": -(-remaining // 60),
            "grace_seconds": settings.ATTEMPT_GRACE_SECONDS,
        },
    )


@_login_required_json_aware
def attempt_questions(request, attempt_id: int):
    """Every question of the user's open attempt, as the question page shows its changing part
    (no key, fraction or feedback: the same form), in one JSON reply: attempt.js fetches it as
    soon as a question page loads and keeps the parts to answer offline."""
    items = attempt_items_get_own_open(attempt_id=attempt_id, user=request.user)
    if not items or not attempt_accepts_answers(attempt=items[0].attempt):
        return _question_refused(request, attempt_id=attempt_id, posted=False, as_json=True)
    exam_title = items[0].attempt.exam.title
    site = _("Local S&T competency")
    count = len(items)
    pages = []
    for item in items:
        form = AnswerForm(initial={"seq": item.saved_seq + 1}, item=item)
        html = render_to_string(
            "assessments/attempt_question_part.html",
            {"item": item, "form": form, "position": item.position, "count": count},
            request=request,
        )
        title = _("Question %(n)s") % {"n": item.position}
        pages.append(
            {"n": item.position, "h": html.strip(), "t": f"{title} · {exam_title} · {site}"}
        )
    return JsonResponse({"pages": pages})


def _question_refused(request, *, attempt_id: int, posted: bool, as_json: bool):
    """Why a question page or save found no open item: not the user's attempt or no such
    question (404), or the attempt is closed (closed here if it is overdue)."""
    try:
        attempt = attempt_close_if_overdue(
            attempt=attempt_get_own(attempt_id=attempt_id, user=request.user)
        )
    except Http404:
        attempt = None
    if attempt is None or attempt.status == attempt.Status.IN_PROGRESS:
        if as_json:
            return JsonResponse({"saved": False, "error": _("Not found.")}, status=404)
        raise Http404
    message = _closed_message(attempt, posted=posted)
    if as_json:
        return _closed_json(attempt, message)
    (messages.error if posted else messages.info)(request, message)
    return redirect("assessments:result", attempt_id=attempt.pk)


def _closed_message(attempt, *, posted: bool = False) -> str:
    if posted:
        if attempt.submit_key == "deadline":
            return _("Time is up. This answer was not saved.")
        return _("The attempt has already been submitted. This answer was not saved.")
    if attempt.submit_key == "deadline":
        return _("Time is up: the attempt was graded with the answers saved before the deadline.")
    return _("The attempt has been submitted and graded.")


@login_required
def attempt_review(request, attempt_id: int):
    attempt = attempt_close_if_overdue(
        attempt=attempt_get_own(attempt_id=attempt_id, user=request.user)
    )
    if attempt.status != attempt.Status.IN_PROGRESS:
        return redirect("assessments:result", attempt_id=attempt.pk)
    items = attempt_items(attempt=attempt)
    form = SubmitForm(initial={"idempotency_key": uuid.uuid4().hex})
    return render(
        request,
        "assessments/attempt_review.html",
        {
            "attempt": attempt,
            "items": items,
            "unanswered": sum(1 for i in items if not i.response),
            "form": form,
            "accepting": attempt_accepts_answers(attempt=attempt),
        },
    )


@login_required
@require_POST
def attempt_submit_view(request, attempt_id: int):
    attempt = attempt_get_own(attempt_id=attempt_id, user=request.user)
    form = SubmitForm(request.POST)
    if not form.is_valid():
        # a forged or truncated form: nothing is submitted, and the officer is told so
        messages.error(request, _("The submission could not be read. Please submit again."))
        return redirect("assessments:review", attempt_id=attempt.pk)
    attempt_submit(attempt=attempt, idempotency_key=form.cleaned_data["idempotency_key"])
    return redirect("assessments:result", attempt_id=attempt.pk)


@login_required
def attempt_result(request, attempt_id: int):
    attempt = attempt_close_if_overdue(
        attempt=attempt_get_own(attempt_id=attempt_id, user=request.user)
    )
    if attempt.status == attempt.Status.IN_PROGRESS:
        return redirect(_question_url(attempt, 1))
    links = [
        link for fn in hooks.get_hooks(ATTEMPT_RESULT_LINKS_HOOK) for link in fn(attempt=attempt)
    ]
    # a hook may give (label, url) or {"label", "url", "verify_url"}: the first is the download
    links = [
        link if isinstance(link, dict) else {"label": link[0], "url": link[1]} for link in links
    ]
    # only what the exam's review policy allows now reaches the page
    feedback = attempt_feedback(attempt=attempt)
    return render(
        request,
        "assessments/attempt_result.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "links": links if feedback.show_score else [],
            "feedback": feedback,
            # attempts left; competency names, levels and next steps (shown with the score only)
            "outcome": attempt_outcome(attempt=attempt),
        },
    )
