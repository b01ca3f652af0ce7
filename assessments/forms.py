from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AttemptItem, Question


class AnswerForm(forms.Form):
    """One question's answer. Choices are the option keys in the order this officer sees them;
    the correct key is never part of the form."""

    seq = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, item: AttemptItem, **kwargs):
        super().__init__(*args, **kwargs)
        version = item.question_version
        text_by_key = {o["key"]: o["text"] for o in version.options}
        choices = [(key, text_by_key[key]) for key in item.option_order]
        if version.question.qtype == Question.Type.MULTIPLE_CHOICE:
            self.fields["answer"] = forms.MultipleChoiceField(
                label=_("Choose all correct options"),
                choices=choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )
        else:
            self.fields["answer"] = forms.ChoiceField(
                label=_("Choose one option"),
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )

    def response(self) -> list[str]:
        answer = self.cleaned_data.get("answer")
        if not answer:
            return []
        return list(answer) if isinstance(answer, list) else [answer]


class SubmitForm(forms.Form):
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
