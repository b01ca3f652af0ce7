"""Learner views of exams and attempts: validate, call one service, render."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks

from staff.selectors import staff_for_user

from .forms import AnswerForm, SubmitForm
from .selectors import attempt_get_own, attempt_items, attempt_list_for, exam_get_published
from .services import (
    AssessmentError,
    attempt_accepts_answers,
    attempt_close_if_overdue,
    attempt_save_answer,
    attempt_start,
    attempt_submit,
)

# Downstream apps add links to a graded attempt's result page (e.g. the certificate):
# fn(attempt=Attempt) -> list[tuple[label, url]]
ATTEMPT_RESULT_LINKS_HOOK = "lms_attempt_result_links"


def _question_url(attempt, position: int) -> str:
    return reverse("assessments:question", args=[attempt.pk, position])


@login_required
def exam_detail(request, exam_id: int):
    exam = exam_get_published(exam_id=exam_id)
    staff = staff_for_user(user=request.user)
    attempts = attempt_list_for(exam=exam, staff=staff) if staff else []
    return render(
        request,
        "assessments/exam_detail.html",
        {"exam": exam, "staff": staff, "attempts": attempts},
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


@login_required
def attempt_question(request, attempt_id: int, position: int):
    attempt = attempt_close_if_overdue(
        attempt=attempt_get_own(attempt_id=attempt_id, user=request.user)
    )
    if attempt.status != attempt.Status.IN_PROGRESS:
        messages.info(request, _closed_message(attempt))
        return redirect("assessments:result", attempt_id=attempt.pk)
    items = attempt_items(attempt=attempt)
    if not 1 <= position <= len(items):
        raise Http404
    item = items[position - 1]
    if request.method == "POST":
        form = AnswerForm(request.POST, item=item)
        if form.is_valid():
            try:
                attempt_save_answer(
                    attempt=attempt,
                    item=item,
                    response=form.response(),
                    seq=form.cleaned_data["seq"],
                )
            except AssessmentError as error:
                messages.error(request, error.message)
                return redirect(_question_url(attempt, position))
            target = request.POST.get("go", "next")
            if target == "review" or (target == "next" and position == len(items)):
                return redirect("assessments:review", attempt_id=attempt.pk)
            step = -1 if target == "previous" else 1
            return redirect(_question_url(attempt, min(max(position + step, 1), len(items))))
    else:
        form = AnswerForm(
            initial={"seq": item.saved_seq + 1, "answer": _initial_answer(item)}, item=item
        )
    return render(
        request,
        "assessments/attempt_question.html",
        {"attempt": attempt, "items": items, "item": item, "form": form, "position": position},
    )


def _initial_answer(item):
    if not item.response:
        return None
    if item.question_version.question.qtype == "multiple":
        return item.response
    return item.response[0]


def _closed_message(attempt) -> str:
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
    return render(
        request,
        "assessments/attempt_result.html",
        {"attempt": attempt, "exam": attempt.exam, "links": links},
    )
