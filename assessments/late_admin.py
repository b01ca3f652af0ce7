"""Late answers in the Wagtail admin ("Late answers"): trainers upload a response file an
officer gives them, compare each answer's device time and the received time with the
deadline, and accept (the attempt is re-graded) or reject with a reason. Trainers only
(`assessments.decide_lateresponse` and `assessments.view_exam`); HR never sees answers."""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from wagtail.admin.auth import user_passes_test

from lms.admin_menu import PermissionMenuItem

from .late_responses import (
    MAX_FILE_BYTES,
    LateResponseError,
    attempt_save_times,
    late_answer_rows,
    late_response_accept,
    late_response_receive,
    late_response_reject,
    response_file_attempt_id,
)
from .models import Attempt, LateResponse

PERMISSION = "assessments.decide_lateresponse"


def _may_decide(user) -> bool:
    return user.has_perm(PERMISSION) and user.has_perm("assessments.view_exam")


# Wagtail's answer to a missing permission: back to the dashboard with a message
trainers_only = user_passes_test(_may_decide)


class UploadForm(forms.Form):
    file = forms.FileField(label=_lazy("Response file"))


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Reason (the officer sees it)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


@trainers_only
def late_response_index(request):
    responses = LateResponse.objects.select_related(
        "attempt__exam", "attempt__staff", "uploaded_by"
    ).order_by("-received_at")[:200]
    # the ones waiting for a decision first: the trainer must act on them
    responses = sorted(responses, key=lambda r: r.status != LateResponse.Status.PENDING)
    return TemplateResponse(
        request,
        "assessments/late/index.html",
        {"responses": responses, "form": UploadForm()},
    )


@trainers_only
def late_response_upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_FILE_BYTES + 1)
        try:
            attempt = Attempt.objects.filter(pk=response_file_attempt_id(data)).first()
            if attempt is None:
                raise LateResponseError(_("The file names an attempt this system does not have."))
            late = late_response_receive(attempt=attempt, data=data, uploaded_by=request.user)
        except LateResponseError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, _("The file was read. Check the answers, then decide."))
            return redirect("late_responses:detail", pk=late.pk)
    return TemplateResponse(
        request,
        "assessments/late/index.html",
        {"responses": [], "form": form, "upload_only": True},
        status=400 if request.method == "POST" else 200,
    )


@trainers_only
def late_response_detail(request, pk: int):
    late = get_object_or_404(
        LateResponse.objects.select_related(
            "attempt__exam", "attempt__staff", "uploaded_by", "decided_by"
        ),
        pk=pk,
    )
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "accept":
                late = late_response_accept(late_response=late, user=request.user)
                messages.success(
                    request,
                    _("Accepted: %(n)d answers applied, the attempt was graded again.")
                    % {"n": late.applied_count},
                )
                return redirect("late_responses:detail", pk=late.pk)
            if request.POST.get("action") == "reject" and reject_form.is_valid():
                late_response_reject(
                    late_response=late, user=request.user, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("Rejected. The officer sees the reason."))
                return redirect("late_responses:detail", pk=late.pk)
        except LateResponseError as error:
            messages.error(request, error.message)
            return redirect("late_responses:detail", pk=late.pk)
    attempt = late.attempt
    return TemplateResponse(
        request,
        "assessments/late/detail.html",
        {
            "late": late,
            "attempt": attempt,
            "cutoff": attempt.deadline + timedelta(seconds=settings.ATTEMPT_GRACE_SECONDS),
            "rows": late_answer_rows(late_response=late),
            "saved_rows": attempt_save_times(attempt=attempt),
            "reject_form": reject_form,
        },
    )


def late_response_urls():
    views = [
        path("", late_response_index, name="index"),
        path("upload/", late_response_upload, name="upload"),
        path("<int:pk>/", late_response_detail, name="detail"),
    ]
    return [path("late-answers/", include((views, "late_responses")))]


def late_response_menu_item():
    return PermissionMenuItem(
        _lazy("Late answers"),
        reverse("late_responses:index"),
        icon_name="time",
        order=310,
        permission=PERMISSION,
    )
