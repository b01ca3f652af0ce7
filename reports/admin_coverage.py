"""Two more competency reports in the Wagtail admin: coverage (commune × domain: can the unit
handle a case of the domain today?) and the framework by competency (officers by standing on
each competency, and a heat map of the share meeting it per unit). Thin views over
`reports.coverage`; the scope, filters and permission come from `ReportView`."""

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .admin_views import ReportView, spreadsheet_response
from .charts import coverage_bars
from .coverage import by_competency_report, coverage_report
from .forms import ReportFilterForm

UNCOVERED_COLUMNS = [
    (gettext_lazy("Domain"), 30),
    (gettext_lazy("Org unit"), 28),
    (gettext_lazy("Unit code"), 12),
    (gettext_lazy("Part of"), 24),
    (gettext_lazy("Why uncovered"), 36),
    (gettext_lazy("Officers requiring the domain"), 14),
]
# the heat map's band of the share meeting, as text and a symbol (it must read without colour)
BAND_LABELS = {
    0: ("○", gettext_lazy("under 25 %")),
    1: ("◔", gettext_lazy("25 to 49 %")),
    2: ("◑", gettext_lazy("50 to 74 %")),
    3: ("●", gettext_lazy("75 % or more")),
}


class CoverageFilterForm(ReportFilterForm):
    own_staff = forms.BooleanField(
        label=gettext_lazy("Also the own staff of province-level units"), required=False
    )

    def wants_own_staff(self) -> bool:
        return bool(self.cleaned_data.get("own_staff")) if self.is_valid() else False


class CoverageView(ReportView):
    form_class = CoverageFilterForm
    template_name = "reports/admin/coverage.html"
    page_title = gettext_lazy("Coverage by commune and domain")

    def query(self, **changes) -> str:
        if self.form.wants_own_staff():
            changes.setdefault("own_staff", "on")
        return super().query(**changes)

    def get(self, request):
        coverage = coverage_report(
            scope=self.scope, filters=self.filters, own_staff=self.form.wants_own_staff()
        )
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export_response(export, coverage)
        people_url = reverse("reports_people")
        rows = [
            {
                "row": row,
                "cells": [
                    {
                        "cell": cell,
                        "people": self.query(unit=row.unit.pk, domain=cell.domain.pk),
                    }
                    for cell in row.cells
                ],
            }
            for row in coverage.rows
        ]
        context = self.get_context_data(
            form=self.form,
            coverage=coverage,
            rows=rows,
            chart=coverage_bars(coverage.per_domain),
            ancestors=self.ancestors(),
            query=self.query(),
            drill=[(unit, self.query(unit=unit.pk)) for unit in coverage.drill],
            # the communes of more than one province: say which province each is in
            show_parent=len({row.parent.pk for row in coverage.rows if row.parent}) > 1,
            people_url=people_url,
        )
        return self.render_to_response(context)

    def export_response(self, kind: str, coverage) -> HttpResponse:
        rows = [[str(heading) for heading, _width in UNCOVERED_COLUMNS]]
        for item in coverage.per_domain:
            for row, cell in item.uncovered:
                rows.append(
                    [
                        item.domain.name,
                        row.unit.name,
                        row.unit.code,
                        row.parent.name if row.parent else "",
                        _("no officer's position requires it")
                        if cell.state == "no_officer"
                        else _("no officer meets all of its requirements"),
                        cell.officers,
                    ]
                )
        return spreadsheet_response(
            kind,
            rows,
            [w for _h, w in UNCOVERED_COLUMNS],
            f"bao-phu-{self.scope.code or self.scope.pk}",
            sheet_title=_("Uncovered"),
        )


class ByCompetencyView(ReportView):
    template_name = "reports/admin/by_competency.html"
    page_title = gettext_lazy("Standing by competency")

    def get(self, request):
        report = by_competency_report(scope=self.scope, filters=self.filters)
        units = [
            {
                "row": row,
                "drill": self.query(unit=row.unit.pk) if row.unit and not row.own_staff else "",
                "cells": [
                    {"counts": counts, "band": BAND_LABELS[counts.band] if counts else None}
                    for counts in row.cells
                ],
            }
            for row in report.units
        ]
        context = self.get_context_data(
            form=self.form,
            report=report,
            units=units,
            bands=[(band, *BAND_LABELS[band]) for band in sorted(BAND_LABELS)],
            ancestors=self.ancestors(),
            query=self.query(),
        )
        return self.render_to_response(context)
