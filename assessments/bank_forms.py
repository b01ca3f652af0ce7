"""The trainers' question form in the Wagtail admin: the question's metadata, its text, and one
structured part per type (rows of options, accepted answers, units or pairs) that becomes the
version's `options`/`data` (schema in `assessments.bank_payload`). No JSON is typed by hand."""

import string

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.rich_text import get_rich_text_editor_widget

from .bank_html import html_to_input, input_to_html
from .bank_payload import PayloadError, payload_clean
from .models import Question

# what Draftail may write in a stem or explanation; metrology needs sub- and superscripts
RICH_TEXT_FEATURES = ["bold", "italic", "superscript", "subscript", "ol", "ul"]
# markup Draftail cannot keep (imported images, tables): such a text is edited as HTML instead
# of silently losing it
_UNEDITABLE_IN_DRAFTAIL = ("<img", "<table", "<pre", "<a ")


def _rich_text_widget(initial: str):
    if any(tag in (initial or "") for tag in _UNEDITABLE_IN_DRAFTAIL):
        return forms.Textarea(attrs={"rows": 8})
    return get_rich_text_editor_widget(features=RICH_TEXT_FEATURES)


# --- rows --------------------------------------------------------------------------------------


class _RowForm(forms.Form):
    """A row of a formset; an untouched extra row is empty and ignored."""

    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {}) or {}
        return not any(data.get(name) not in (None, "", False) for name in self.content_fields)


class OptionRowForm(_RowForm):
    content_fields = ("text",)
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Option"), max_length=2000, required=False)
    correct = forms.BooleanField(label=_("Correct"), required=False)
    fraction = forms.DecimalField(
        label=_("Score fraction"),
        required=False,
        min_value=-1,
        max_value=1,
        decimal_places=5,
        help_text=_("Optional, −1 to 1. Leave every row empty to use the standard rule."),
    )
    feedback = forms.CharField(label=_("Feedback"), max_length=2000, required=False)


class NumericAnswerRowForm(_RowForm):
    content_fields = ("value",)
    value = forms.FloatField(label=_("Accepted value"), required=False)
    tolerance = forms.FloatField(label=_("Tolerance (±)"), required=False, min_value=0)
    fraction = forms.DecimalField(
        label=_("Score fraction"), required=False, min_value=-1, max_value=1, decimal_places=5
    )
    feedback = forms.CharField(label=_("Feedback"), max_length=2000, required=False)


class UnitRowForm(_RowForm):
    content_fields = ("unit",)
    unit = forms.CharField(label=_("Unit"), max_length=32, required=False)
    multiplier = forms.FloatField(
        label=_("Multiplier"),
        required=False,
        help_text=_("How many of this unit make one of the answer's unit (g for kg: 1000)."),
    )


class TextAnswerRowForm(_RowForm):
    content_fields = ("text",)
    text = forms.CharField(
        label=_("Accepted answer"),
        max_length=2000,
        required=False,
        help_text=_("* stands for any text."),
    )
    fraction = forms.DecimalField(
        label=_("Score fraction"), required=False, min_value=-1, max_value=1, decimal_places=5
    )
    feedback = forms.CharField(label=_("Feedback"), max_length=2000, required=False)


class PairRowForm(_RowForm):
    content_fields = ("prompt", "answer")
    key = forms.CharField(required=False, widget=forms.HiddenInput)
    prompt = forms.CharField(label=_("Prompt"), max_length=2000, required=False)
    answer = forms.CharField(label=_("Matching answer"), max_length=2000, required=False)


def _formset(form_class, *, extra: int, fixed: int | None = None):
    if fixed:
        return forms.formset_factory(
            form_class, extra=0, min_num=fixed, max_num=fixed, validate_max=True
        )
    return forms.formset_factory(form_class, extra=extra, can_delete=True, max_num=30)


# the parts of the form per type: name → (title, formset class)
PARTS = {
    "options": (_("Options"), _formset(OptionRowForm, extra=3)),
    "truefalse": (_("Options"), _formset(OptionRowForm, extra=0, fixed=2)),
    "numeric_answers": (_("Accepted answers"), _formset(NumericAnswerRowForm, extra=2)),
    "units": (_("Units"), _formset(UnitRowForm, extra=2)),
    "text_answers": (_("Accepted answers"), _formset(TextAnswerRowForm, extra=3)),
    "pairs": (_("Pairs"), _formset(PairRowForm, extra=3)),
}
PARTS_BY_TYPE = {
    Question.Type.SINGLE_CHOICE: ["options"],
    Question.Type.MULTIPLE_CHOICE: ["options"],
    Question.Type.TRUE_FALSE: ["truefalse"],
    Question.Type.NUMERIC: ["numeric_answers", "units"],
    Question.Type.SHORT_TEXT: ["text_answers"],
    Question.Type.MATCHING: ["pairs"],
}
# plain fields that belong to one type's answer data
TYPE_FIELDS = {
    Question.Type.NUMERIC: ["unit_required"],
    Question.Type.SHORT_TEXT: ["case_sensitive", "ignore_diacritics"],
    Question.Type.MATCHING: ["distractors"],
}


def _number(value, default=None):
    return default if value is None else float(value)


def _rows(formset) -> list[dict]:
    return [
        form.cleaned_data
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.is_blank()
    ]


class QuestionForm(WagtailAdminModelForm):
    """Metadata are saved on the question; the text, explanation and type part make the next
    version when they differ from the current one."""

    stem = forms.CharField(label=_("Question text"))
    explanation = forms.CharField(
        label=_("Explanation shown after the exam (feedback)"), required=False
    )
    unit_required = forms.BooleanField(label=_("The unit must be given"), required=False)
    case_sensitive = forms.BooleanField(label=_("Upper/lower case matters"), required=False)
    ignore_diacritics = forms.BooleanField(
        label=_("Accept answers typed without Vietnamese diacritics"), required=False
    )
    distractors = forms.CharField(
        label=_("Wrong answers offered as well (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Question
        fields = [
            "name",
            "competency",
            "difficulty",
            "tags",
            "legal_document",
            "legal_article",
            "legal_effective_date",
        ]

    def __init__(self, *args, qtype: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.qtype = self.instance.qtype if self.instance.pk else qtype
        version = self.instance.current_version if self.instance.pk else None
        self.fields["stem"].widget = _rich_text_widget(version.stem if version else "")
        self.fields["explanation"].widget = _rich_text_widget(
            version.explanation if version else ""
        )
        for qtype, names in TYPE_FIELDS.items():
            if qtype != self.qtype:
                for name in names:
                    del self.fields[name]
        initial_parts = self._initial(version)
        data = self.data if self.is_bound else None
        self.parts = []
        for name in PARTS_BY_TYPE[self.qtype]:
            title, formset_class = PARTS[name]
            formset = formset_class(
                data=data, initial=initial_parts.get(name), prefix=name.replace("_", "-")
            )
            self.parts.append((title, formset))
        self.answer_formsets = {
            name: formset
            for name, (_t, formset) in zip(PARTS_BY_TYPE[self.qtype], self.parts, strict=True)
        }

    # --- from a version to the form ---------------------------------------------------------

    def _initial(self, version) -> dict:
        if version is None:
            if self.qtype == Question.Type.TRUE_FALSE:
                return {
                    "truefalse": [
                        {"key": "true", "text": _("True")},
                        {"key": "false", "text": _("False")},
                    ]
                }
            return {}
        self.initial.update({"stem": version.stem, "explanation": version.explanation})
        data = version.data or {}

        # option texts, feedback and prompts are HTML in the bank, plain text in the inputs
        # (see bank_html): plain text unescaped, imported markup shown as it is
        def shown(row: dict, *names: str) -> dict:
            return {**row, **{n: html_to_input(row.get(n, "")) for n in names if n in row}}

        if self.qtype in Question.CHOICE_TYPES:
            name = "truefalse" if self.qtype == Question.Type.TRUE_FALSE else "options"
            return {name: [shown(o, "text", "feedback") for o in version.options]}
        if self.qtype == Question.Type.NUMERIC:
            self.initial["unit_required"] = data.get("unit_required", False)
            return {
                "numeric_answers": [shown(a, "feedback") for a in data.get("answers", [])],
                "units": data.get("units", []),
            }
        if self.qtype == Question.Type.SHORT_TEXT:
            self.initial["case_sensitive"] = data.get("case_sensitive", False)
            self.initial["ignore_diacritics"] = data.get("ignore_diacritics", False)
            return {"text_answers": [shown(a, "feedback") for a in data.get("answers", [])]}
        self.initial["distractors"] = "\n".join(data.get("distractors", []))
        return {"pairs": [shown(p, "prompt") for p in data.get("pairs", [])]}

    # --- from the form to a payload ---------------------------------------------------------

    def payload(self) -> tuple[list[dict], dict]:
        """The (options, data) the posted rows describe, before schema checks."""
        cleaned = self.cleaned_data
        if self.qtype in Question.CHOICE_TYPES:
            name = "truefalse" if self.qtype == Question.Type.TRUE_FALSE else "options"
            rows = _rows(self.answer_formsets[name])
            used = {r["key"] for r in rows if r.get("key")}
            free = (k for k in string.ascii_lowercase if k not in used)
            options = []
            for row in rows:
                option = {
                    "key": row.get("key") or next(free, ""),
                    "text": input_to_html(row["text"]),
                    "correct": bool(row.get("correct")),
                }
                if row.get("fraction") is not None:
                    option["fraction"] = float(row["fraction"])
                if row.get("feedback"):
                    option["feedback"] = input_to_html(row["feedback"])
                options.append(option)
            return options, {}
        if self.qtype == Question.Type.NUMERIC:
            answers = [
                {
                    "value": row["value"],
                    "tolerance": _number(row.get("tolerance"), 0.0),
                    "fraction": _number(row.get("fraction"), 1.0),
                    "feedback": input_to_html(row.get("feedback", "")),
                }
                for row in _rows(self.answer_formsets["numeric_answers"])
            ]
            units = [
                {"unit": row["unit"], "multiplier": _number(row.get("multiplier"), 1.0)}
                for row in _rows(self.answer_formsets["units"])
            ]
            return [], {
                "answers": answers,
                "units": units,
                "unit_required": cleaned.get("unit_required", False),
            }
        if self.qtype == Question.Type.SHORT_TEXT:
            answers = [
                {
                    "text": row["text"],
                    "fraction": _number(row.get("fraction"), 1.0),
                    "feedback": input_to_html(row.get("feedback", "")),
                }
                for row in _rows(self.answer_formsets["text_answers"])
            ]
            return [], {
                "answers": answers,
                "case_sensitive": cleaned.get("case_sensitive", False),
                "ignore_diacritics": cleaned.get("ignore_diacritics", False),
            }
        rows = _rows(self.answer_formsets["pairs"])
        used = {r["key"] for r in rows if r.get("key")}
        free = (f"p{n}" for n in range(1, 100) if f"p{n}" not in used)
        pairs = [
            {
                "key": row.get("key") or next(free),
                "prompt": input_to_html(row["prompt"]),
                "answer": row["answer"],
            }
            for row in rows
        ]
        distractors = [line.strip() for line in cleaned.get("distractors", "").splitlines()]
        return [], {"pairs": pairs, "distractors": [d for d in distractors if d]}

    def is_valid(self):
        # the formsets first, so their errors show even when a plain field is wrong too
        formsets_valid = all([formset.is_valid() for formset in self.answer_formsets.values()])
        return super().is_valid() and formsets_valid and not self.errors

    def clean(self):
        cleaned = super().clean()
        if all(formset.is_valid() for formset in self.answer_formsets.values()):
            options, data = self.payload()
            try:
                self.clean_options, self.clean_data = payload_clean(
                    qtype=self.qtype, options=options, data=data
                )
            except PayloadError as error:
                for message in error.messages:
                    self.add_error(None, message)
        return cleaned

    @property
    def media(self):
        media = super().media
        for formset in self.answer_formsets.values():
            media += formset.media
        return media
