from django import forms
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .bank_html import bank_html
from .grading import NUMBER_MAX_LENGTH, TEXT_MAX_LENGTH, matching_answer_texts, parse_number
from .models import AttemptItem, Question

TOKEN_LENGTH = 12


def option_token(*, item_id: int, key: str) -> str:
    """The opaque value a choice option carries on the page of one attempt item: an HMAC of
    the item and the bank's option key under SECRET_KEY. The same for every render and post of
    the item (autosave, offline copies and plain posts resend it); unrelated across items, so
    neither the value nor its sort order says which option the bank lists first or marks
    right."""
    digest = salted_hmac("assessments.option-token", f"{item_id}:{key}").hexdigest()
    return digest[:TOKEN_LENGTH]


def option_tokens(item: AttemptItem) -> dict[str, str]:
    """Bank option key → the item's token, for the options in the item's order."""
    return {key: option_token(item_id=item.pk, key=key) for key in item.option_order}


class AnswerForm(forms.Form):
    """One question's answer, in plain HTML inputs that work without JavaScript on a small
    screen. Choices carry per-item opaque tokens (option_token) in the order this officer sees
    them, mapped back to the bank's keys here; matching answers carry their position in this
    officer's shuffled list. Nothing about the key, the fractions or the feedback is part of
    the form."""

    seq = forms.IntegerField(min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, item: AttemptItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        version = item.question_version
        self.qtype = version.question.qtype
        if self.qtype in Question.CHOICE_TYPES:
            self._choice_fields(version)
        elif self.qtype == Question.Type.NUMERIC:
            self._numeric_fields(version)
        elif self.qtype == Question.Type.SHORT_TEXT:
            self.fields["answer"] = forms.CharField(
                label=_("Your answer"),
                max_length=TEXT_MAX_LENGTH,
                required=False,
                widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            )
        elif self.qtype == Question.Type.MATCHING:
            self._matching_fields(version)
        if not self.is_bound:
            self.initial.update(self._initial_from(item.response))

    # --- fields per type --------------------------------------------------------------------

    def _choice_fields(self, version):
        # option texts are sanitised HTML (images from Moodle); bank_html renders them safely,
        # once per version when the version comes from version_cache
        text_by_key = getattr(version, "option_html", None) or {
            o["key"]: bank_html(o["text"]) for o in version.options
        }
        self.token_for_key = option_tokens(self.item)
        self.key_for_token = {token: key for key, token in self.token_for_key.items()}
        choices = [(self.token_for_key[key], text_by_key[key]) for key in self.item.option_order]
        if self.qtype == Question.Type.MULTIPLE_CHOICE:
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

    def _numeric_fields(self, version):
        self.fields["answer"] = forms.CharField(
            label=_("Your answer (a number; a comma or a point before decimals)"),
            max_length=NUMBER_MAX_LENGTH,
            required=False,
            # "decimal" brings up a keypad with a separator on phones; type=text accepts ","
            widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        )
        units = [u["unit"] for u in version.data.get("units") or []]
        if units:
            self.fields["unit"] = forms.ChoiceField(
                label=_("Unit"),
                choices=[("", "—")] + [(u, u) for u in units],
                required=False,
            )

    def _matching_fields(self, version):
        texts = matching_answer_texts(version.data)
        choices = [("", "—")] + [
            (str(position), texts[index])
            for position, index in enumerate(self.item.option_order["answers"], start=1)
        ]
        prompts = {p["key"]: bank_html(p["prompt"]) for p in version.data["pairs"]}
        # fields are named by the prompt's place on the page, never by the bank's pair key
        self.pair_for_field = {}
        for number, pair_key in enumerate(self.item.option_order["prompts"], start=1):
            name = f"match_{number}"
            self.pair_for_field[name] = pair_key
            self.fields[name] = forms.ChoiceField(
                label=prompts[pair_key], choices=choices, required=False
            )

    def answer_fields(self):
        return [self[name] for name in self.fields if name != "seq"]

    # --- values ---------------------------------------------------------------------------

    def _initial_from(self, response) -> dict:
        if not response:
            return {}
        if self.qtype in Question.CHOICE_TYPES:
            tokens = [self.token_for_key[k] for k in response if k in self.token_for_key]
            if self.qtype == Question.Type.MULTIPLE_CHOICE:
                return {"answer": tokens}
            return {"answer": tokens[0]} if tokens else {}
        if self.qtype == Question.Type.NUMERIC:
            return {"answer": response.get("value", ""), "unit": response.get("unit", "")}
        if self.qtype == Question.Type.SHORT_TEXT:
            return {"answer": response.get("text", "")}
        field_for_pair = {pair: name for name, pair in self.pair_for_field.items()}
        return {field_for_pair[p]: key for p, key in response.items() if p in field_for_pair}

    def clean(self):
        cleaned = super().clean()
        if self.qtype == Question.Type.NUMERIC:
            value = (cleaned.get("answer") or "").strip()
            if value and parse_number(value) is None:
                self.add_error("answer", _("Enter a number, for example 12,5."))
        return cleaned

    def response(self):
        """The answer as stored on the item; None (or [] for choices) when unanswered."""
        data = self.cleaned_data
        if self.qtype in Question.CHOICE_TYPES:
            answer = data.get("answer")
            if not answer:
                return []
            tokens = list(answer) if isinstance(answer, list) else [answer]
            # the field accepted only this item's tokens
            return [self.key_for_token[t] for t in tokens]
        if self.qtype == Question.Type.NUMERIC:
            value = (data.get("answer") or "").strip()
            if not value:
                return None
            return {"value": value, "unit": data.get("unit") or ""}
        if self.qtype == Question.Type.SHORT_TEXT:
            text = " ".join((data.get("answer") or "").split())
            return {"text": text} if text else None
        matches = {pair: data[name] for name, pair in self.pair_for_field.items() if data.get(name)}
        return matches or None


class SubmitForm(forms.Form):
    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)
