"""Wagtail admin screens of the certificates app that are not plain viewsets: bulk issuance
with its progress page. Views validate the form and call one service or selector."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.auth import permission_required
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic import EditView, IndexView
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy

from competencies.selectors import competency_records_withdrawn_for_staff
from competencies.services import add_months
from lms.site_url import site_url
from staff.admin_views import ScopedHistoryView, ScopedIndexView, ScopedInspectView
from staff.models import Position, StaffRecord
from staff.selectors import org_unit_list_in_scope, user_is_administrator

from .exporting import ZIP_STREAM_MAX, certificate_export_queryset, csv_stream, zip_stream
from .models import Certificate, CertificateExport, CertificateTemplate, IssuanceJob
from .pdf import PdfRenderError, certificate_pdf_bytes
from .selectors import (
    certificate_audit_trail,
    certificate_list_in_scope,
    certificate_live_status,
    certificates_expiring_in_scope,
    issuance_job_list_for,
    staff_certificate_list_in_scope,
)
from .services import (
    REVOKE_PERMISSION,
    CertificateActionError,
    IssuanceError,
    certificate_body_html,
    certificate_export_create,
    certificate_reissue,
    certificate_revoke,
    issuance_job_create,
)

ISSUE_PERMISSION = "certificates.add_issuancejob"


class IssueForm(forms.Form):
    template = forms.ModelChoiceField(
        label=gettext_lazy("Certificate template"),
        queryset=CertificateTemplate.objects.filter(active=True),
    )
    org_unit = forms.ModelChoiceField(
        label=gettext_lazy("Everyone in this unit (and the units under it)"),
        queryset=None,
        required=False,
    )
    position = forms.ModelChoiceField(
        label=gettext_lazy("Holding this position"),
        queryset=Position.objects.all(),
        required=False,
    )
    personnel_numbers = forms.CharField(
        label=gettext_lazy("Personnel numbers"),
        help_text=gettext_lazy("Separated by spaces, commas or new lines."),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = org_unit_list_in_scope(user=user)

    def clean(self):
        data = super().clean()
        numbers = data.get("personnel_numbers", "").replace(",", " ").split()
        data["numbers"] = numbers
        if not (data.get("org_unit") or data.get("position") or numbers):
            raise forms.ValidationError(
                gettext_lazy("Choose a unit, a position or list personnel numbers.")
            )
        return data

    def staff(self):
        """The staff the form names: a unit's subtree and/or a position, and/or numbers."""
        data = self.cleaned_data
        staff = StaffRecord.objects.all()
        if data["org_unit"] or data["position"]:
            if data["org_unit"]:
                staff = staff.filter(org_unit__path__startswith=data["org_unit"].path)
            if data["position"]:
                staff = staff.filter(position=data["position"])
            if data["numbers"]:
                staff = staff | StaffRecord.objects.filter(personnel_number__in=data["numbers"])
        else:
            staff = staff.filter(personnel_number__in=data["numbers"])
        return staff


@permission_required(ISSUE_PERMISSION)
def issue(request):
    form = IssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            job = issuance_job_create(
                template=form.cleaned_data["template"], staff=form.staff(), by=request.user
            )
        except IssuanceError as error:
            form.add_error(None, str(error))
        else:
            return redirect("certificates_admin:issue_job", pk=job.pk)
    return TemplateResponse(
        request,
        "certificates/admin/issue.html",
        {"form": form, "jobs": issuance_job_list_for(user=request.user)[:10]},
    )


@permission_required(ISSUE_PERMISSION)
def issue_job(request, pk: int):
    job = get_object_or_404(issuance_job_list_for(user=request.user), pk=pk)
    if job.status == IssuanceJob.Status.FAILED:
        messages.error(request, gettext_lazy("The issuance stopped; see the error below."))
    return TemplateResponse(
        request,
        "certificates/admin/issue_job.html",
        {
            "job": job,
            "in_progress": job.status in (IssuanceJob.Status.QUEUED, IssuanceJob.Status.RUNNING),
        },
    )


# --- issued certificates: inspect, revoke, re-issue --------------------------------------------


class CertificatePermissionPolicy(ModelPermissionPolicy):
    """Certificates are issued by the system and change only by revocation or re-issue (which
    are audited): nobody adds, edits or deletes one in the admin, administrators included."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


def _may_revoke(user, certificate) -> bool:
    return certificate.status == Certificate.Status.VALID and user.has_perm(REVOKE_PERMISSION)


def certificate_action_buttons(*, user, certificate) -> list[tuple[str, str, str]]:
    """(label, url, icon) of what the user may do with a certificate they can see."""
    buttons = []
    if _may_revoke(user, certificate):
        buttons.append((_("Revoke"), reverse("certificate:revoke", args=[certificate.pk]), "cross"))
        if certificate.valid_until >= timezone.localdate():
            buttons.append(
                (_("Re-issue"), reverse("certificate:reissue", args=[certificate.pk]), "redirect")
            )
    # a revoked or superseded certificate's file is not handed out (certificates.views)
    downloadable = certificate.status == Certificate.Status.VALID
    if downloadable and certificate.pdf:
        buttons.append(
            (_("Download PDF"), reverse("certificates:download", args=[certificate.pk]), "download")
        )
    if downloadable and certificate.badge_jwt:
        buttons.append(
            (
                _("Download Open Badge"),
                reverse("certificates:openbadge", args=[certificate.pk]),
                "download",
            )
        )
    buttons.append(
        (
            _("Verification page"),
            reverse("certificates:verify", args=[certificate.verification_code]),
            "link-external",
        )
    )
    return buttons


def basis_label(basis: str) -> str:
    """What earned a certificate, in words ("attempt:12" → "Exam attempt no. 12")."""
    kind, _sep, rest = (basis or "").partition(":")
    if kind == "attempt" and rest.isdigit():
        return _("Exam attempt no. %(id)s") % {"id": rest}
    if kind == "course":
        return _("Course completed")
    if kind == "position":
        return _("Every requirement of the position met")
    if kind == "batch" and rest.isdigit():
        return _("Bulk issuance no. %(id)s") % {"id": rest}
    if kind == "reissue" and rest.isdigit():
        old = Certificate.objects.filter(pk=int(rest)).values_list("serial", flat=True).first()
        return _("Re-issue of certificate %(serial)s") % {"serial": old or rest}
    if kind == "manual":
        return _("Issued by hand")
    return basis or "—"


class CertificateIndexView(ScopedIndexView):
    """The listing; `?staff=<id>` narrows it to one holder (the staff record links here),
    `?expiring_within=<days>` to valid certificates expiring within that many days."""

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        staff_id = self.request.GET.get("staff", "")
        if staff_id.isdigit():
            queryset = queryset.filter(staff_id=int(staff_id))
        within = self.request.GET.get("expiring_within", "")
        if within.isdigit():
            queryset = queryset.filter(
                pk__in=certificates_expiring_in_scope(
                    user=self.request.user, within_days=min(int(within), 3660)
                ).values("pk")
            )
        return queryset

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        for priority, (label, url, icon) in enumerate(
            certificate_action_buttons(user=self.request.user, certificate=instance), start=30
        ):
            buttons.append(MenuItem(label, url=url, icon_name=icon, priority=priority))
        return buttons


class CertificateInspectView(ScopedInspectView):
    template_name = "certificates/admin/certificate_inspect.html"
    fields = [
        "serial",
        "holder_name",
        "position_name",
        "unit_name",
        "template",
        "competencies",
        "issued_on",
        "valid_until",
        "status",
        "public_reason",
        "status_reason",
        "status_changed_at",
        "superseded_by",
        "basis",
        "signed_at",
        "pdf_sha256",
    ]
    # never the badge's whole JWT, the file path or the code: the header buttons download
    # the PDF and the badge and open the verification page
    fields_exclude = ["badge_jwt", "pdf", "verification_code", "site_url"]

    def get_public_reason_display_value(self):
        return self.object.get_public_reason_display() or "—"

    def get_status_reason_display_value(self):
        return self.object.status_reason or "—"

    def get_status_changed_at_display_value(self):
        changed = self.object.status_changed_at
        return date_format(timezone.localtime(changed), "d/m/Y H:i") if changed else "—"

    def get_signed_at_display_value(self):
        signed = self.object.signed_at
        return date_format(timezone.localtime(signed), "d/m/Y H:i") if signed else "—"

    def get_issued_on_display_value(self):
        return date_format(self.object.issued_on, "d/m/Y")

    def get_valid_until_display_value(self):
        return date_format(self.object.valid_until, "d/m/Y")

    def get_superseded_by_display_value(self):
        return self.object.superseded_by.serial if self.object.superseded_by_id else "—"

    def get_basis_display_value(self):
        return basis_label(self.object.basis)

    def get_pdf_sha256_display_value(self):
        return self.object.pdf_sha256 or "—"

    def get_competencies_display_value(self):
        return "; ".join(
            f"{c.get('code', '')} {c.get('title', '')} ({c.get('level', '')})"
            for c in self.object.competencies
        )

    def get_status_display_value(self):
        return certificate_live_status(certificate=self.object).label

    @cached_property
    def header_more_buttons(self):
        return [
            Button(label, url=url, icon_name=icon, priority=10 * (i + 1))
            for i, (label, url, icon) in enumerate(
                certificate_action_buttons(user=self.request.user, certificate=self.object)
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["audit"] = certificate_audit_trail(certificate=self.object)
        context["replaces"] = Certificate.objects.filter(superseded_by=self.object).first()
        return context


class CertificateHistoryView(ScopedHistoryView):
    # the audit trail (revocations, re-issues) is for whoever may see the certificate
    any_permission_required = ["view"]


class CertificateActionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Internal note"),
        help_text=gettext_lazy(
            "Why, in your words: kept in the certificate's history for HR and administrators, "
            "never published."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
    )


class CertificateRevokeForm(CertificateActionForm):
    public_reason = forms.ChoiceField(
        label=gettext_lazy("Reason published on the verification page"),
        choices=[("", "---------")]
        + [
            (value, label)
            for value, label in Certificate.PublicReason.choices
            if value in Certificate.REVOKE_REASONS
        ],
    )
    field_order = ["public_reason", "reason"]


def _certificate_action(request, pk: int, *, action: str):
    certificate = get_object_or_404(certificate_list_in_scope(user=request.user), pk=pk)
    form_class = CertificateRevokeForm if action == "revoke" else CertificateActionForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if action == "revoke":
                result = certificate_revoke(
                    certificate=certificate,
                    by=request.user,
                    public_reason=form.cleaned_data["public_reason"],
                    reason=form.cleaned_data["reason"],
                )
            else:
                result = certificate_reissue(
                    certificate=certificate, by=request.user, reason=form.cleaned_data["reason"]
                )
        except CertificateActionError as error:
            form.add_error(None, str(error))
        else:
            if action == "revoke":
                messages.success(
                    request, _("Certificate %(serial)s revoked.") % {"serial": result.serial}
                )
            else:
                messages.success(
                    request,
                    _("Certificate %(old)s replaced by %(new)s.")
                    % {"old": certificate.serial, "new": result.serial},
                )
            return redirect("certificate:inspect", result.pk)
    return TemplateResponse(
        request,
        "certificates/admin/certificate_action.html",
        {"certificate": certificate, "form": form, "action": action},
    )


@permission_required(REVOKE_PERMISSION)
def certificate_revoke_view(request, pk: int):
    return _certificate_action(request, pk, action="revoke")


@permission_required(REVOKE_PERMISSION)
def certificate_reissue_view(request, pk: int):
    return _certificate_action(request, pk, action="reissue")


# --- HR exports: ZIP of PDFs, CSV for the personnel system --------------------------------------

EXPORT_PERMISSION = "certificates.view_certificate"


class ExportForm(forms.Form):
    org_unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit (and the units under it)"), queryset=None, required=False
    )
    only_valid = forms.BooleanField(
        label=gettext_lazy("Only certificates in force (not expired, revoked or superseded)"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = org_unit_list_in_scope(user=user)
        if not user_is_administrator(user=user):
            self.fields["org_unit"].required = True


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required(EXPORT_PERMISSION)
def export(request):
    form = ExportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["org_unit"]
        only_valid = form.cleaned_data["only_valid"]
        certificates = certificate_export_queryset(
            user=request.user, unit=unit, only_valid=only_valid
        )
        stem = f"chung-chi-{unit.code if unit else 'tat-ca'}-{timezone.localdate():%Y%m%d}"
        if request.POST.get("format") == "csv":
            return _attachment(
                StreamingHttpResponse(
                    # the base is taken now: the stream is read after the request's middleware
                    csv_stream(certificates.iterator(2000), base_url=site_url(request)),
                    content_type="text/csv; charset=utf-8",
                ),
                f"{stem}.csv",
            )
        if certificates.count() <= ZIP_STREAM_MAX:
            return _attachment(
                StreamingHttpResponse(zip_stream(certificates), content_type="application/zip"),
                f"{stem}.zip",
            )
        job = certificate_export_create(user=request.user, unit=unit, only_valid=only_valid)
        return redirect("certificates_admin:export_job", pk=job.pk)
    return TemplateResponse(
        request,
        "certificates/admin/export.html",
        {
            "form": form,
            "exports": CertificateExport.objects.filter(created_by=request.user)[:10],
            "stream_max": ZIP_STREAM_MAX,
        },
    )


def _export_for(request, pk: int) -> CertificateExport:
    # an export holds personal documents: only whoever asked for it may see it
    return get_object_or_404(CertificateExport, pk=pk, created_by=request.user)


@permission_required(EXPORT_PERMISSION)
def export_job(request, pk: int):
    job = _export_for(request, pk)
    return TemplateResponse(
        request,
        "certificates/admin/export_job.html",
        {
            "job": job,
            "in_progress": job.status
            in (CertificateExport.Status.QUEUED, CertificateExport.Status.RUNNING),
        },
    )


@permission_required(EXPORT_PERMISSION)
def export_download(request, pk: int):
    job = _export_for(request, pk)
    if job.status != CertificateExport.Status.DONE or not job.file:
        raise Http404
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=f"chung-chi-{job.pk}.zip",
        content_type="application/zip",
    )


# --- the staff record's certificates ------------------------------------------------------------


def staff_record_certificates_panel(*, request, staff) -> str:
    """The certificates of one staff record, for the staff record's admin pages (inspect and
    edit): registered under the `lms_staff_record_panels` hook (see wagtail_hooks). Empty when
    the user may not see certificates; only certificates in the user's HR scope are listed.
    Three queries (the viewer's scope, the certificates) whatever their number."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        return ""
    certificates = staff_certificate_list_in_scope(user=request.user, staff=staff)
    today = timezone.localdate()
    rows = [(c, certificate_live_status(certificate=c, today=today)) for c in certificates]
    # only a revoked certificate withdraws evidence: no query otherwise
    revoked = any(status.code == "revoked" for _c, status in rows)
    withdrawn = list(competency_records_withdrawn_for_staff(staff=staff)) if revoked else []
    return render_to_string(
        "certificates/admin/staff_record_certificates.html",
        {"rows": rows, "staff": staff, "withdrawn": withdrawn},
        request=request,
    )


# --- HR's admin dashboard: certificates about to expire -------------------------------------------


class ExpiringCertificatesPanel(Component):
    """On the Wagtail admin home page of HR officers and administrators: the certificates in
    their scope that expire within the reminder window, soonest first."""

    name = "expiring_certificates"
    template_name = "certificates/admin/expiring_panel.html"
    order = 50
    shown = 10

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = self.request.user
        if not user.has_perm(EXPORT_PERMISSION):
            return {**context, "certificates": [], "count": 0}
        days = max(settings.CERTIFICATE_EXPIRY_REMINDER_DAYS or [0])
        expiring = certificates_expiring_in_scope(user=user, within_days=days)
        return {
            **context,
            "certificates": list(expiring[: self.shown]),
            "count": expiring.count(),
            "days": days,
            "listing_url": reverse("certificate:index") + f"?expiring_within={days}",
        }


# --- certificate templates: preview with sample data ----------------------------------------------

TEMPLATE_PERMISSION = "certificates.view_certificatetemplate"


def template_sample_competencies(template: CertificateTemplate) -> list[dict]:
    """What the template's rule would attest (the course's or the position's competencies), or
    a made-up pair when it has no rule yet."""
    if template.course_id:
        taught = template.course.taught.select_related("competency", "level")
        rows = [(t.competency, t.level) for t in taught]
    elif template.position_id:
        from competencies.models import Requirement
        from competencies.selectors import framework_published

        framework = framework_published()
        requirements = Requirement.objects.filter(
            framework=framework, position_id=template.position_id
        ).select_related("competency", "min_level")
        rows = [(r.competency, r.min_level) for r in requirements] if framework else []
    else:
        rows = []
    if rows:
        return [{"code": c.code, "title": c.title, "level": str(level)} for c, level in rows]
    return [
        {"code": "MET-01", "title": "Quản lý phương tiện đo nhóm 2", "level": "2. Vận dụng"},
        {"code": "SHTT-01", "title": "Hướng dẫn đăng ký nhãn hiệu", "level": "1. Biết"},
    ]


def template_sample_certificate(template: CertificateTemplate) -> Certificate:
    today = timezone.localdate()
    return Certificate(
        serial=f"CC-{today.year}-000000",
        template=template,
        holder_name="Nguyễn Thị Mẫu",
        position_name=template.position.name
        if template.position_id
        else "Công chức Văn hóa - Xã hội (khoa học và công nghệ)",
        unit_name="Xã Mẫu Sơn, tỉnh Lạng Sơn",
        competencies=template_sample_competencies(template),
        issued_on=today,
        valid_until=add_months(today, template.validity_months),
        verification_code="",
    )


@permission_required(TEMPLATE_PERMISSION)
def template_preview(request, pk: int):
    """The template as a PDF with sample data, marked as a sample, unsigned and not stored."""
    template = get_object_or_404(CertificateTemplate, pk=pk)
    certificate = template_sample_certificate(template)
    context = {
        "certificate": certificate,
        "template": template,
        "body_html": certificate_body_html(certificate=certificate),
        "verify_url": site_url(request) + reverse("certificates:verify_start"),
        "sample": True,
    }
    try:
        data = certificate_pdf_bytes(context=context)
    except PdfRenderError:
        messages.error(request, _("The preview could not be rendered."))
        return redirect("certificatetemplate:edit", pk)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="mau-chung-chi-{template.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _preview_button(template) -> Button:
    return Button(
        _("Preview (PDF)"),
        url=reverse("certificatetemplate:preview", args=[template.pk]),
        icon_name="view",
        priority=5,
        attrs={"target": "_blank", "rel": "noopener"},
    )


class CertificateTemplateIndexView(IndexView):
    def get_list_more_buttons(self, instance):
        return [
            MenuItem(
                _("Preview (PDF)"),
                url=reverse("certificatetemplate:preview", args=[instance.pk]),
                icon_name="view",
                priority=5,
            ),
            *super().get_list_more_buttons(instance),
        ]


class CertificateTemplateEditView(EditView):
    @cached_property
    def header_more_buttons(self):
        return [_preview_button(self.object), *super().header_more_buttons]
