"""Wagtail admin screens for HR imports: upload → preview (counts and every error) → confirm,
then a progress page for files applied in the background. Views only validate the form and
call one service or selector; the rules live in staff.services and staff.importing."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.auth import permission_required

from lms.admin_menu import PermissionMenuItem

from .importing import readers
from .models import ImportJob
from .selectors import import_job_list_for, import_job_progress, user_is_administrator
from .services import import_job_confirm, import_job_preview

# HR officers and administrators hold it (staff.roles); without it Wagtail's usual answer, a
# redirect to the dashboard with "you do not have permission", is given
IMPORT_PERMISSION = "staff.add_staffrecord"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("The file contains"), choices=ImportJob.Kind.choices
    )
    file = forms.FileField(label=gettext_lazy("File"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8 or Excel's Unicode text) or XLSX, at most %(size)s MB. Headers may be in "
            "Vietnamese or English."
        ) % {"size": readers.MAX_FILE_BYTES // (1024 * 1024)}
        if not user_is_administrator(user=user):
            # the org-unit tree is the administrators' to change
            self.fields["kind"].choices = [(ImportJob.Kind.STAFF, ImportJob.Kind.STAFF.label)]
        self.fields["kind"].initial = ImportJob.Kind.STAFF


@permission_required(IMPORT_PERMISSION)
def upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = import_job_preview(
            kind=form.cleaned_data["kind"],
            uploaded_file=form.cleaned_data["file"],
            user=request.user,
        )
        return redirect("staff_imports:job", pk=job.pk)
    return TemplateResponse(
        request,
        "staff/import_upload.html",
        {"form": form, "jobs": import_job_list_for(user=request.user)[:10]},
    )


@permission_required(IMPORT_PERMISSION)
def job_detail(request, pk: int):
    job = get_object_or_404(import_job_list_for(user=request.user), pk=pk)
    in_progress = job.status in {
        ImportJob.Status.CHECKING,
        ImportJob.Status.QUEUED,
        ImportJob.Status.RUNNING,
    }
    processed = import_job_progress(job=job)
    return TemplateResponse(
        request,
        "staff/import_job.html",
        {
            "job": job,
            "counts": job.counts,
            "notices": job.counts.get("notices", []),
            "in_progress": in_progress,
            "checking": job.status == ImportJob.Status.CHECKING,
            "processed": processed,
            "percent": int(100 * processed / job.total_rows) if job.total_rows else 0,
            "can_confirm": job.status == ImportJob.Status.PREVIEWED
            and not job.errors
            and not job.counts.get("errors"),
            "more_errors": max(0, job.counts.get("errors", 0) - len(job.errors)),
        },
    )


@require_POST
@permission_required(IMPORT_PERMISSION)
def job_confirm(request, pk: int):
    job = get_object_or_404(import_job_list_for(user=request.user), pk=pk)
    already = {
        ImportJob.Status.DONE: _("This file has already been imported; nothing was done again."),
        ImportJob.Status.QUEUED: _("This file is already being imported."),
        ImportJob.Status.RUNNING: _("This file is already being imported."),
        ImportJob.Status.FAILED: _(
            "The import of this file failed earlier; upload the file again to retry."
        ),
    }.get(job.status)
    if already:
        # a second confirmation (a double click, the back button) answers, never re-applies
        messages.warning(request, already)
        return redirect("staff_imports:job", pk=job.pk)
    try:
        job = import_job_confirm(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("staff_imports:job", pk=job.pk)
    if job.status == ImportJob.Status.DONE:
        messages.success(request, _("The file was imported."))
    elif job.status == ImportJob.Status.FAILED:
        messages.error(request, _("The import failed; nothing was written."))
    return redirect("staff_imports:job", pk=job.pk)


urlpatterns = [
    path("", upload, name="upload"),
    path("<int:pk>/", job_detail, name="job"),
    path("<int:pk>/confirm/", job_confirm, name="confirm"),
]


@hooks.register("register_admin_urls")
def register_import_urls():
    return [path("staff-imports/", include((urlpatterns, "staff_imports")))]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Import staff"),
        reverse("staff_imports:upload"),
        name="staff-imports",
        icon_name="upload",
        order=201,  # right after "Organisation and staff"
        permission=IMPORT_PERMISSION,
    )
