"""The filters every report takes from its URL, validated: a bad or foreign value is an error
on the form, never a 500, and an org unit outside the reader's scope is a 404."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from competencies.models import Domain, Framework
from staff.models import Position

from .selectors import Filters

OUTCOMES = [
    ("", _("Everyone")),
    ("all", _("Meet every requirement")),
    ("part", _("Meet part")),
    ("none", _("Meet none")),
]


class ReportFilterForm(forms.Form):
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    position = forms.ModelChoiceField(
        label=_("Position"),
        queryset=Position.objects.order_by("code"),
        required=False,
        empty_label=_("All positions"),
    )
    domain = forms.ModelChoiceField(
        label=_("Domain"),
        queryset=Domain.objects.order_by("code"),
        required=False,
        empty_label=_("All domains"),
    )

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        position, domain = data.get("position"), data.get("domain")
        return Filters(
            position_id=position.pk if position else None, domain_id=domain.pk if domain else None
        )

    def unit_id(self) -> int | None:
        return self.cleaned_data.get("unit") if self.is_valid() else None


class OverviewFilterForm(ReportFilterForm):
    """The overview may also be read as of a past month's snapshot."""

    month = forms.TypedChoiceField(
        label=_("As of"), required=False, coerce=date.fromisoformat, empty_value=None
    )

    framework = forms.ModelChoiceField(
        label=_("Framework version"),
        queryset=Framework.objects.none(),
        required=False,
        empty_label=_("The framework in force"),
    )

    def __init__(self, *args, months=(), frameworks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = [
            ("", _("Today")),
            *((m.isoformat(), f"{m:%m/%Y}") for m in months),
        ]
        # the versions some month was taken under: an earlier one is read from its snapshots
        self.fields["framework"].queryset = Framework.objects.filter(
            pk__in=[f.pk for f in frameworks]
        ).order_by("-version", "-pk")

    def as_of_month(self) -> date | None:
        return self.cleaned_data.get("month") if self.is_valid() else None

    def chosen_framework(self):
        return self.cleaned_data.get("framework") if self.is_valid() else None


class PeopleFilterForm(ReportFilterForm):
    outcome = forms.ChoiceField(label=_("Standing"), choices=OUTCOMES, required=False)
