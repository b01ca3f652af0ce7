"""What expires, in the Wagtail admin (Reports menu): who falls out of compliance within 30, 60
or 90 days and what closes the gap, the certificates expiring in that window and the assigned
courses that are overdue. A thin view over `reports.expiry`; the scope, filters and permission
come from `ReportView`."""

from django import forms
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .admin_views import ReportView, spreadsheet_response
from .expiry import (
    DEFAULT_WITHIN,
    WITHIN_CHOICES,
    expiring_certificate_list,
    expiring_standing_list,
    overdue_enrolment_list,
    window_end,
)
from .forms import ReportFilterForm

EXPIRING_COLUMNS = [
    (gettext_lazy("Full name"), 30),
    (gettext_lazy("Personnel number"), 16),
    (gettext_lazy("Org unit"), 28),
    (gettext_lazy("Position"), 36),
    (gettext_lazy("Competency code"), 12),
    (gettext_lazy("Competency"), 40),
    (gettext_lazy("Valid until"), 14),
    (gettext_lazy("Days left"), 10),
    (gettext_lazy("Courses that close the gap"), 40),
    (gettext_lazy("Exams that close the gap"), 40),
    (gettext_lazy("Already assigned"), 12),
    (gettext_lazy("Due date"), 14),
]
# who may assign a course (the "Assign" link prefills the form of courses.admin_views)
ASSIGN_PERMISSION = "courses.add_enrolment"


class ExpiryFilterForm(ReportFilterForm):
    within = forms.TypedChoiceField(
        label=gettext_lazy("Expiring within"),
        coerce=int,
        required=False,
        empty_value=DEFAULT_WITHIN,
        initial=str(DEFAULT_WITHIN),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # named when the form is made, in the reader's language
        self.fields["within"].choices = [
            (str(days), ngettext("%(days)s day", "%(days)s days", days) % {"days": days})
            for days in WITHIN_CHOICES
        ]

    def within_days(self) -> int:
        if not self.is_valid():
            return DEFAULT_WITHIN
        return self.cleaned_data.get("within") or DEFAULT_WITHIN


class ExpiringView(ReportView):
    form_class = ExpiryFilterForm
    template_name = "reports/admin/expiring.html"
    page_title = gettext_lazy("What expires")

    def query(self, **changes) -> str:
        changes.setdefault("within", self.form.within_days())
        return super().query(**changes)

    def standings(self):
        return expiring_standing_list(
            scope=self.scope, within_days=self.form.within_days(), filters=self.filters
        )

    def get(self, request):
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self.export_response(export, self.standings())
        today = timezone.localdate()
        within = self.form.within_days()
        context = self.get_context_data(
            form=self.form,
            scope=self.scope,
            today=today,
            within=within,
            until=window_end(today=today, within_days=within),
            standings=self.standings(),
            certificates=expiring_certificate_list(
                user=request.user, scope=self.scope, within_days=within, filters=self.filters
            ),
            overdue=overdue_enrolment_list(scope=self.scope, filters=self.filters),
            ancestors=self.ancestors(),
            query=self.query(),
            can_assign=request.user.has_perm(ASSIGN_PERMISSION),
            assign_url=reverse("courses_assign"),
        )
        return self.render_to_response(context)

    def export_response(self, kind: str, standings) -> HttpResponse:
        yes, no = _("Yes"), _("No")
        rows = [[str(heading) for heading, _width in EXPIRING_COLUMNS]]
        for row in standings:
            staff = row.staff
            rows.append(
                [
                    staff.full_name,
                    staff.personnel_number,
                    row.standing.org_unit.name,
                    row.standing.position.shown_name,
                    row.competency.code,
                    row.competency.shown_title,
                    row.valid_until,
                    row.days_left,
                    "; ".join(course.title for course in row.courses),
                    "; ".join(exam.shown_title for exam in row.exams),
                    yes if row.assigned else no,
                    row.enrolment.due_date if row.enrolment else None,
                ]
            )
        return spreadsheet_response(
            kind,
            rows,
            [w for _h, w in EXPIRING_COLUMNS],
            f"het-han-{self.scope.code or self.scope.pk}-{self.form.within_days()}",
            sheet_title=_("Expiring"),
        )
