"""Pure scoring rules: no database, so they are easy to test exhaustively.

Every item scores between 0.0 and 1.0:

- single choice, true/false: 1 for the right option, 0 otherwise; when the options carry
  Moodle fractions, the chosen option's fraction (clamped to 0..1).
- multiple choice: (right picks − wrong picks) / number of right options, never below 0; when
  the options carry fractions, the sum of the chosen options' fractions, clamped to 0..1.
- numeric: the best fraction among the answers the number falls within (value ± tolerance),
  after dividing it by the chosen unit's multiplier; a missing unit counts as the first unit
  unless the unit is required, which then scores 0.
- short text: the best fraction among the answers that match after normalising both sides
  (Unicode NFC, spaces collapsed, case folded unless case-sensitive, diacritics and đ→d
  dropped when the question says so); ``*`` in an answer matches any text, ``\\*`` a star.
- matching: right pairs / pairs.

`response_is_valid` refuses anything the page could not have sent, whatever its JSON shape.
"""

import math
import re
import unicodedata
from collections import defaultdict
from decimal import Decimal, InvalidOperation

from lms.text import strip_diacritics

from .models import Question

NUMBER_MAX_LENGTH = 40
UNIT_MAX_LENGTH = 32
TEXT_MAX_LENGTH = 500
# a float comparison at the tolerance's edge must not fail on representation error
_EPSILON = 1e-9


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


# --- choice types ------------------------------------------------------------------------------


def correct_keys(options: list[dict]) -> set[str]:
    return {o["key"] for o in options if o.get("correct")}


def uses_fractions(options: list[dict]) -> bool:
    return any("fraction" in o for o in options)


def _choice_score(qtype: str, options: list[dict], response: list[str]) -> float:
    chosen = set(response)
    if uses_fractions(options):
        return _clamp(sum(float(o.get("fraction", 0)) for o in options if o["key"] in chosen))
    right = correct_keys(options)
    if qtype == Question.Type.MULTIPLE_CHOICE:
        if not right:
            return 0.0
        return max(0.0, (len(chosen & right) - len(chosen - right)) / len(right))
    return 1.0 if chosen == right else 0.0


# --- numeric -----------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def parse_number(text: str) -> float | None:
    """A number as an officer types it: "12,5" and "12.5" are both 12.5 (a single separator
    is always the decimal one); "1.234,5", "1,234.5" and "1 234,5" are 1234.5 (the last of
    two kinds of separator is the decimal one); "1.234.567" has thousands only."""
    if not isinstance(text, str) or len(text) > NUMBER_MAX_LENGTH:
        return None
    text = text.strip().replace("\u00a0", " ").replace("\u202f", " ").replace("−", "-")
    text = text.replace(" ", "")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif text.count(",") > 1:
        text = text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    else:
        text = text.replace(",", ".")
    if not _NUMBER.fullmatch(text):
        return None
    try:
        value = float(Decimal(text))
    except (InvalidOperation, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _numeric_score(data: dict, response: dict) -> float:
    value = parse_number(response.get("value", ""))
    if value is None:
        return 0.0
    units = data.get("units") or []
    unit = response.get("unit") or ""
    if units:
        multipliers = {u["unit"]: float(u["multiplier"]) for u in units}
        if unit:
            value = value / multipliers[unit]
        elif data.get("unit_required"):
            return 0.0
        else:
            value = value / float(units[0]["multiplier"])
    best = 0.0
    for answer in data.get("answers", []):
        target = float(answer["value"])
        tolerance = abs(float(answer.get("tolerance", 0)))
        if abs(value - target) <= tolerance + _EPSILON * max(1.0, abs(target)):
            best = max(best, float(answer.get("fraction", 1)))
    return _clamp(best)


# --- short text --------------------------------------------------------------------------------


def normalise_text(text: str, *, case_sensitive: bool = False, ignore_diacritics: bool = False):
    text = unicodedata.normalize("NFC", text)
    text = " ".join(text.split())
    if ignore_diacritics:
        text = strip_diacritics(text)
    return text if case_sensitive else text.casefold()


def _answer_pattern(answer: str) -> re.Pattern:
    # Moodle's short-answer wildcard: "*" is any text, "\*" a literal star
    parts = re.split(r"(\\\*|\*)", answer)
    regex = "".join(
        ".*" if part == "*" else re.escape("*") if part == "\\*" else re.escape(part)
        for part in parts
    )
    return re.compile(regex, re.DOTALL)


def _shorttext_score(data: dict, response: dict) -> float:
    options = {
        "case_sensitive": bool(data.get("case_sensitive")),
        "ignore_diacritics": bool(data.get("ignore_diacritics")),
    }
    given = normalise_text(response.get("text", ""), **options)
    if not given:
        return 0.0
    best = 0.0
    for answer in data.get("answers", []):
        expected = normalise_text(answer["text"], **options)
        if _answer_pattern(expected).fullmatch(given):
            best = max(best, float(answer.get("fraction", 1)))
    return _clamp(best)


# --- matching ----------------------------------------------------------------------------------


def matching_answer_texts(data: dict) -> list[str]:
    """Every answer an officer may pick: the pairs' answers and the distractors, each once."""
    texts: list[str] = []
    for text in [p["answer"] for p in data.get("pairs", [])] + list(data.get("distractors", [])):
        if text not in texts:
            texts.append(text)
    return texts


def matching_choice_text(data: dict, order: dict, answer_key: str) -> str:
    """The answer text behind a key on the page (its 1-based position in the shuffled list)."""
    return matching_answer_texts(data)[order["answers"][int(answer_key) - 1]]


def _matching_score(data: dict, response: dict, order: dict) -> float:
    pairs = data.get("pairs", [])
    if not pairs:
        return 0.0
    right = 0
    for pair in pairs:
        key = response.get(pair["key"])
        if key and matching_choice_text(data, order, key) == pair["answer"]:
            right += 1
    return right / len(pairs)


# --- the two entry points ----------------------------------------------------------------------


def _is_str_dict(response, allowed: set[str]) -> bool:
    return (
        isinstance(response, dict)
        and set(response) <= allowed
        and all(isinstance(v, str) for v in response.values())
    )


def response_is_valid(
    *,
    qtype: str,
    options: list[dict],
    response,
    data: dict | None = None,
    order=None,
) -> bool:
    """Could the question page have sent this? None (or an empty list) means unanswered."""
    if response is None:
        return True
    data = data or {}
    if qtype in Question.CHOICE_TYPES:
        if not isinstance(response, list) or not all(isinstance(k, str) for k in response):
            return False
        keys = {o["key"] for o in options}
        if not set(response) <= keys or len(set(response)) != len(response):
            return False
        if qtype in (Question.Type.SINGLE_CHOICE, Question.Type.TRUE_FALSE):
            return len(response) <= 1
        return True
    if qtype == Question.Type.NUMERIC:
        if not _is_str_dict(response, {"value", "unit"}):
            return False
        units = {u["unit"] for u in data.get("units") or []}
        unit = response.get("unit", "")
        if unit and unit not in units:
            return False
        return parse_number(response.get("value", "")) is not None
    if qtype == Question.Type.SHORT_TEXT:
        return _is_str_dict(response, {"text"}) and len(response.get("text", "")) <= TEXT_MAX_LENGTH
    if qtype == Question.Type.MATCHING:
        if not isinstance(order, dict):
            return False
        pair_keys = {p["key"] for p in data.get("pairs", [])}
        answer_keys = {str(i) for i in range(1, len(order.get("answers", [])) + 1)}
        return _is_str_dict(response, pair_keys) and set(response.values()) <= answer_keys | {""}
    return False


def item_score(
    *,
    qtype: str,
    options: list[dict],
    response,
    data: dict | None = None,
    order=None,
) -> float:
    """The item's score between 0 and 1 (rules in the module docstring). A response that is
    missing or that the page could not have sent scores 0."""
    if not response or not response_is_valid(
        qtype=qtype, options=options, response=response, data=data, order=order
    ):
        return 0.0
    data = data or {}
    if qtype in Question.CHOICE_TYPES:
        return _choice_score(qtype, options, response)
    if qtype == Question.Type.NUMERIC:
        return _numeric_score(data, response)
    if qtype == Question.Type.SHORT_TEXT:
        return _shorttext_score(data, response)
    if qtype == Question.Type.MATCHING:
        return _matching_score(data, response, order)
    return 0.0


def scores_by_competency(items: list[tuple[str, float]]) -> dict[str, float]:
    """Percent per competency code from (code, item score) pairs."""
    totals: dict[str, list[float]] = defaultdict(list)
    for code, score in items:
        totals[code].append(score)
    return {code: round(100 * sum(s) / len(s), 2) for code, s in totals.items()}
