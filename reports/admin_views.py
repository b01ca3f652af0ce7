"""The competency reports in the Wagtail admin (Reports menu) for HR officers and
administrators. Every view reads its filters from the URL through a form, bounds every figure
by the reader's scope (`report_scope`) and renders; the figures come from `selectors`."""

import itertools

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from competencies.selectors import framework_published
from lms.pdf import html_to_pdf, pdf_font_files
from staff.exporting import csv_chunks, xlsx_file
from staff.selectors import org_unit_list_in_scope

from .charts import compliance_bars, trend_columns
from .digest import digest_opted_out, digest_subscription_set
from .forms import OverviewFilterForm, PeopleFilterForm, ReportFilterForm
from .selectors import compliance_overview, people_list, people_rows, report_scope
from .snapshots import (
    compliance_overview_as_of,
    compliance_trend,
    snapshot_frameworks,
    snapshot_months,
)

PERMISSION = "reports.view_standing"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE_COLUMNS = [
    (gettext_lazy("Full name"), 30),
    (gettext_lazy("Personnel number"), 16),
    (gettext_lazy("Org unit"), 28),
    (gettext_lazy("Position"), 36),
    (gettext_lazy("Requirements"), 12),
    (gettext_lazy("Met"), 10),
    (gettext_lazy("Expiring soon"), 12),
    (gettext_lazy("Next expiry"), 14),
]


UNIT_COLUMNS = [
    (gettext_lazy("Org unit"), 34),
    (gettext_lazy("Staff counted"), 12),
    (gettext_lazy("Meet every requirement"), 14),
    (gettext_lazy("Meet part"), 12),
    (gettext_lazy("Meet none"), 12),
    (gettext_lazy("Share meeting every requirement (%)"), 16),
]


def spreadsheet_response(
    kind: str, rows, widths: list[int], name: str, *, sheet_title: str = ""
) -> HttpResponse:
    """Rows (an iterable, the header first) as a CSV (BOM, formulas escaped) streamed as it is
    written, or an XLSX (frozen bold header, column widths, dates as dates) spooled to disk:
    memory stays flat however many rows there are."""
    filename = f"{name}.{kind}"
    if kind == "csv":
        response = StreamingHttpResponse(csv_chunks(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    spool = xlsx_file(rows, sheet_title=sheet_title or _("Report"), widths=widths)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


def report_links() -> list[tuple[str, str]]:
    """The competency reports, for the short navigation line at the top of each."""
    return [
        (reverse("reports_overview"), _("Compliance overview")),
        (reverse("reports_coverage"), _("Coverage by commune and domain")),
        (reverse("reports_by_competency"), _("Standing by competency")),
        (reverse("reports_expiring"), _("What expires")),
    ]


class ReportView(WagtailAdminTemplateMixin, View):
    form_class = ReportFilterForm
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        self.form = self.form_class(request.GET or None, **self.form_kwargs())
        self.scope = report_scope(user=request.user, unit_id=self.form.unit_id())
        self.filters = self.form.filters()
        return super().dispatch(request, *args, **kwargs)

    def form_kwargs(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(links=report_links(), **kwargs)

    def query(self, **changes) -> str:
        """This report's query string with some values changed (links keep the filters)."""
        values = {
            "unit": self.scope.pk,
            "position": self.filters.position_id or "",
            "domain": self.filters.domain_id or "",
            **changes,
        }
        return urlencode({k: v for k, v in values.items() if v not in ("", None)})

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def ancestors(self):
        """The scope's parents the reader may open, for the breadcrumb of the drill-down."""
        ancestors = list(self.scope.get_ancestors())
        visible = set(
            org_unit_list_in_scope(user=self.request.user)
            .filter(pk__in=[u.pk for u in ancestors])
            .values_list("pk", flat=True)
        )
        return [u for u in ancestors if u.pk in visible]


class OverviewView(ReportView):
    form_class = OverviewFilterForm
    template_name = "reports/admin/overview.html"
    page_title = gettext_lazy("Compliance overview")

    def form_kwargs(self) -> dict:
        return {"months": snapshot_months(), "frameworks": snapshot_frameworks()}

    def get(self, request):
        month = self.form.as_of_month()
        framework = self.form.chosen_framework()
        in_force = framework_published()
        # a version no longer in force has no live figures: its snapshots tell its story
        earlier = framework is not None and framework != in_force
        framework_id = framework.pk if framework else None
        if earlier:
            months = snapshot_months(framework_id=framework_id)
            if month not in months:
                month = months[0] if months else None
        if month is None:
            overview = compliance_overview(scope=self.scope, filters=self.filters)
        else:
            overview = compliance_overview_as_of(
                scope=self.scope, month=month, filters=self.filters
            )
        extra = {"month": month.isoformat()} if month else {}
        if framework_id is not None:
            extra["framework"] = framework_id
        rows = [
            {
                "row": row,
                "drill": self.query(unit=row.unit.pk, **extra) if row.unit else "",
                "people": self.query(unit=row.unit.pk) if row.unit else "",
            }
            for row in overview.children
        ]
        export = request.GET.get("export")
        if export == "pdf":
            return self.pdf_response(overview)
        if export in ("csv", "xlsx"):
            return self.table_response(export, overview)
        trend = compliance_trend(
            scope=self.scope,
            filters=self.filters,
            framework_id=framework_id,
            today=month if earlier else None,
        )
        context = self.get_context_data(
            form=self.form,
            overview=overview,
            as_of=month,
            framework=framework or in_force,
            rows=rows,
            chart=compliance_bars(overview.children, scope=self.scope),
            trend=trend,
            trend_chart=trend_columns(trend),
            ancestors=self.ancestors(),
            query=self.query(**extra),
            people_url=reverse("reports_people"),
        )
        return self.render_to_response(context)

    def table_response(self, kind: str, overview) -> HttpResponse:
        """The table of units as a spreadsheet: the scope's total last."""
        rows = [[str(heading) for heading, _width in UNIT_COLUMNS]]
        for row in [*overview.children, overview.total]:
            name = row.unit.name if row.unit else "—"
            if row is overview.total:
                name = _("Total: %(unit)s") % {"unit": name}
            elif row.unit is not None and row.unit.pk == self.scope.pk:
                name = _("%(unit)s (own staff)") % {"unit": name}
            rows.append(
                [
                    name,
                    row.staff,
                    row.all_met,
                    row.part_met,
                    row.none_met,
                    row.all_met_share,
                ]
            )
        widths = [w for _h, w in UNIT_COLUMNS]
        return spreadsheet_response(
            kind, rows, widths, f"tong-quan-{self.scope.code or self.scope.pk}"
        )

    def pdf_response(self, overview) -> HttpResponse:
        """The overview on A4, for a leader's signature."""
        chosen = (
            [
                str(value)
                for value in (self.form.cleaned_data.get(name) for name in ("position", "domain"))
                if value
            ]
            if self.form.is_valid()
            else []
        )
        html = render_to_string(
            "reports/overview_pdf.html",
            {
                "overview": overview,
                "filters_text": ", ".join(chosen),
                "printed_at": timezone.localtime(),
                "printed_by": self.request.user.get_full_name() or self.request.user.get_username(),
                **pdf_font_files(),
            },
        )
        response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
        name = f"tong-quan-nang-luc-{self.scope.code or self.scope.pk}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class PeopleView(ReportView):
    form_class = PeopleFilterForm
    template_name = "reports/admin/people.html"
    page_title = gettext_lazy("Staff and their standing")

    def people(self, *, stream: bool = False):
        outcome = self.form.cleaned_data.get("outcome", "") if self.form.is_valid() else ""
        read = people_rows if stream else people_list
        return read(scope=self.scope, filters=self.filters, outcome=outcome)

    def get(self, request):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export_response(export, self.people(stream=True))
        context = self.get_context_data(
            form=self.form,
            scope=self.scope,
            people=self.people(),
            ancestors=self.ancestors(),
            query=self.query(),
            overview_url=reverse("reports_overview"),
        )
        return self.render_to_response(context)

    def export_response(self, kind: str, people) -> HttpResponse:
        header = [[str(heading) for heading, _width in PEOPLE_COLUMNS]]
        rows = itertools.chain(
            header,
            (
                [
                    p.full_name,
                    p.personnel_number,
                    p.unit_name,
                    p.position_name,
                    p.required,
                    p.met,
                    p.expiring,
                    p.next_expiry,
                ]
                for p in people
            ),
        )
        widths = [w for _h, w in PEOPLE_COLUMNS]
        return spreadsheet_response(
            kind,
            rows,
            widths,
            f"nang-luc-{self.scope.code or self.scope.pk}",
            sheet_title=_("Standing"),
        )


class OverviewPanel(Component):
    """The first thing HR sees in the admin: her scope's compliance, linking to the report."""

    name = "compliance_overview"
    template_name = "reports/admin/overview_panel.html"
    order = 40

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        try:
            scope = report_scope(user=self.request.user, unit_id=None)
        except Http404:  # an HR officer with no unit assigned yet
            return {**context, "overview": None}
        return {
            **context,
            "overview": compliance_overview(scope=scope),
            "url": reverse("reports_overview"),
        }


class DigestSubscriptionView(WagtailAdminTemplateMixin, View):
    """Whether the HR officer receives the monthly digest: one switch, linked from each mail."""

    template_name = "reports/admin/digest.html"
    page_title = gettext_lazy("Monthly digest")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get(self, request):
        return self.render_to_response(
            self.get_context_data(receiving=not digest_opted_out(user=request.user))
        )

    def post(self, request):
        receive = request.POST.get("receive") == "1"
        digest_subscription_set(user=request.user, receive=receive)
        messages.success(
            request,
            _("You will receive the monthly digest.")
            if receive
            else _("You will no longer receive the monthly digest."),
        )
        return redirect("reports_digest")
