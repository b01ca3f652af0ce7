"""Wagtail admin screens next to the staff records: export the staff list, create officer
accounts and (re-)send invitations. Every list goes through the HR scope."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from lms.admin_menu import PermissionMenuItem

from .accounts import (
    staff_account_invite_again,
    staff_accounts_create,
    staff_invitation_pending_in_scope,
    staff_without_account_in_scope,
)
from .exporting import staff_export_rows, write_csv, write_xlsx
from .models import StaffRecord
from .selectors import org_unit_list_in_scope, staff_list_in_scope

EXPORT_URL_NAME = "staff_export"
ACCOUNTS_URL_NAME = "staff_accounts"
INVITE_AGAIN_URL_NAME = "staff_account_invite_again"
ACCOUNTS_PER_PAGE = 100

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class UnitCodeField(forms.CharField):
    """A unit code the user manages (any unit for administrators), cleaned to the unit."""

    def __init__(self, *, user, **kwargs):
        self.user = user
        kwargs.setdefault("label", gettext_lazy("Unit code"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", gettext_lazy("This unit and every unit under it."))
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value).strip()
        if not code:
            return None
        unit = org_unit_list_in_scope(user=self.user).filter(code=code).first()
        if unit is None:
            raise ValidationError(_("No unit with this code among the units you manage."))
        return unit


class StaffExportForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name or personnel number"), required=False, max_length=255
    )
    format = forms.ChoiceField(
        label=gettext_lazy("File format"),
        choices=[("xlsx", gettext_lazy("Excel (XLSX)")), ("csv", gettext_lazy("CSV (UTF-8)"))],
        initial="xlsx",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"unit": UnitCodeField(user=user), **self.fields}


class AccountsFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=gettext_lazy("Show"),
        required=False,
        choices=[
            ("new", gettext_lazy("Staff without an account")),
            ("pending", gettext_lazy("Invited, never signed in")),
        ],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = {"unit": UnitCodeField(user=user), **self.fields}


class _StaffAdminView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    permission_policy = ModelPermissionPolicy(StaffRecord)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("staffrecord:index"), "label": StaffRecord._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]


class StaffExportView(_StaffAdminView):
    permission_required = "view"
    page_title = gettext_lazy("Export staff list")
    header_icon = "download"
    template_name = "staff/export_staff.html"

    def get(self, request):
        # a download is a read: GET, so the filters stay in the address and can be repeated
        bound = "format" in request.GET
        form = StaffExportForm(request.GET if bound else None, user=request.user)
        if bound and form.is_valid():
            rows = staff_export_rows(
                user=request.user, unit=form.cleaned_data["unit"], query=form.cleaned_data["q"]
            )
            return self._download(rows, form.cleaned_data["format"])
        return self.render_to_response(self.get_context_data(form=form))

    def _download(self, rows, fmt: str) -> HttpResponse:
        content = write_xlsx(rows) if fmt == "xlsx" else write_csv(rows)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="staff-{stamp}.{fmt}"'
        # personal data: no copy in a shared or browser cache
        response["Cache-Control"] = "private, no-store"
        return response


class StaffAccountsView(_StaffAdminView):
    permission_required = "add"
    page_title = gettext_lazy("Create accounts and invite")
    header_icon = "user"
    template_name = "staff/accounts_create.html"

    def get(self, request):
        form = AccountsFilterForm(request.GET or None, user=request.user)
        unit, show = None, "new"
        if form.is_bound and form.is_valid():
            unit, show = form.cleaned_data["unit"], form.cleaned_data["show"] or "new"
        if show == "pending":
            records = staff_invitation_pending_in_scope(user=request.user, unit=unit)
        else:
            records = staff_without_account_in_scope(user=request.user, unit=unit)
        page = Paginator(records, ACCOUNTS_PER_PAGE).get_page(request.GET.get("p"))
        return self.render_to_response(
            self.get_context_data(
                form=form,
                show=show,
                page_obj=page,
                elided_page_range=page.paginator.get_elided_page_range(page.number),
            )
        )

    def post(self, request):
        result = staff_accounts_create(
            staff_ids=request.POST.getlist("staff"), created_by=request.user, request=request
        )
        # the summary answers the POST directly: repeating it creates nothing more (the records
        # are linked by then), so no redirect is needed to protect against a reload
        self.template_name = "staff/accounts_result.html"
        return self.render_to_response(
            self.get_context_data(result=result, back_url=request.get_full_path())
        )


class StaffAccountInviteAgainView(_StaffAdminView):
    permission_required = "add"
    http_method_names = ["post"]

    def post(self, request, pk):
        # outside the scope is "not found", as everywhere else in the HR screens
        staff = get_object_or_404(staff_list_in_scope(user=request.user), pk=pk)
        try:
            staff_account_invite_again(staff=staff, by=request.user, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The invitation has been sent again to %(email)s.") % {"email": staff.user.email},
            )
        return redirect(f"{reverse(ACCOUNTS_URL_NAME)}?show=pending")


@hooks.register("register_admin_urls")
def register_staff_export_and_account_urls():
    return [
        path("staff/export/", StaffExportView.as_view(), name=EXPORT_URL_NAME),
        path("staff/accounts/", StaffAccountsView.as_view(), name=ACCOUNTS_URL_NAME),
        path(
            "staff/accounts/<int:pk>/invite-again/",
            StaffAccountInviteAgainView.as_view(),
            name=INVITE_AGAIN_URL_NAME,
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_staff_export_menu_item():
    # after "Organisation and staff" (200) and "Import staff" (201)
    return PermissionMenuItem(
        gettext_lazy("Export staff list"),
        reverse_lazy(EXPORT_URL_NAME),
        name="staff-export",
        icon_name="download",
        order=202,
        permission="staff.view_staffrecord",
    )


@hooks.register("register_admin_menu_item")
def register_staff_accounts_menu_item():
    return PermissionMenuItem(
        gettext_lazy("Create accounts and invite"),
        reverse_lazy(ACCOUNTS_URL_NAME),
        name="staff-accounts",
        icon_name="user",
        order=203,
        permission="staff.add_staffrecord",
    )
