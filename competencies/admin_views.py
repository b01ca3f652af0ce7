"""Wagtail admin screens of the competency framework: publishing and versioning frameworks, the
requirement matrix of a position, and HR's manual assessments with their evidence files.

Every view validates input, calls one service or selector and renders; objects tied to staff
are loaded through the HR scope, so anything outside it is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from staff.models import Position
from staff.selectors import staff_list_in_scope

from . import forms as competency_forms
from .evidence import content_type_for
from .models import Framework, ProficiencyLevel
from .routes import competencies_without_route, framework_needed_ranks, missing_routes_message
from .selectors import (
    assessable_staff,
    competency_record_get_in_scope,
    competency_record_list_for_staff,
    requirement_matrix,
    staff_requirement_statuses,
)
from .services import (
    DEFAULT_VALIDITY_MONTHS,
    RequirementRow,
    competency_record_assess,
    framework_new_version,
    framework_publish,
    requirements_set_for_position,
)

FRAMEWORK_INDEX = "framework:index"


class AdminView(WagtailAdminTemplateMixin, View):
    permission_required: str = ""

    def dispatch(self, request, *args, **kwargs):
        # 403 without the permission (the admin already requires a login), checked before any
        # object is looked up so that nothing leaks through a 404/403 difference
        if not request.user.has_perm(self.permission_required):
            raise PermissionDenied
        self.load(**kwargs)
        return super().dispatch(request)

    def load(self, **kwargs) -> None:
        """Fetch the objects named by the URL (404 when absent or out of scope)."""

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def render(self, status=200, **context):
        return self.render_to_response(self.get_context_data(**context), status=status)


# --- frameworks --------------------------------------------------------------------------------


class FrameworkActionView(AdminView):
    """GET asks for confirmation, POST acts: publishing or copying into a new version."""

    template_name = "competencies/admin/framework_confirm.html"
    header_icon = "list-ul"

    def load(self, *, framework_id: int) -> None:
        self.framework = get_object_or_404(Framework, pk=framework_id)

    def get_page_subtitle(self):
        return str(self.framework)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(FRAMEWORK_INDEX), "label": _("Frameworks")},
            {"url": "", "label": self.get_header_title()},
        ]

    def get(self, request):
        return self.render(framework=self.framework, **self.confirmation())


class FrameworkPublishView(FrameworkActionView):
    permission_required = "competencies.change_framework"
    page_title = gettext_lazy("Publish")

    def confirmation(self):
        current = Framework.objects.filter(status=Framework.Status.PUBLISHED).first()
        return {
            "current": current,
            "requirement_count": self.framework.requirements.count(),
            "missing_routes": self.missing_routes(),
            "action_label": _("Publish"),
        }

    def missing_routes(self) -> str:
        """A warning naming the required competencies no officer can obtain, or ''."""
        missing = competencies_without_route(
            needed=framework_needed_ranks(framework=self.framework)
        )
        return missing_routes_message(missing) if missing else ""

    def post(self, request):
        try:
            framework = framework_publish(framework=self.framework)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(framework)s is now the framework in force.") % {"framework": framework},
            )
            # published all the same: HR may assess or an exam may follow, but say it now
            if warning := self.missing_routes():
                messages.warning(request, warning)
        return redirect(FRAMEWORK_INDEX)


class FrameworkNewVersionView(FrameworkActionView):
    permission_required = "competencies.add_framework"
    page_title = gettext_lazy("New version")

    def confirmation(self):
        return {"new_version": True, "action_label": _("Create the draft")}

    def post(self, request):
        try:
            draft = framework_new_version(framework=self.framework)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(FRAMEWORK_INDEX)
        messages.success(
            request,
            _("%(framework)s was created as a draft with a copy of the requirements.")
            % {"framework": draft},
        )
        return redirect(reverse("competencies_admin:matrix") + f"?framework={draft.pk}")


# --- requirement matrix ------------------------------------------------------------------------


class MatrixChooseView(AdminView):
    permission_required = "competencies.change_requirement"
    template_name = "competencies/admin/matrix_choose.html"
    page_title = gettext_lazy("Requirements by position")
    header_icon = "table"

    def get(self, request):
        bound = "framework" in request.GET and "position" in request.GET
        form = competency_forms.MatrixChooseForm(
            request.GET if bound else None,
            initial={"framework": request.GET.get("framework")} if not bound else None,
        )
        if bound and form.is_valid():
            return redirect(
                "competencies_admin:matrix_edit",
                framework_id=form.cleaned_data["framework"].pk,
                position_id=form.cleaned_data["position"].pk,
            )
        return self.render(form=form)


class MatrixView(AdminView):
    permission_required = "competencies.change_requirement"
    template_name = "competencies/admin/requirement_matrix.html"
    page_title = gettext_lazy("Requirements")
    header_icon = "table"

    def load(self, *, framework_id: int, position_id: int) -> None:
        self.framework = get_object_or_404(Framework, pk=framework_id)
        self.position = get_object_or_404(Position, pk=position_id)

    def get_page_subtitle(self):
        return f"{self.position} · {self.framework}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("competencies_admin:matrix"), "label": _("Requirements by position")},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    @property
    def editable(self) -> bool:
        return self.framework.status == Framework.Status.DRAFT

    def build(self, data=None):
        """The matrix, each row carrying its form (bound to `data` on a save)."""
        levels = list(ProficiencyLevel.objects.order_by("rank"))
        choices = [(level.pk, str(level)) for level in levels]
        groups = requirement_matrix(framework=self.framework, position=self.position)
        for group in groups:
            for row in group.rows:
                requirement = row.requirement
                prefix = f"c{row.competency_id}"
                # a row absent from the post (a truncated request, a competency added since
                # the page was opened) stays unbound and is left as it is
                posted = data is not None and f"{prefix}-min_level" in data
                row.form = competency_forms.RequirementRowForm(
                    data if posted else None,
                    prefix=prefix,
                    level_choices=choices,
                    initial={
                        "min_level": requirement.min_level_id if requirement else None,
                        "validity_months": requirement.validity_months
                        if requirement
                        else DEFAULT_VALIDITY_MONTHS,
                    },
                )
        return groups, {level.pk: level for level in levels}

    def page(self, groups, status=200, error_count=0):
        return self.render(
            status=status,
            framework=self.framework,
            position=self.position,
            groups=groups,
            editable=self.editable,
            error_count=error_count,
            can_copy=self.request.user.has_perm("competencies.add_framework"),
        )

    def get(self, request):
        groups, _levels = self.build()
        return self.page(groups)

    def post(self, request):
        if not self.editable:
            messages.error(
                request,
                _(
                    "The requirements of a published or retired framework cannot be changed; "
                    "create a new version instead."
                ),
            )
            return redirect(request.path)
        groups, levels = self.build(request.POST)
        rows_by_competency = {
            row.competency_id: row for g in groups for row in g.rows if row.form.is_bound
        }
        # every row is validated (no short-circuit) so that every error is shown at once
        if all([row.form.is_valid() for row in rows_by_competency.values()]):
            rows = [
                RequirementRow(
                    competency=row.competency,
                    min_level=levels.get(row.form.cleaned_data["min_level"]),
                    validity_months=row.form.cleaned_data["validity_months"],
                )
                for row in rows_by_competency.values()
            ]
            try:
                changes = requirements_set_for_position(
                    framework=self.framework, position=self.position, rows=rows
                )
            except ValidationError as exc:
                if not hasattr(exc, "error_dict"):
                    # not about a row: the framework was published meanwhile
                    messages.error(request, " ".join(exc.messages))
                    return redirect(request.path)
                self.attach_errors(exc, rows_by_competency)
            else:
                messages.success(
                    request,
                    _(
                        "Requirements saved: %(created)s added, %(updated)s changed, "
                        "%(deleted)s removed."
                    )
                    % {
                        "created": changes.created,
                        "updated": changes.updated,
                        "deleted": changes.deleted,
                    },
                )
                return redirect(request.path)
        error_count = sum(1 for row in rows_by_competency.values() if row.form.errors)
        messages.error(
            request, _("Nothing was saved: correct the rows marked below and save again.")
        )
        return self.page(groups, error_count=error_count or 1)

    @staticmethod
    def attach_errors(exc: ValidationError, rows_by_competency) -> None:
        for competency_id, errors in exc.error_dict.items():
            row = rows_by_competency.get(competency_id)
            if row is not None:
                for error in errors:
                    row.form.add_error(None, error)


# --- manual assessment by HR -------------------------------------------------------------------


class AssessSearchView(AdminView):
    permission_required = "competencies.add_competencyrecord"
    template_name = "competencies/admin/assess_search.html"
    page_title = gettext_lazy("Record an assessment")
    header_icon = "tick-inverse"

    def get(self, request):
        query = request.GET.get("q", "").strip()[:100]
        return self.render(query=query, staff_list=assessable_staff(user=request.user, query=query))


class AssessView(AdminView):
    permission_required = "competencies.add_competencyrecord"
    template_name = "competencies/admin/assess.html"
    page_title = gettext_lazy("Record an assessment")
    header_icon = "tick-inverse"

    def load(self, *, staff_id: int) -> None:
        # outside the HR officer's scope is "not found", never a permission hint
        self.staff = get_object_or_404(staff_list_in_scope(user=self.request.user), pk=staff_id)

    def get_page_subtitle(self):
        return str(self.staff)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("competencies_admin:assess_search"), "label": self.page_title},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def page(self, form, status=200):
        return self.render(
            status=status,
            staff=self.staff,
            form=form,
            statuses=staff_requirement_statuses(staff=self.staff),
            records=competency_record_list_for_staff(staff=self.staff),
        )

    def get(self, request):
        return self.page(competency_forms.AssessmentForm())

    def post(self, request):
        form = competency_forms.AssessmentForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record = competency_record_assess(
                    staff=self.staff,
                    competency=data["competency"],
                    level=data["level"],
                    note=data["note"],
                    evidence_file=data["evidence_file"],
                    recorded_by=request.user,
                    assessed_on=data["assessed_on"],
                    idempotency_key=data["idempotency_key"],
                )
            except ValidationError as exc:
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(
                    request,
                    _("Recorded: %(competency)s at level %(level)s, valid until %(date)s.")
                    % {
                        "competency": record.competency.code,
                        "level": record.level,
                        "date": record.valid_until.strftime("%d/%m/%Y"),
                    },
                )
                return redirect(request.path)
        return self.page(form)


def evidence_download(request, record_id: int):
    """An assessment's evidence file, for HR officers whose scope includes the staff member."""
    if not request.user.has_perm("competencies.view_competencyrecord"):
        raise PermissionDenied
    record = competency_record_get_in_scope(user=request.user, record_id=record_id)
    if not record.evidence_file:
        raise Http404
    name = record.evidence_file.name
    response = FileResponse(
        record.evidence_file.open("rb"),
        as_attachment=True,
        filename=f"evidence-{record.pk}.{name.rsplit('.', 1)[-1]}",
        content_type=content_type_for(name),
    )
    response["Cache-Control"] = "private, no-store"
    return response
