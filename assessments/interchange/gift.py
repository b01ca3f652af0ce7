"""GIFT (Moodle's plain-text question format): read and write.

Read as Moodle 4.5 reads it: questions separated by blank lines, `//` comment lines,
`$CATEGORY:`, `::name::`, `[html]`/`[moodle]`/`[plain]`/`[markdown]` text formats, the escapes
`\\~ \\= \\# \\{ \\} \\: \\n \\\\`, answer weights `%50%`, feedback `#`, general feedback `####`,
missing-word questions (text after the answers gets a "_____" blank), numeric answers with a
tolerance `{#1.5:0.1}`, a range `{#1..2}` or several answers, true/false `{T}` with its two
feedbacks, short answers `{=a =b}` and matching `{=a -> b}`. Essays (`{}`) and descriptions (no
braces) are skipped. Moodle's comment tags `// [id:…] [tag:…]` carry the ID number and tags.
UTF-8 with or without BOM is expected; other bytes are read as Windows-1252 (Windows-1258 when
they carry Vietnamese tone marks) and a notice says so.

Write: every question type; what GIFT has no syntax for travels in comment tags Moodle ignores
(`[lms:case-sensitive]`, `[lms:ignore-diacritics]`, `[lms:unit:kg=1]`, `[lms:unit-required]`,
`[lms:no-shuffle]`), and embedded images become data URIs inside the HTML.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from . import model, richtext
from .model import (
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORTTEXT,
    SINGLE,
    TRUEFALSE,
    ExportWarning,
    Notice,
    ParseError,
    ParseResult,
    QuestionData,
    QuestionInvalid,
    Skipped,
)

logger = logging.getLogger(__name__)

# escaped control characters become private-use placeholders while the question is taken apart
_ESCAPES = {
    ":": "\ue001",
    "#": "\ue002",
    "=": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    "~": "\ue006",
}
_BACKSLASH, _NEWLINE = "\ue000", "\ue007"
_PLACEHOLDERS = re.compile("[\ue000-\ue007]")
_UNESCAPE = {v: k for k, v in _ESCAPES.items()} | {_BACKSLASH: "\\", _NEWLINE: "\n"}
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_FORMAT_NAMES = ("html", "moodle", "plain", "markdown")
_ID_TAG = re.compile(r"\[id:((?:\\\]|[^\]\[])+)\]")
_TAG_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\[])+)\]")
_LMS_TAG = re.compile(r"\[lms:([a-z-]+)(?::((?:\\\]|[^\]\[])*))?\]")
_TRUE, _FALSE = ("T", "TRUE"), ("F", "FALSE")
# control characters no text editor writes: the bytes are not a text file
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# --- reading -------------------------------------------------------------------------------------


def read(data: bytes, *, filename: str = "") -> ParseResult:
    """The questions of a GIFT file. Never raises."""
    result = ParseResult()
    if not data or not data.strip():
        return result.file_error("file_empty", _("The file is empty."))
    if len(data) > model.MAX_FILE_BYTES:
        return result.file_error(
            "file_too_large",
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": model.MAX_FILE_BYTES // (1024 * 1024)},
        )
    if data.startswith((b"PK\x03\x04", b"%PDF", b"\xd0\xcf\x11\xe0")):
        return result.file_error("not_text", _("This is not a GIFT text file."))
    text, encoding = richtext.decode_text(data)
    result.encoding = encoding
    if _BINARY.search(text) or ("\ufffd" in text and encoding.startswith("utf")):
        return result.file_error("not_text", _("This is not a GIFT text file."))
    if encoding in ("cp1252", "cp1258"):
        result.notices.append(
            Notice(
                None,
                "",
                "legacy_encoding",
                _(
                    "The file is not UTF-8; it was read as %(encoding)s. Check that the "
                    "accented letters look right, or save the file as UTF-8."
                )
                % {"encoding": "Windows-1258" if encoding == "cp1258" else "Windows-1252"},
            )
        )
    blocks = _blocks(_PLACEHOLDERS.sub("", text))
    if len(blocks) > model.MAX_QUESTIONS * 2:  # comments and categories are blocks too
        return result.file_error("too_many_questions", _too_many_message())

    category = ""
    for block in blocks:
        comments = " ".join(x for _n, x in block if x.startswith("//"))
        lines = [(n, x) for n, x in block if not x.startswith("//")]
        if not lines:
            continue
        line = lines[0][0]  # where the question itself starts, after its comments
        body = "\n".join(x for _n, x in lines)
        escaped = _escape_in(body)
        if escaped.startswith("$CATEGORY:"):
            category = _unescape(escaped[len("$CATEGORY:") :]).strip()
            continue
        try:
            _read_question(escaped, comments, line, category, result)
        except QuestionInvalid as exc:
            name = _name_of(escaped)
            result.errors.append(ParseError(line, name, exc.code, exc.message, exc.field))
        except Exception:  # a safety net: one odd question never stops the file
            logger.exception("GIFT question at line %s could not be read", line)
            result.errors.append(
                ParseError(
                    line, _name_of(escaped), "internal", _("This question could not be read.")
                )
            )
        if len(result.questions) + len(result.errors) + len(result.skipped) > model.MAX_QUESTIONS:
            return ParseResult(encoding=encoding).file_error(
                "too_many_questions", _too_many_message()
            )
    if not (result.questions or result.errors or result.skipped):
        result.file_error("no_questions", _("The file holds no question."))
    return result


def _too_many_message() -> str:
    return _("The file has more than %(max)s questions. Split it into smaller files.") % {
        "max": model.MAX_QUESTIONS
    }


def _blocks(text: str) -> list[list[tuple[int, str]]]:
    """Questions are runs of non-blank lines, each line with its number. Lines are trimmed,
    as Moodle does."""
    blocks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        line = raw.strip()
        if line:
            current.append((number, line))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _escape_in(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for char, placeholder in _ESCAPES.items():
        text = text.replace("\\" + char, placeholder)
    return text.replace("\\n", _NEWLINE)


def _unescape(text: str) -> str:
    return _PLACEHOLDERS.sub(lambda m: _UNESCAPE[m.group(0)], text)


def _name_of(escaped: str) -> str:
    if escaped.startswith("::"):
        end = escaped.find("::", 2)
        if end > 0:
            return model.clean_name(_unescape(escaped[2:end]))
    return ""


class _Reader:
    def __init__(self, line: int, result: ParseResult):
        self.line = line
        self.result = result
        self.files: dict[str, bytes] = {}
        self.name = ""

    def notice(self, code: str, message: str) -> None:
        self.result.notices.append(Notice(self.line, self.name, code, message))

    def rich(self, raw: str, default_format: str = "moodle") -> tuple[str, str]:
        """(HTML, format) of a text with an optional [format] modifier."""
        raw = raw.strip()
        fmt = default_format
        if raw.startswith("["):
            end = raw.find("]")
            if end > 0 and raw[1:end] in _FORMAT_NAMES:
                fmt, raw = raw[1:end], raw[end + 1 :]
        text = _unescape(raw).strip()
        if fmt == "html":
            html = text
        elif fmt == "plain":
            html = richtext.plain_to_html(text)
        elif fmt == "markdown":
            html = richtext.markdown_to_html(text)
        else:
            html = richtext.auto_to_html(text)
        return richtext.extract_data_images(html, self.files), fmt

    def plain(self, raw: str) -> str:
        raw = raw.strip()
        if raw.startswith("["):
            end = raw.find("]")
            if end > 0 and raw[1:end] in _FORMAT_NAMES:
                raw = raw[end + 1 :]
        return _unescape(raw).strip()


def _read_question(text: str, comments: str, line: int, category: str, result: ParseResult) -> None:
    reader = _Reader(line, result)
    name = ""
    if text.startswith("::"):
        text = text[2:]
        end = text.find("::")
        if end >= 0:
            name = model.clean_name(_unescape(text[:end]))
            text = text[end + 2 :].strip()
    reader.name = name

    start, finish = text.find("{"), text.find("}")
    if start < 0 and finish < 0:
        stem, _fmt = reader.rich(text)
        result.skipped.append(
            Skipped(
                line,
                name or model.default_name(stem),
                "description",
                "unsupported_description",
                _("A description is not a question; it was left out."),
            )
        )
        return
    if start < 0 or finish < start:
        raise QuestionInvalid(
            "brace_error", _("The answers must be written between { and }; a brace is missing.")
        )
    answers = text[start + 1 : finish].strip()
    if text.endswith("}"):
        question_text = text[:start] + text[finish + 1 :]
    else:
        # a "missing word" question: the answers stand where the blank is
        question_text = text[:start] + "_____" + text[finish + 1 :]
    general = ""
    separator = answers.rfind("####")
    if separator >= 0:
        general = answers[separator + 4 :]
        answers = answers[:separator].strip()
    stem, fmt = reader.rich(question_text)
    if not name:
        name = reader.name = model.default_name(stem)
    explanation = reader.rich(general, fmt)[0] if general.strip() else ""

    question = QuestionData(
        name=name,
        qtype="",
        stem=stem,
        explanation=explanation,
        category=category,
        position=line,
    )
    _read_comments(comments, question, reader)
    if not answers:
        result.skipped.append(
            Skipped(
                line,
                name,
                "essay",
                "unsupported_essay",
                _("Essay questions are not supported: they need a person to grade them."),
            )
        )
        return
    if answers.startswith("#"):
        _numeric(answers[1:], question, reader, fmt)
    elif "~" in answers:
        _multichoice(answers, question, reader, fmt)
    elif "=" in answers and "->" in answers:
        _matching(answers, question, reader, fmt)
    else:
        hash_at = answers.find("#")
        key = answers[:hash_at].strip() if hash_at > 0 else answers
        if key.upper() in _TRUE + _FALSE:
            _truefalse(answers, question, reader, fmt)
        else:
            _shorttext(answers, question, reader, fmt)
    question.files = reader.files
    final, errors = model.finalise(question)
    if errors:
        result.errors.extend(errors)
    else:
        result.questions.append(final)


def _read_comments(comments: str, q: QuestionData, reader: _Reader) -> None:
    if not comments:
        return
    if match := _ID_TAG.search(comments):
        q.idnumber = match[1].replace("\\]", "]").strip()
    q.tags = [tag.replace("\\]", "]").strip() for tag in _TAG_TAG.findall(comments)]
    for key, value in _LMS_TAG.findall(comments):
        value = value.replace("\\]", "]").strip()
        if key == "unit" and "=" in value:
            unit, _sep, multiplier = value.rpartition("=")
            number = _float(multiplier)
            q.data.setdefault("units", []).append(
                {"unit": unit.strip(), "multiplier": 1.0 if number is None else number}
            )
        elif key in ("case-sensitive", "ignore-diacritics", "unit-required", "no-shuffle"):
            q.data[key] = True


def _split(answers: str, marker: str) -> list[str]:
    parts = answers.split(marker)
    if parts and not parts[0].strip():
        parts = parts[1:]
    return [p.strip() for p in parts]


def _weight(answer: str, default: float) -> tuple[float, str]:
    if match := _WEIGHT.match(answer):
        return float(match[1]) / 100, answer[match.end() :]
    return default, answer


def _comment(answer: str) -> tuple[str, str]:
    text, _sep, feedback = answer.partition("#")
    return text, feedback


def _multichoice(answers: str, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = SINGLE if "=" in answers else MULTIPLE
    q.shuffle_options = not q.data.pop("no-shuffle", False)
    q.options = []
    for answer in _split(answers.replace("=", "~="), "~"):
        if answer.startswith("="):
            fraction, answer = _weight(answer[1:].strip(), 1.0)
        else:
            fraction, answer = _weight(answer, 0.0)
        text, feedback = _comment(answer)
        q.options.append(
            {
                "text": reader.rich(text, fmt)[0],
                "fraction": fraction,
                "feedback": reader.rich(feedback, fmt)[0] if feedback.strip() else "",
            }
        )
    _clear_extensions(q)


def _truefalse(answers: str, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = TRUEFALSE
    bits = answers.split("#", 2)
    wrong = reader.rich(bits[1], fmt)[0] if len(bits) > 1 and bits[1].strip() else ""
    right = reader.rich(bits[2], fmt)[0] if len(bits) > 2 and bits[2].strip() else ""
    true_is_right = bits[0].strip().upper() in _TRUE
    q.options = [
        {
            "key": "true",
            "fraction": 1.0 if true_is_right else 0.0,
            "feedback": right if true_is_right else wrong,
        },
        {
            "key": "false",
            "fraction": 0.0 if true_is_right else 1.0,
            "feedback": wrong if true_is_right else right,
        },
    ]
    _clear_extensions(q)


def _shorttext(answers: str, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = SHORTTEXT
    items = []
    for answer in _split(answers, "="):
        fraction, answer = _weight(answer, 1.0)
        text, feedback = _comment(answer)
        items.append(
            {
                "text": reader.plain(text),
                "fraction": fraction,
                "feedback": reader.rich(feedback, fmt)[0] if feedback.strip() else "",
            }
        )
    q.data = {
        "answers": items,
        "case_sensitive": q.data.get("case-sensitive", False),
        "ignore_diacritics": q.data.get("ignore-diacritics", False),
    }


def _numeric(answers: str, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = NUMERIC
    wrong = ""
    if (tilde := answers.find("~")) >= 0:
        answers, wrong = answers[:tilde], answers[tilde:]
    items = []
    for answer in _split(answers, "="):
        fraction, answer = _weight(answer, 1.0)
        text, feedback = _comment(answer)
        text = _unescape(text).strip()
        if text == "*":
            reader.notice(
                "wildcard_dropped",
                _("The answer “*” (any other value) was left out: it gives no credit."),
            )
            continue
        if ".." in text[1:]:
            low, _sep, high = text.partition("..")
            low_value, high_value = _decimal(low), _decimal(high)
            if low_value is None or high_value is None:
                raise _not_a_number(text)
            if high_value < low_value:
                raise QuestionInvalid(
                    "negative_tolerance",
                    _("The range %(range)s ends below its start.") % {"range": text},
                )
            # in decimal, so that 3.141..3.142 is 3.1415 ± 0.0005 and not 3.1414999999999997
            middle = (low_value + high_value) / 2
            value, tolerance = float(middle), float(high_value - middle)
        elif ":" in text[1:]:
            value_text, _sep, tolerance_text = text.partition(":")
            value, tolerance = _float(value_text), _float(tolerance_text)
        else:
            value, tolerance = _float(text), 0.0
        if value is None or tolerance is None:
            raise _not_a_number(text)
        items.append(
            {
                "value": value,
                "tolerance": tolerance,
                "fraction": fraction,
                "feedback": reader.rich(feedback, fmt)[0] if feedback.strip() else "",
            }
        )
    if not items and not wrong:
        raise QuestionInvalid("no_full_credit", _("A numeric question needs an answer worth 100%."))
    if _comment(wrong)[1].strip():
        reader.notice(
            "wildcard_dropped",
            _("The feedback for any other value (after ~) was left out: it gives no credit."),
        )
    q.data = {
        "answers": items,
        "units": q.data.get("units", []),
        "unit_required": q.data.get("unit-required", False),
    }


def _not_a_number(text: str) -> QuestionInvalid:
    return QuestionInvalid(
        "not_a_number",
        _("“%(value)s” is not a number, a number:tolerance or a range min..max.")
        % {"value": text[:40]},
    )


def _decimal(text: str) -> Decimal | None:
    value = _float(text)
    if value is None:
        return None
    try:
        return Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return Decimal(value)


def _float(text: str) -> float | None:
    text = text.strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".", 1)  # a decimal comma, as Vietnamese writes numbers
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _matching(answers: str, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = MATCHING
    q.shuffle_options = not q.data.pop("no-shuffle", False)
    pairs = []
    for answer in _split(answers, "="):
        if "->" not in answer:
            raise QuestionInvalid(
                "matching_format",
                _("Each line of a matching question must be “=prompt -> answer”."),
            )
        prompt, _sep, match = answer.partition("->")
        pairs.append({"prompt": reader.rich(prompt, fmt)[0], "answer": _unescape(match).strip()})
    q.data = {"pairs": pairs, "distractors": []}


def _clear_extensions(q: QuestionData) -> None:
    q.data = {}


# --- writing -------------------------------------------------------------------------------------


def write(
    questions: Iterable[QuestionData], *, warnings: list[ExportWarning] | None = None
) -> bytes:
    """A GIFT file of the questions (UTF-8 without BOM, which Moodle reads). Nothing of the
    neutral model is lost, so `warnings` receives nothing; it is there for symmetry."""
    out: list[str] = []
    current_category = ""
    for q in questions:
        if q.category != current_category:
            path = "$course$/top/" + q.category if q.category else "$course$/top"
            out.append(f"$CATEGORY: {path}\n\n")
            current_category = q.category
        out.append(_question(q) + "\n")
    return "".join(out).encode("utf-8")


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in "#=~{}:":
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", "\\n")


def _html(html: str, files: dict[str, bytes]) -> str:
    return "[html]" + _escape(richtext.inline_files(html, files))


def _tag(value: str) -> str:
    return value.replace("]", "\\]")


def _number(value: float) -> str:
    return model.number_text(value)


def _question(q: QuestionData) -> str:
    marks = []
    if q.idnumber:
        marks.append(f"[id:{_tag(q.idnumber)}]")
    marks += [f"[tag:{_tag(tag)}]" for tag in model.metadata_tags(q)]
    if q.qtype in (SINGLE, MULTIPLE, MATCHING) and not q.shuffle_options:
        marks.append("[lms:no-shuffle]")
    if q.qtype == SHORTTEXT:
        if q.data["case_sensitive"]:
            marks.append("[lms:case-sensitive]")
        if q.data["ignore_diacritics"]:
            marks.append("[lms:ignore-diacritics]")
    if q.qtype == NUMERIC:
        marks += [
            f"[lms:unit:{_tag(u['unit'])}={_number(u['multiplier'])}]" for u in q.data["units"]
        ]
        if q.data["unit_required"]:
            marks.append("[lms:unit-required]")
    head = f"// {' '.join(marks)}\n" if marks else ""
    files = q.files

    def feedback(html: str) -> str:
        return "#" + _html(html, files) if html else ""

    lines: list[str] = []
    if q.qtype in (SINGLE, MULTIPLE):
        for option in q.options:
            fraction = option["fraction"]
            if q.qtype == SINGLE and fraction == 1.0:
                mark = "="
            elif fraction == 0:
                mark = "~"
            else:
                mark = f"~%{model.percent_text(fraction)}%"
            lines.append(f"\t{mark}{_html(option['text'], files)}{feedback(option['feedback'])}")
    elif q.qtype == TRUEFALSE:
        by_key = {o["key"]: o for o in q.options}
        true_is_right = by_key["true"]["fraction"] == 1.0
        right = by_key["true" if true_is_right else "false"]["feedback"]
        wrong = by_key["false" if true_is_right else "true"]["feedback"]
        answer = "TRUE" if true_is_right else "FALSE"
        if wrong or right:
            answer += "#" + (_html(wrong, files) if wrong else "")
        if right:
            answer += "#" + _html(right, files)
        lines.append(f"\t{answer}")
    elif q.qtype == SHORTTEXT:
        for item in q.data["answers"]:
            text = _escape(item["text"])
            if text.startswith("["):
                text = "[plain]" + text
            lines.append(
                f"\t=%{model.percent_text(item['fraction'])}%{text}{feedback(item['feedback'])}"
            )
    elif q.qtype == NUMERIC:
        for item in q.data["answers"]:
            lines.append(
                f"\t=%{model.percent_text(item['fraction'])}%"
                f"{_number(item['value'])}:{_number(item['tolerance'])}"
                f"{feedback(item['feedback'])}"
            )
    else:
        for pair in q.data["pairs"]:
            lines.append(f"\t={_html(pair['prompt'], files)} -> {_escape(pair['answer'])}")
        for distractor in q.data["distractors"]:
            lines.append(f"\t= -> {_escape(distractor)}")
    if q.explanation:
        lines.append(f"\t####{_html(q.explanation, files)}")
    # numeric answers open with "{#"
    opening = "{#\n" if q.qtype == NUMERIC else "{\n"
    body = "\n".join(lines)
    return f"{head}::{_escape(q.name)}::{_html(q.stem, files)}{opening}{body}\n}}\n"
