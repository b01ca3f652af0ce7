"""Wagtail admin screens for trainers: import a question file (upload → preview → confirm, the
file kept in private storage in between, as the staff import does), download the empty XLSX
template, and export the bank (as filtered on the listing) in each format. Views validate and
call one service (assessments.bank_import / bank_export)."""

import uuid

from django import forms
from django.contrib import messages
from django.core import signing
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.auth import permission_required

from competencies.models import Competency
from lms.storage import private_storage

from . import interchange
from .bank_export import bank_export
from .bank_import import FORMAT_LABELS, ImportRefused, bank_import_apply, bank_import_preview
from .interchange import model as imodel
from .models import Difficulty, Question

IMPORT_PERMISSION = "assessments.add_question"
_SALT = "assessments.question-import"
_MAX_AGE = 24 * 3600


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("Moodle XML, GIFT or the XLSX template."),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"),
        required=False,
        choices=[
            ("", gettext_lazy("Recognise from the file")),
            *[(f, FORMAT_LABELS[f]) for f in interchange.FORMATS],
        ],
    )
    competency = forms.ModelChoiceField(
        label=gettext_lazy("Competency for questions that name none"),
        queryset=Competency.objects.order_by("code"),
        required=False,
    )
    difficulty = forms.ChoiceField(
        label=gettext_lazy("Difficulty for questions that give none"),
        choices=[("", "—"), *Difficulty.choices],
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > imodel.MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": imodel.MAX_FILE_BYTES // (1024 * 1024)}
            )
        return upload


class AlreadyImported(Exception):
    """The upload's file is gone: it was imported (the confirm step deletes it)."""


def _load(token: str, user) -> tuple[dict, bytes]:
    try:
        job = signing.loads(token, salt=_SALT, max_age=_MAX_AGE)
    except signing.BadSignature as error:
        raise Http404 from error
    if job.get("user") != user.pk:
        raise Http404
    if not private_storage.exists(job["path"]):
        raise AlreadyImported
    with private_storage.open(job["path"], "rb") as handle:
        return job, handle.read()


def _kwargs(job: dict, data: bytes) -> dict:
    return {
        "data": data,
        "filename": job["name"],
        "format": job["format"] or None,
        "default_competency": Competency.objects.filter(pk=job["competency"]).first()
        if job["competency"]
        else None,
        "default_difficulty": job["difficulty"],
    }


@permission_required(IMPORT_PERMISSION)
def upload(request):
    form = QuestionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_ = form.cleaned_data["file"]
        name = upload_.name[-200:]
        stored = private_storage.save(
            f"question-imports/{uuid.uuid4().hex}.bin", ContentFile(upload_.read())
        )
        competency = form.cleaned_data["competency"]
        token = signing.dumps(
            {
                "path": stored,
                "name": name,
                "format": form.cleaned_data["format"],
                "competency": competency.pk if competency else None,
                "difficulty": form.cleaned_data["difficulty"],
                "user": request.user.pk,
            },
            salt=_SALT,
        )
        return redirect(reverse("question_imports:preview") + "?token=" + token)
    return TemplateResponse(
        request, "assessments/admin/question_import_upload.html", {"form": form}
    )


@permission_required(IMPORT_PERMISSION)
def preview(request):
    token = request.GET.get("token", "")
    try:
        job, data = _load(token, request.user)
    except AlreadyImported:
        return _already_imported(request)
    plan = bank_import_preview(**_kwargs(job, data))
    return TemplateResponse(
        request,
        "assessments/admin/question_import_preview.html",
        {
            "plan": plan,
            "counts": plan.counts,
            "job": job,
            "token": token,
            "can_confirm": plan.ok and bool(plan.items),
        },
    )


@require_POST
@permission_required(IMPORT_PERMISSION)
def confirm(request):
    token = request.POST.get("token", "")
    try:
        job, data = _load(token, request.user)
    except AlreadyImported:
        return _already_imported(request)
    try:
        plan = bank_import_apply(**_kwargs(job, data), user=request.user)
    except ImportRefused:
        messages.error(request, _("The file has errors; nothing was imported."))
        return redirect(reverse("question_imports:preview") + "?token=" + token)
    private_storage.delete(job["path"])
    counts = plan.counts
    messages.success(
        request,
        _(
            "Imported: %(create)d new questions, %(version)d new versions, %(unchanged)d "
            "unchanged. Imported questions are drafts until reviewed and approved."
        )
        % counts,
    )
    return redirect("question:index")


def _already_imported(request):
    messages.warning(
        request,
        _(
            "This file has already been imported; nothing was imported again. Its questions "
            "are in the bank."
        ),
    )
    return redirect("question:index")


@permission_required(IMPORT_PERMISSION)
def template(request):
    response = HttpResponse(
        interchange.xlsx_template(), content_type=interchange.CONTENT_TYPES["xlsx"]
    )
    response["Content-Disposition"] = 'attachment; filename="ngan-hang-cau-hoi-mau.xlsx"'
    return response


@permission_required(IMPORT_PERMISSION)
def export(request):
    fmt = request.GET.get("format", "")
    if fmt not in interchange.FORMATS:
        raise Http404
    # the listing's filters, when given
    from .bank_admin import QuestionFilterSet

    filters = QuestionFilterSet(request.GET, queryset=Question.objects.all())
    questions = filters.qs if filters.is_valid() else Question.objects.all()
    content, warnings = bank_export(format=fmt, questions=questions)
    response = HttpResponse(content, content_type=interchange.CONTENT_TYPES[fmt])
    filename = "ngan-hang-cau-hoi" + interchange.EXTENSIONS[fmt]
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Export-Warnings"] = str(len(warnings))
    return response


urlpatterns = [
    path("", upload, name="upload"),
    path("preview/", preview, name="preview"),
    path("confirm/", confirm, name="confirm"),
    path("template/", template, name="template"),
    path("export/", export, name="export"),
]


@hooks.register("register_admin_urls")
def register_question_import_urls():
    return [path("question-imports/", include((urlpatterns, "question_imports")))]
