"""The answer payload of a question version, per type: checked and normalised before a version
is written, whoever writes it (the admin form, an import, a script). Pure: no database.

The schema (shared with the import/export code in `assessments.interchange`):

- choice types: ``options = [{"key": "a", "text": "...", "correct": bool,
  "fraction": float (optional, -1..1), "feedback": "" (optional)}]``; either every option has
  a fraction or none does.
- numeric: ``data = {"answers": [{"value", "tolerance", "fraction", "feedback"}],
  "units": [{"unit": "kg", "multiplier": 1.0}], "unit_required": bool}``
- shorttext: ``data = {"answers": [{"text", "fraction", "feedback"}], "case_sensitive": bool,
  "ignore_diacritics": bool}``
- matching: ``data = {"pairs": [{"key": "p1", "prompt", "answer"}], "distractors": [str]}``

Option texts, option and answer feedback and matching prompts are HTML (Moodle puts images in
options), sanitised here with the stems' allow-list (`interchange.richtext.sanitize_html`):
plain text from before is escaped by the same step ("A & B" → "A &amp; B"), so it stays valid.
Short-text answers, matching answers, distractors and units are plain text (a matching answer
is shown in a <select>); templates escape them.
"""

import math
import re
import unicodedata

from django.utils.translation import gettext as _

from .interchange import richtext
from .models import Question

MAX_OPTIONS = 26
MAX_ANSWERS = 20
MAX_PAIRS = 20
MAX_TEXT = 2000
KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,16}")


class PayloadError(ValueError):
    """The payload breaks the schema; `messages` says how, in words a trainer reads."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _text(value, *, field: str, errors: list[str], required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(_("%(field)s must be text.") % {"field": field})
        return ""
    value = unicodedata.normalize("NFC", value).strip()
    if required and not value:
        errors.append(_("%(field)s is required.") % {"field": field})
    if len(value) > MAX_TEXT:
        errors.append(
            _("%(field)s is longer than %(max)d characters.") % {"field": field, "max": MAX_TEXT}
        )
    return value


def _html(value, *, field: str, errors: list[str], required: bool = True) -> str:
    """Sanitised HTML; "required" means some words or an image."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors.append(_("%(field)s must be text.") % {"field": field})
        return ""
    value = richtext.sanitize_html(value)
    if required and richtext.is_blank(value):
        errors.append(_("%(field)s is required.") % {"field": field})
    if len(value) > MAX_TEXT:
        errors.append(
            _("%(field)s is longer than %(max)d characters.") % {"field": field, "max": MAX_TEXT}
        )
    return value


def _number(value, *, field: str, errors: list[str], low=None, high=None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        errors.append(_("%(field)s must be a number.") % {"field": field})
        return 0.0
    try:
        number = float(value)
    except ValueError:
        errors.append(_("%(field)s must be a number.") % {"field": field})
        return 0.0
    if not math.isfinite(number):
        errors.append(_("%(field)s must be a number.") % {"field": field})
        return 0.0
    if (low is not None and number < low) or (high is not None and number > high):
        errors.append(
            _("%(field)s must be between %(low)s and %(high)s.")
            % {"field": field, "low": low, "high": high}
        )
    return number


def _fraction(answer: dict, *, field: str, errors: list[str], default: float = 1.0) -> float:
    if answer.get("fraction") is None:
        return default
    return _number(answer["fraction"], field=field, errors=errors, low=-1, high=1)


def _list_of_dicts(value, *, field: str, errors: list[str], maximum: int) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        errors.append(_("%(field)s is malformed.") % {"field": field})
        return []
    if len(value) > maximum:
        errors.append(_("At most %(max)d %(field)s.") % {"max": maximum, "field": field})
    return value


def _options(qtype: str, options, errors: list[str]) -> list[dict]:
    options = _list_of_dicts(options, field=_("options"), errors=errors, maximum=MAX_OPTIONS)
    if qtype == Question.Type.TRUE_FALSE and len(options) != 2:
        errors.append(_("A true/false question has exactly two options."))
    elif len(options) < 2:
        errors.append(_("Give at least two options."))
    with_fraction = [o for o in options if o.get("fraction") is not None]
    if with_fraction and len(with_fraction) != len(options):
        errors.append(_("Give a score fraction for every option or for none."))
    clean, keys = [], set()
    for number, option in enumerate(options, start=1):
        field = _("Option %(n)d") % {"n": number}
        key = option.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key) or key in keys:
            errors.append(_("%(field)s has a missing or repeated key.") % {"field": field})
            key = str(key)
        keys.add(key)
        item = {
            "key": key,
            "text": _html(option.get("text"), field=field, errors=errors),
            "correct": bool(option.get("correct")),
        }
        if with_fraction:
            item["fraction"] = _fraction(option, field=field, errors=errors)
        feedback = _html(option.get("feedback"), field=field, errors=errors, required=False)
        if feedback:
            item["feedback"] = feedback
        clean.append(item)
    correct = [o for o in clean if o["correct"]]
    if options and not correct:
        errors.append(_("Mark at least one option as correct."))
    if qtype != Question.Type.MULTIPLE_CHOICE and len(correct) > 1:
        errors.append(_("Only one option can be correct in this type of question."))
    return clean


def _numeric(data: dict, errors: list[str]) -> dict:
    answers = _list_of_dicts(
        data.get("answers"), field=_("answers"), errors=errors, maximum=MAX_ANSWERS
    )
    if not answers:
        errors.append(_("Give at least one accepted answer."))
    clean_answers = []
    for number, answer in enumerate(answers, start=1):
        field = _("Answer %(n)d") % {"n": number}
        clean_answers.append(
            {
                "value": _number(answer.get("value"), field=field, errors=errors),
                "tolerance": abs(_number(answer.get("tolerance", 0), field=field, errors=errors)),
                "fraction": _fraction(answer, field=field, errors=errors),
                "feedback": _html(
                    answer.get("feedback"), field=field, errors=errors, required=False
                ),
            }
        )
    if clean_answers and max(a["fraction"] for a in clean_answers) <= 0:
        errors.append(_("At least one answer must give credit."))
    units = _list_of_dicts(data.get("units") or [], field=_("units"), errors=errors, maximum=20)
    clean_units, names = [], set()
    for number, unit in enumerate(units, start=1):
        field = _("Unit %(n)d") % {"n": number}
        name = _text(unit.get("unit"), field=field, errors=errors)
        if len(name) > 32 or name in names:
            errors.append(_("%(field)s is too long or repeated.") % {"field": field})
        names.add(name)
        multiplier = _number(unit.get("multiplier", 1), field=field, errors=errors)
        if multiplier <= 0:
            errors.append(_("%(field)s needs a multiplier above 0.") % {"field": field})
        clean_units.append({"unit": name, "multiplier": multiplier})
    unit_required = bool(data.get("unit_required"))
    if unit_required and not clean_units:
        errors.append(_("A unit cannot be required when no unit is listed."))
    return {"answers": clean_answers, "units": clean_units, "unit_required": unit_required}


def _shorttext(data: dict, errors: list[str]) -> dict:
    answers = _list_of_dicts(
        data.get("answers"), field=_("answers"), errors=errors, maximum=MAX_ANSWERS
    )
    if not answers:
        errors.append(_("Give at least one accepted answer."))
    clean_answers = []
    for number, answer in enumerate(answers, start=1):
        field = _("Answer %(n)d") % {"n": number}
        clean_answers.append(
            {
                "text": _text(answer.get("text"), field=field, errors=errors),
                "fraction": _fraction(answer, field=field, errors=errors),
                "feedback": _html(
                    answer.get("feedback"), field=field, errors=errors, required=False
                ),
            }
        )
    if clean_answers and max(a["fraction"] for a in clean_answers) <= 0:
        errors.append(_("At least one answer must give credit."))
    return {
        "answers": clean_answers,
        "case_sensitive": bool(data.get("case_sensitive")),
        "ignore_diacritics": bool(data.get("ignore_diacritics")),
    }


def _matching(data: dict, errors: list[str]) -> dict:
    pairs = _list_of_dicts(data.get("pairs"), field=_("pairs"), errors=errors, maximum=MAX_PAIRS)
    if len(pairs) < 2:
        errors.append(_("Give at least two pairs."))
    clean_pairs, keys = [], set()
    for number, pair in enumerate(pairs, start=1):
        field = _("Pair %(n)d") % {"n": number}
        key = pair.get("key") or f"p{number}"
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key) or key in keys:
            errors.append(_("%(field)s has a missing or repeated key.") % {"field": field})
            key = str(key)
        keys.add(key)
        clean_pairs.append(
            {
                "key": key,
                "prompt": _html(pair.get("prompt"), field=field, errors=errors),
                "answer": _text(pair.get("answer"), field=field, errors=errors),
            }
        )
    distractors = data.get("distractors") or []
    if not isinstance(distractors, list) or len(distractors) > MAX_ANSWERS:
        errors.append(_("The wrong answers are malformed."))
        distractors = []
    clean_distractors = []
    for text in distractors:
        text = _text(text, field=_("Wrong answer"), errors=errors, required=False)
        if text and text not in clean_distractors:
            clean_distractors.append(text)
    return {"pairs": clean_pairs, "distractors": clean_distractors}


def payload_clean(*, qtype: str, options, data) -> tuple[list[dict], dict]:
    """The (options, data) to store for a version of this type, normalised; raises
    PayloadError listing every problem."""
    errors: list[str] = []
    if qtype not in Question.Type.values:
        raise PayloadError([_("Unknown question type.")])
    if data is not None and not isinstance(data, dict):
        raise PayloadError([_("The answer data is malformed.")])
    data = data or {}
    clean_options: list[dict] = []
    clean_data: dict = {}
    if qtype in Question.CHOICE_TYPES:
        clean_options = _options(qtype, options, errors)
    elif qtype == Question.Type.NUMERIC:
        clean_data = _numeric(data, errors)
    elif qtype == Question.Type.SHORT_TEXT:
        clean_data = _shorttext(data, errors)
    else:
        clean_data = _matching(data, errors)
    if errors:
        raise PayloadError(list(dict.fromkeys(errors)))
    return clean_options, clean_data
