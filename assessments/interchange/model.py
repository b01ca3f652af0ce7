"""The neutral form of a question that every file format reads into and writes from.

No database here: the apply layer turns a `QuestionData` into model rows, the exporters turn
rows back into one. Readers always pass what they built through `finalise`, which validates the
question and puts it in its canonical form (sanitised HTML, fractions snapped to the grade
list, `correct` flags derived from fractions, structured tags pulled out), so that a question
read from any format compares equal to the same question read from any other.

Payloads, as stored by the question model:

- choice types (single, multiple, truefalse): `options` =
  `[{"key": "a", "text": html, "correct": bool, "fraction": float, "feedback": html}]`;
  keys are "a", "b", … in file order ("true"/"false" for true/false); `correct` is full credit
  for single choice and true/false, any positive credit for multiple choice.
- numeric: `data` = `{"answers": [{"value", "tolerance", "fraction", "feedback"}],
  "units": [{"unit": str, "multiplier": float}], "unit_required": bool}`; the first unit is the
  one the answers are given in (multiplier 1), a value in another unit is `value * multiplier`.
- shorttext: `data` = `{"answers": [{"text": plain, "fraction", "feedback"}],
  "case_sensitive": bool, "ignore_diacritics": bool}`; an answer "*" matches anything (Moodle's
  wildcard), other `*` are wildcards too.
- matching: `data` = `{"pairs": [{"key": "p1", "prompt": html, "answer": plain}],
  "distractors": [plain]}`.

Option texts, prompts, feedback, stem and explanation are sanitised HTML; short answers,
matching answers and units are plain text (escape them when rendering).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.translation import gettext as _

from staff.importing.readers import fold

from . import richtext

SINGLE, MULTIPLE, TRUEFALSE, NUMERIC, SHORTTEXT, MATCHING = (
    "single",
    "multiple",
    "truefalse",
    "numeric",
    "shorttext",
    "matching",
)
QTYPES = (SINGLE, MULTIPLE, TRUEFALSE, NUMERIC, SHORTTEXT, MATCHING)
CHOICE_TYPES = (SINGLE, MULTIPLE, TRUEFALSE)
DIFFICULTIES = ("easy", "medium", "hard")

# Limits of one file, read at call time so tests may lower them.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_QUESTIONS = 5000
# the question bank's own limits (assessments.bank_payload), checked here so that a file is
# refused question by question at preview rather than at the apply step
MAX_OPTIONS = 26
MAX_ANSWERS = 20
MAX_PAIRS = 20
MAX_PAYLOAD_TEXT = 2000
MAX_UNIT_LENGTH = 32
MAX_NAME_LENGTH = 255

# Moodle's grade list (question_bank::fraction_options_full): an answer's fraction must be one
# of these, within 0.00001, or Moodle refuses the file; we apply the same rule to every format
# so that whatever we accept can go to Moodle and back.
_POSITIVE_GRADES = (
    1.0,
    0.9,
    0.8333333,
    0.8,
    0.75,
    0.7,
    0.6666667,
    0.6,
    0.5,
    0.4,
    0.3333333,
    0.3,
    0.25,
    0.2,
    0.1666667,
    0.1428571,
    0.125,
    0.1111111,
    0.1,
    0.05,
)
GRADES = (*_POSITIVE_GRADES, 0.0, *(-g for g in _POSITIVE_GRADES))
_GRADE_TOLERANCE = 0.00001

# "MET-01", "RAD-12", "KHCN-3A": upper-case letters, then dash-separated parts
_COMPETENCY_CODE = re.compile(r"[A-Z][A-Z0-9]{1,9}(?:[-.][A-Z0-9]{1,6}){1,3}")
_TAG_PREFIXES = {
    "competency": "competency_code",
    "difficulty": "difficulty",
    "legal-document": "legal_document",
    "legal-article": "legal_article",
    "legal-effective-date": "legal_effective_date",
}
# what writers put before the value of each structured field when it travels as a tag
TAG_PREFIX_OF = {fieldname: prefix for prefix, fieldname in _TAG_PREFIXES.items()}
_DIFFICULTY_WORDS = {
    "easy": "easy",
    "de": "easy",
    "1": "easy",
    "medium": "medium",
    "trung binh": "medium",
    "tb": "medium",
    "2": "medium",
    "hard": "hard",
    "kho": "hard",
    "3": "hard",
}


@dataclass
class QuestionData:
    name: str
    qtype: str
    stem: str
    explanation: str = ""
    options: list[dict] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    category: str = ""
    tags: list[str] = field(default_factory=list)
    competency_code: str = ""
    difficulty: str = ""
    legal_document: str = ""
    legal_article: str = ""
    legal_effective_date: date | None = None
    # embedded images by file name; texts refer to them as "@@PLUGINFILE@@/<url-quoted name>"
    files: dict[str, bytes] = field(default_factory=dict)
    # Moodle's "ID number": a stable identifier chosen by the author, if any
    idnumber: str = ""
    # whether options (or matching answers) may be shown in a random order
    shuffle_options: bool = True
    # where the question starts in its file (line, question number or row, by format); not
    # part of the question, so it does not take part in comparisons
    position: int | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Skipped:
    """A question of a type this system does not have; reported by name, never imported."""

    position: int | None
    name: str
    qtype: str  # the type as the file names it ("essay", "cloze", …)
    code: str
    reason: str


@dataclass(frozen=True)
class ParseError:
    """A question (or the whole file, when `position` is None) that cannot be imported.

    `position` is the line (GIFT), the question number counting every <question> element
    (Moodle XML) or the row (XLSX) where the question starts; `field` names the part of the
    question at fault (the column header in XLSX). `code` is stable, `message` translated."""

    position: int | None
    name: str
    code: str
    message: str
    field: str = ""

    @property
    def name_or_position(self) -> str:
        return self.name or (str(self.position) if self.position is not None else "")


@dataclass(frozen=True)
class Notice:
    """Something the person importing should know that does not stop the import (a legacy
    encoding, a file that is not an image and was left out, …)."""

    position: int | None
    name: str
    code: str
    message: str


@dataclass
class ParseResult:
    questions: list[QuestionData] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    encoding: str = ""  # how a text file was decoded

    @property
    def ok(self) -> bool:
        return not self.errors

    def file_error(self, code: str, message: str) -> ParseResult:
        self.errors.append(ParseError(None, "", code, message))
        return self


@dataclass(frozen=True)
class ExportWarning:
    """Part of a question the format cannot hold; `skipped` when the whole question was left
    out of the file."""

    name: str
    code: str
    message: str
    skipped: bool = False


class QuestionInvalid(Exception):
    """Raised by reader helpers for a question-level problem."""

    def __init__(self, code: str, message: str, field: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


# --- helpers shared by the readers -----------------------------------------------------------


def snap_fraction(value: float) -> float | None:
    """The grade from Moodle's list that `value` is (within 0.00001), or None."""
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        return None
    for grade in GRADES:
        if abs(value - grade) < _GRADE_TOLERANCE:
            return grade
    return None


def percent_text(fraction: float) -> str:
    """50 → "50", 0.3333333 → "33.33333": the shortest exact percentage of a grade."""
    text = f"{fraction * 100:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def number_text(value: float) -> str:
    """The shortest text that reads back as exactly this number: 1822, 0.0005, 1e-07."""
    value = float(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def clean_line(value) -> str:
    """Plain one-line text: NFC, no control characters, whitespace collapsed."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", str(value))
    return " ".join(richtext.strip_controls(value).split())


def clean_name(value) -> str:
    """A question name as plain text (Moodle names sometimes carry HTML), at most 255
    characters."""
    text = clean_line(value)
    if "<" in text or "&" in text:
        text = richtext.html_to_text(text)
    return text[:MAX_NAME_LENGTH].strip()


def default_name(stem_html: str) -> str:
    """What Moodle calls a question that has no name: its text, shortened."""
    text = richtext.html_to_text(stem_html)
    if len(text) <= 80:
        return text
    cut = text[:77].rsplit(" ", 1)[0] if " " in text[:77] else text[:77]
    return cut + "..."


def looks_like_competency_code(value: str) -> bool:
    return bool(_COMPETENCY_CODE.fullmatch(value))


def category_leaf(category: str) -> str:
    """The last segment of a Moodle category path ("//" is an escaped slash)."""
    parts = re.split(r"(?<!/)/(?!/)", category)
    return parts[-1].replace("//", "/").strip() if parts else ""


def parse_difficulty(value: str) -> str | None:
    folded = fold(value)
    if not folded:
        return ""
    return _DIFFICULTY_WORDS.get(folded)


def parse_iso_or_dmy_date(value: str) -> date | None:
    value = value.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value) or None
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", value)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def metadata_tags(question: QuestionData) -> list[str]:
    """The question's tags followed by its structured fields as tags ("competency:MET-01"), the
    way formats without columns for them (Moodle XML, GIFT) carry them."""
    tags = list(question.tags)
    for fieldname, prefix in TAG_PREFIX_OF.items():
        value = getattr(question, fieldname)
        if value:
            tags.append(f"{prefix}:{value.isoformat() if isinstance(value, date) else value}")
    return tags


def option_key(index: int) -> str:
    return chr(ord("a") + index)


# --- canonical form and validation -------------------------------------------------------------


def finalise(question: QuestionData) -> tuple[QuestionData, list[ParseError]]:
    """The canonical form of a question just read, and what is wrong with it (empty when it
    can be imported). Never raises on odd content."""
    q = replace(question)
    errors: list[ParseError] = []

    def error(code: str, message: str, field: str = "") -> None:
        errors.append(ParseError(q.position, q.name, code, message, field))

    q.stem = richtext.sanitize_html(q.stem)
    q.explanation = richtext.sanitize_html(q.explanation)
    q.name = clean_name(q.name) or default_name(q.stem)
    q.category = _clean_category(q.category)
    q.idnumber = clean_line(q.idnumber)[:100]
    _pull_structured_tags(q, error)
    q.competency_code = clean_line(q.competency_code)
    if not q.competency_code:
        leaf = category_leaf(q.category)
        if looks_like_competency_code(leaf):
            q.competency_code = leaf
    q.legal_document = clean_line(q.legal_document)
    q.legal_article = clean_line(q.legal_article)
    if q.difficulty:
        difficulty = parse_difficulty(q.difficulty)
        if difficulty is None:
            error(
                "invalid_difficulty",
                _("Difficulty “%(value)s” is not one of easy, medium, hard.")
                % {"value": q.difficulty},
                "difficulty",
            )
            difficulty = ""
        q.difficulty = difficulty

    if q.qtype not in QTYPES:
        error("invalid_type", _("Question type “%(type)s” is unknown.") % {"type": q.qtype})
        return q, errors
    if not q.name:
        error("name_missing", _("The question has no name."), "name")
    if richtext.is_blank(q.stem):
        error("stem_missing", _("The question has no text."), "stem")

    if q.qtype in CHOICE_TYPES:
        q.data = {}
        _finalise_options(q, error)
    else:
        q.options = []
        if q.qtype == NUMERIC:
            _finalise_numeric(q, error)
        elif q.qtype == SHORTTEXT:
            _finalise_shorttext(q, error)
        else:
            _finalise_matching(q, error)
    _check_sizes(q, error)
    if q.qtype in (TRUEFALSE, NUMERIC, SHORTTEXT):
        q.shuffle_options = True  # nothing to shuffle
    q.shuffle_options = bool(q.shuffle_options)
    q.files = _referenced_files(q)
    return q, errors


def _clean_category(category: str) -> str:
    category = clean_line(category)
    # Moodle writes paths from the context: "$course$/top/Default for X"
    category = re.sub(r"^\$[a-z0-9]+\$(?:/|$)", "", category)
    category = re.sub(r"^top(?:/|$)", "", category)
    parts = [p.strip() for p in re.split(r"(?<!/)/(?!/)", category)]
    return "/".join(p for p in parts if p)


def _pull_structured_tags(q: QuestionData, error) -> None:
    tags: list[str] = []
    for raw in q.tags:
        tag = clean_line(raw)
        if not tag:
            continue
        prefix, sep, value = tag.partition(":")
        fieldname = _TAG_PREFIXES.get(prefix.strip().lower().replace("_", "-")) if sep else None
        if fieldname is None:
            if tag not in tags:
                tags.append(tag)
            continue
        value = value.strip()
        if fieldname == "legal_effective_date":
            parsed = parse_iso_or_dmy_date(value)
            if parsed is None and value:
                error(
                    "invalid_date",
                    _("“%(value)s” is not a date; write it as yyyy-mm-dd.") % {"value": value},
                    "legal_effective_date",
                )
            if q.legal_effective_date is None:
                q.legal_effective_date = parsed
        elif not getattr(q, fieldname):
            setattr(q, fieldname, value)
    q.tags = tags


def _fraction(raw, error, field: str) -> float:
    grade = snap_fraction(raw)
    if grade is None:
        shown = percent_text(raw) if isinstance(raw, float) and math.isfinite(raw) else str(raw)
        error(
            "invalid_fraction",
            _(
                "The grade %(grade)s%% is not allowed; use one of the grades Moodle allows "
                "(100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, "
                "16.66667, 14.28571, 12.5, 11.11111, 10, 5 or 0, or minus one of them)."
            )
            % {"grade": shown},
            field,
        )
        return 0.0
    return grade


def _finalise_options(q: QuestionData, error) -> None:
    options = []
    invalid = False  # a bad grade makes the sum check below meaningless

    def graded(code: str, message: str, field: str = "") -> None:
        nonlocal invalid
        invalid = True
        error(code, message, field)

    for raw in q.options:
        text = richtext.sanitize_html(raw.get("text", ""))
        feedback = richtext.sanitize_html(raw.get("feedback", ""))
        fraction = _fraction(raw.get("fraction", 0.0), graded, "options")
        if richtext.is_blank(text) and q.qtype != TRUEFALSE:
            # Moodle exports empty answer slots of its editing form; they carry nothing
            if fraction == 0 and richtext.is_blank(feedback):
                continue
            error("option_empty", _("An option with a grade has no text."), "options")
        options.append({"text": text, "fraction": fraction, "feedback": feedback})
    if q.qtype == TRUEFALSE:
        by_key = {str(o.get("key")): o for o in q.options}
        # the texts are always the words for true and false; files say only which is right
        options = [
            {
                "key": key,
                "text": label,
                "fraction": fraction,
                "feedback": richtext.sanitize_html(by_key.get(key, {}).get("feedback", "")),
            }
            for key, label, fraction in (
                ("true", richtext.escape_text(_("True")), _tf_fraction(by_key, "true")),
                ("false", richtext.escape_text(_("False")), _tf_fraction(by_key, "false")),
            )
        ]
        if sum(1 for o in options if o["fraction"] == 1.0) != 1:
            error(
                "truefalse_key",
                _("A true/false question needs exactly one of true and false to be right."),
                "options",
            )
    else:
        if len(options) > MAX_OPTIONS:
            error(
                "too_many_options",
                _("A question may have at most %(max)s options.") % {"max": MAX_OPTIONS},
                "options",
            )
            options = options[:MAX_OPTIONS]
        for index, option in enumerate(options):
            option["key"] = option_key(index)
        if len(options) < 2:
            error("too_few_options", _("A choice question needs at least two options."), "options")
        fractions = [o["fraction"] for o in options]
        if q.qtype == SINGLE and options and max(fractions) != 1.0:
            error(
                "no_full_credit",
                _("One option of a single-choice question must be worth 100%."),
                "options",
            )
        if q.qtype == SINGLE and fractions.count(1.0) > 1:
            error(
                "single_several_correct",
                _(
                    "Only one option of a single-choice question can be worth 100%; for "
                    "several right options, make it a multiple-choice question."
                ),
                "options",
            )
        if q.qtype == MULTIPLE and options and not invalid:
            positive = sum(f for f in fractions if f > 0)
            if abs(positive - 1.0) > 0.0001:
                error(
                    "fractions_sum",
                    _(
                        "The positive grades of a multiple-choice question must add up to "
                        "100%% (they add up to %(sum)s%%)."
                    )
                    % {"sum": percent_text(positive)},
                    "options",
                )
    for option in options:
        full = option["fraction"] == 1.0 if q.qtype != MULTIPLE else option["fraction"] > 0
        option["correct"] = full
    q.options = [
        {
            "key": o["key"],
            "text": o["text"],
            "correct": o["correct"],
            "fraction": o["fraction"],
            "feedback": o["feedback"],
        }
        for o in options
    ]


def _tf_fraction(by_key: dict, key: str) -> float:
    option = by_key.get(key)
    if option is None:
        return 0.0
    if "fraction" in option:
        return 1.0 if option["fraction"] == 1 or option["fraction"] == 1.0 else 0.0
    return 1.0 if option.get("correct") else 0.0


def _finalise_numeric(q: QuestionData, error) -> None:
    raw = q.data if isinstance(q.data, dict) else {}
    answers = []
    for answer in raw.get("answers", []):
        value, tolerance = answer.get("value"), answer.get("tolerance", 0.0)
        if not _finite(value) or not _finite(tolerance):
            error("not_a_number", _("A numeric answer or its tolerance is not a number."), "data")
            continue
        if tolerance < 0:
            error("negative_tolerance", _("A tolerance cannot be negative."), "data")
        answers.append(
            {
                "value": float(value),
                "tolerance": float(tolerance),
                "fraction": _fraction(answer.get("fraction", 1.0), error, "data"),
                "feedback": richtext.sanitize_html(answer.get("feedback", "")),
            }
        )
    if not any(a["fraction"] == 1.0 for a in answers):
        error(
            "no_full_credit",
            _("A numeric question needs an answer worth 100%."),
            "data",
        )
    units = []
    for unit in raw.get("units", []):
        name = clean_line(unit.get("unit", ""))
        multiplier = unit.get("multiplier", 1.0)
        if not name:
            continue
        if not _finite(multiplier) or multiplier <= 0:
            error(
                "invalid_unit",
                _("The multiplier of unit “%(unit)s” is not a number above 0.") % {"unit": name},
                "data",
            )
            continue
        if len(name) > MAX_UNIT_LENGTH:
            error(
                "invalid_unit",
                _("Unit “%(unit)s” is longer than %(max)s characters.")
                % {"unit": name[:40], "max": MAX_UNIT_LENGTH},
                "data",
            )
        if any(u["unit"] == name for u in units):
            continue
        units.append({"unit": name, "multiplier": float(multiplier)})
    if units and units[0]["multiplier"] != 1.0:
        error(
            "invalid_unit",
            _("The first unit is the one answers are given in; its multiplier must be 1."),
            "data",
        )
    q.data = {
        "answers": answers,
        "units": units,
        "unit_required": bool(raw.get("unit_required")) and bool(units),
    }


def _finalise_shorttext(q: QuestionData, error) -> None:
    raw = q.data if isinstance(q.data, dict) else {}
    answers = []
    for answer in raw.get("answers", []):
        text = clean_line(answer.get("text", ""))
        feedback = richtext.sanitize_html(answer.get("feedback", ""))
        if not text:
            continue
        answers.append(
            {
                "text": text,
                "fraction": _fraction(answer.get("fraction", 1.0), error, "data"),
                "feedback": feedback,
            }
        )
    if not any(a["fraction"] == 1.0 for a in answers):
        error("no_full_credit", _("A short-answer question needs an answer worth 100%."), "data")
    q.data = {
        "answers": answers,
        "case_sensitive": bool(raw.get("case_sensitive")),
        "ignore_diacritics": bool(raw.get("ignore_diacritics")),
    }


def _finalise_matching(q: QuestionData, error) -> None:
    raw = q.data if isinstance(q.data, dict) else {}
    pairs = []
    distractors = [clean_line(d) for d in raw.get("distractors", [])]
    for pair in raw.get("pairs", []):
        prompt = richtext.sanitize_html(pair.get("prompt", ""))
        answer = clean_line(pair.get("answer", ""))
        if richtext.is_blank(prompt):
            # Moodle's way of offering an answer that matches no prompt
            distractors.append(answer)
            continue
        if not answer:
            error(
                "pair_without_answer",
                _("A matching prompt has no answer: “%(prompt)s”.")
                % {"prompt": richtext.html_to_text(prompt)[:60]},
                "data",
            )
            continue
        pairs.append({"key": f"p{len(pairs) + 1}", "prompt": prompt, "answer": answer})
    distractors = [d for d in distractors if d]
    if len(pairs) < 2:
        error(
            "too_few_pairs",
            _("A matching question needs at least two prompts with their answers."),
            "data",
        )
    q.data = {"pairs": pairs, "distractors": distractors}


def _check_sizes(q: QuestionData, error) -> None:
    answers = q.data.get("answers", [])
    pairs = q.data.get("pairs", [])
    if len(answers) > MAX_ANSWERS:
        error(
            "too_many_answers",
            _("A question may have at most %(max)s answers.") % {"max": MAX_ANSWERS},
            "data",
        )
    if len(pairs) > MAX_PAIRS:
        error(
            "too_many_pairs",
            _("A matching question may have at most %(max)s pairs.") % {"max": MAX_PAIRS},
            "data",
        )
    texts = [t for o in q.options for t in (o["text"], o["feedback"])]
    texts += [a.get("text", "") for a in answers] + [a["feedback"] for a in answers]
    texts += [t for p in pairs for t in (p["prompt"], p["answer"])]
    texts += q.data.get("distractors", [])
    if any(len(t) > MAX_PAYLOAD_TEXT for t in texts):
        error(
            "text_too_long",
            _("An option, answer or feedback is longer than %(max)s characters.")
            % {"max": MAX_PAYLOAD_TEXT},
            "options" if q.options else "data",
        )


def _finite(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def question_texts(q: QuestionData) -> list[str]:
    """Every HTML text of a question (where embedded files can be referenced)."""
    texts = [q.stem, q.explanation]
    for option in q.options:
        texts += [option.get("text", ""), option.get("feedback", "")]
    for answer in q.data.get("answers", []) if isinstance(q.data, dict) else []:
        texts.append(answer.get("feedback", ""))
    for pair in q.data.get("pairs", []) if isinstance(q.data, dict) else []:
        texts.append(pair.get("prompt", ""))
    return texts


def _referenced_files(q: QuestionData) -> dict[str, bytes]:
    names: set[str] = set()
    for text in question_texts(q):
        names |= richtext.plugin_file_names(text)
    return {name: content for name, content in q.files.items() if name in names}


# --- the bank's plain-text fields ----------------------------------------------------------------


def to_plain_payload(q: QuestionData) -> tuple[list[dict], dict, list[str]]:
    """(options, data, losses) with option texts, feedback and matching prompts as plain text,
    for a bank that stores those fields as plain text (the stem and explanation stay HTML).
    `losses` names what plain text cannot hold (an image, a table or a link in an option,
    feedback or prompt), for the import preview to show."""
    losses: list[str] = []

    def plain(html: str, what: str) -> str:
        text, lost = richtext.html_to_plain(html)
        if lost:
            losses.append(what)
        return text

    options = [
        {
            **option,
            "text": plain(option["text"], _("option %(key)s") % {"key": option["key"]}),
            "feedback": plain(option["feedback"], _("feedback")),
        }
        for option in q.options
    ]
    data = dict(q.data)
    if "answers" in data:
        data["answers"] = [
            {**answer, "feedback": plain(answer["feedback"], _("feedback"))}
            for answer in data["answers"]
        ]
    if "pairs" in data:
        data["pairs"] = [
            {**pair, "prompt": plain(pair["prompt"], _("matching prompt"))}
            for pair in data["pairs"]
        ]
    return options, data, list(dict.fromkeys(losses))


def from_plain_payload(qtype: str, options: list[dict], data: dict) -> tuple[list[dict], dict]:
    """The reverse of `to_plain_payload`, for exporting such a bank: plain texts escaped into
    HTML, missing optional keys filled in, and options kept without fractions given the
    fractions their `correct` flags mean (single choice and true/false: 1 for the right one;
    multiple choice: 1/n for each of n right options, -1/n for each wrong one, the bank's
    partial-credit rule). Pass the result through `finalise`."""
    html = richtext.escape_text
    options = [
        {
            **option,
            "text": html(option.get("text") or ""),
            "feedback": html(option.get("feedback") or ""),
        }
        for option in options or []
    ]
    if options and all(option.get("fraction") is None for option in options):
        right = sum(1 for option in options if option.get("correct")) or 1
        share = snap_fraction(1 / right) or 1 / right
        for option in options:
            if qtype == MULTIPLE:
                option["fraction"] = share if option.get("correct") else -share
            else:
                option["fraction"] = 1.0 if option.get("correct") else 0.0
    data = dict(data or {})
    if "answers" in data:
        data["answers"] = [
            {**answer, "feedback": html(answer.get("feedback") or "")} for answer in data["answers"]
        ]
    if "pairs" in data:
        data["pairs"] = [
            {**pair, "prompt": html(pair.get("prompt") or "")} for pair in data["pairs"]
        ]
    return options, data
