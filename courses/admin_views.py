"""Wagtail admin screen for HR: assign a course with a due date to staff they manage — named by
personnel number, by position and/or by org unit (its whole subtree)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.permission_policies import ModelPermissionPolicy

from staff.admin_exports import UnitCodeField
from staff.models import Position

from .localisation import canonical_filter
from .models import CoursePage, Enrolment
from .services import enrolments_assign

ASSIGN_URL_NAME = "courses_assign"
MAX_PERSONNEL_NUMBERS = 5000


class AssignCourseForm(forms.Form):
    course = forms.ModelChoiceField(
        label=gettext_lazy("Course"),
        queryset=CoursePage.objects.live().order_by("title"),
        error_messages={"invalid_choice": gettext_lazy("Choose a published course.")},
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": gettext_lazy("Enter a due date."),
            "invalid": gettext_lazy("Enter a valid date."),
        },
    )
    personnel_numbers = forms.CharField(
        label=gettext_lazy("Personnel numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("One per line."),
    )
    position = forms.ModelChoiceField(
        label=gettext_lazy("Position"),
        required=False,
        queryset=Position.objects.order_by("name"),
        help_text=gettext_lazy("Everyone you manage who holds this position."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # a translation is the same course (enrolments are stored against the Vietnamese page):
        # list each course once
        self.fields["course"].queryset = canonical_filter(CoursePage.objects.live()).order_by(
            "title"
        )
        self.fields["org_unit"] = UnitCodeField(
            user=user,
            help_text=gettext_lazy(
                "This unit and every unit under it. With a position: only the holders of that "
                "position in the unit."
            ),
        )

    def clean_due_date(self):
        due_date = self.cleaned_data["due_date"]
        if due_date < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."))
        return due_date

    def clean_personnel_numbers(self):
        numbers = [line.strip() for line in self.cleaned_data["personnel_numbers"].splitlines()]
        numbers = list(dict.fromkeys(n for n in numbers if n))
        if len(numbers) > MAX_PERSONNEL_NUMBERS:
            raise ValidationError(
                _("At most %(max)s personnel numbers at a time.") % {"max": MAX_PERSONNEL_NUMBERS}
            )
        return numbers

    def clean(self):
        data = super().clean()
        targets = ("personnel_numbers", "position", "org_unit")
        # a target field with its own error is not "missing": its message says what is wrong
        if not any(data.get(name) for name in targets) and not any(
            name in self.errors for name in targets
        ):
            raise ValidationError(
                _("Choose who takes the course: personnel numbers, a position or a unit.")
            )
        return data


class AssignCourseView(PermissionCheckedMixin, WagtailAdminTemplateMixin, View):
    permission_policy = ModelPermissionPolicy(Enrolment)
    permission_required = "add"
    page_title = gettext_lazy("Assign a course")
    header_icon = "doc-full-inverse"
    template_name = "courses/admin/assign.html"

    # a link may fill the form in (the staff record's "change the due date": that course,
    # that personnel number); nothing is assigned until the form is posted
    PREFILLED = ("course", "personnel_numbers")

    def get(self, request):
        initial = {name: request.GET[name][:200] for name in self.PREFILLED if name in request.GET}
        form = AssignCourseForm(user=request.user, initial=initial)
        return self.render_to_response(self.get_context_data(form=form))

    def post(self, request):
        form = AssignCourseForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = enrolments_assign(
                    course=data["course"],
                    by=request.user,
                    due_date=data["due_date"],
                    personnel_numbers=data["personnel_numbers"],
                    position=data["position"],
                    org_unit=data["org_unit"],
                )
            except ValidationError as error:
                # the service re-checks what the form checked (a course unpublished meanwhile)
                if hasattr(error, "error_dict"):
                    for field, messages in error.message_dict.items():
                        form.add_error(field if field in form.fields else None, messages)
                else:
                    form.add_error(None, error)
            else:
                # the summary answers the POST: repeating it assigns nothing more
                self.template_name = "courses/admin/assign_result.html"
                return self.render_to_response(
                    self.get_context_data(result=result, course=data["course"], data=data)
                )
        return self.render_to_response(self.get_context_data(form=form))
