"""Forms of the competency admin screens: they parse and validate input; the rules are in
services.py."""

import secrets

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from staff.models import Position

from .evidence import EVIDENCE_KINDS, evidence_kind
from .models import Competency, Framework, ProficiencyLevel
from .services import MAX_VALIDITY_MONTHS


class MatrixChooseForm(forms.Form):
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.order_by("name", "-version"),
    )
    position = forms.ModelChoiceField(
        label=_("Job position"), queryset=Position.objects.order_by("code")
    )


class RequirementRowForm(forms.Form):
    """One competency's line in the matrix; the choices are built once for all rows."""

    min_level = forms.TypedChoiceField(
        label=_("Minimum level"), coerce=int, required=False, empty_value=None
    )
    validity_months = forms.IntegerField(
        label=_("Validity (months)"),
        required=False,
        min_value=1,
        max_value=MAX_VALIDITY_MONTHS,
    )

    def __init__(self, *args, level_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_level"].choices = [("", _("Not required")), *level_choices]
        self.fields["validity_months"].widget.attrs.update({"inputmode": "numeric", "size": 4})

    def clean(self):
        data = super().clean()
        if (
            data.get("min_level") is not None
            and data.get("validity_months") is None
            and "validity_months" not in self.errors
        ):
            self.add_error("validity_months", _("Enter the validity in months."))
        return data


class AssessmentForm(forms.Form):
    competency = forms.ModelChoiceField(
        label=_("Competency"), queryset=Competency.objects.order_by("code")
    )
    level = forms.ModelChoiceField(
        label=_("Level assessed"), queryset=ProficiencyLevel.objects.order_by("rank")
    )
    assessed_on = forms.DateField(
        label=_("Assessed on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How the level was assessed: observation, interview, document review…"),
    )
    evidence_file = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_("Optional. PDF, JPEG or PNG, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(k.content_type for k in EVIDENCE_KINDS)}
        ),
    )
    # a repeated submission over a flaky link records the assessment once
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=43, min_length=16)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "initial",
            {"assessed_on": timezone.localdate(), "idempotency_key": secrets.token_urlsafe(24)},
        )
        super().__init__(*args, **kwargs)

    def clean_idempotency_key(self):
        key = self.cleaned_data["idempotency_key"]
        if not key.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError(_("The form is out of date; please reload the page."))
        return key

    def clean_evidence_file(self):
        file = self.cleaned_data.get("evidence_file")
        if file:
            evidence_kind(file)
        return file
