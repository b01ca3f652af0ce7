"""Moodle XML (question/format/xml in Moodle 1.9–4.5): read and write.

Read: multichoice (single or multiple answers), truefalse, shortanswer, numerical (tolerance,
units), matching; categories; tags; general and per-answer feedback; embedded files
(`<file encoding="base64">` in any text, and Moodle 1.9's `<image>`/`<image_base64>`); the
text formats html, moodle_auto_format, plain_text and markdown. Every other type (essay, cloze,
description, calculated, drag-and-drop, random, …) is skipped by name with a reason. The file
is parsed with defusedxml and refused outright if it declares a DTD or entities.

Write: the same types, in the form Moodle 4.5 exports them, so the file imports into Moodle.
Competency, difficulty and legal basis travel as tags ("competency:MET-01"), which Moodle keeps;
"ignore diacritics" of short answers travels in an element of its own that Moodle ignores.
"""

from __future__ import annotations

import base64
import logging
import math
from collections.abc import Iterable
from xml.etree.ElementTree import Element, ParseError
from xml.etree.ElementTree import tostring as element_tostring
from xml.sax.saxutils import quoteattr

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
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
    ParseResult,
    QuestionData,
    QuestionInvalid,
    Skipped,
)

logger = logging.getLogger(__name__)

# how each Moodle text format becomes HTML (html itself is only sanitised, later)
_FORMATS = {
    "html": None,
    "moodle_auto_format": richtext.auto_to_html,
    "plain_text": richtext.plain_to_html,
    "wiki_like": richtext.plain_to_html,
    "markdown": richtext.markdown_to_html,
}


def unsupported_reason(qtype: str) -> tuple[str, str]:
    """(code, translated reason) for a Moodle question type this system does not have."""
    reasons = {
        "essay": _("Essay questions are not supported: they need a person to grade them."),
        "cloze": _("Cloze (embedded answers) questions are not supported."),
        "multianswer": _("Cloze (embedded answers) questions are not supported."),
        "description": _("A description is not a question; it was left out."),
        "random": _("Random questions are not supported."),
        "randomsamatch": _("Random short-answer matching questions are not supported."),
        "calculated": _("Calculated questions are not supported."),
        "calculatedsimple": _("Calculated questions are not supported."),
        "calculatedmulti": _("Calculated questions are not supported."),
    }
    if qtype in reasons:
        return f"unsupported_{qtype}", reasons[qtype]
    return "unsupported_type", _("Questions of type “%(type)s” are not supported.") % {
        "type": qtype or "?"
    }


# --- reading -------------------------------------------------------------------------------------


def read(data: bytes, *, filename: str = "") -> ParseResult:
    """The questions of a Moodle XML file. Never raises: a file that cannot be read at all
    gives one error without a position."""
    result = ParseResult(encoding="utf-8")
    if not data or not data.strip():
        return result.file_error("file_empty", _("The file is empty."))
    if len(data) > model.MAX_FILE_BYTES:
        return result.file_error("file_too_large", _too_large_message())
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True)
    except DefusedXmlException:
        return result.file_error(
            "xml_forbidden",
            _("The file declares a DTD or entities, which question files never need; refused."),
        )
    except ParseError as exc:
        line = getattr(exc, "position", (None,))[0]
        return result.file_error(
            "xml_invalid",
            _("The file is not well-formed XML (line %(line)s).") % {"line": line or "?"},
        )
    except Exception:  # expat raises a few other kinds on odd bytes; all mean "not XML"
        return result.file_error("xml_invalid", _("The file is not well-formed XML."))
    if root.tag != "quiz":
        return result.file_error(
            "not_moodle_xml", _("This XML file is not a Moodle question file (no <quiz>).")
        )
    elements = root.findall("question")
    real = sum(1 for e in elements if e.get("type") != "category")
    if real > model.MAX_QUESTIONS:
        return result.file_error("too_many_questions", _too_many_message())
    if not elements:
        return result.file_error("no_questions", _("The file holds no question."))

    category = ""
    for position, element in enumerate(elements, start=1):
        qtype = (element.get("type") or "").strip()
        if qtype == "category":
            category = _text_of(element.find("category")) or ""
            continue
        try:
            _read_question(element, position, qtype, category, result)
        except QuestionInvalid as exc:
            name = _safe_name(element)
            result.errors.append(model.ParseError(position, name, exc.code, exc.message, exc.field))
        except Exception:  # a safety net: one odd question never stops the file
            logger.exception("Moodle XML question %s could not be read", position)
            name = _safe_name(element)
            result.errors.append(
                model.ParseError(position, name, "internal", _("This question could not be read."))
            )
    return result


def _too_large_message() -> str:
    return _("The file is larger than %(size)s MB. Split it into smaller files.") % {
        "size": model.MAX_FILE_BYTES // (1024 * 1024)
    }


def _too_many_message() -> str:
    return _("The file has more than %(max)s questions. Split it into smaller files.") % {
        "max": model.MAX_QUESTIONS
    }


def _safe_name(element: Element) -> str:
    try:
        return model.clean_name(_text_of(element.find("name")))
    except Exception:  # the name itself may be what is broken (absurdly nested markup)
        return ""


def _inner(element: Element | None) -> str | None:
    """The content of an element; HTML written without CDATA comes back as markup."""
    if element is None:
        return None
    if len(element) == 0:
        return element.text or ""
    parts = [element.text or ""]
    try:
        for child in element:
            parts.append(element_tostring(child, encoding="unicode"))
    except RecursionError:
        raise QuestionInvalid(
            "too_deep", _("The text is nested too deeply to be read; simplify its formatting.")
        ) from None
    return "".join(parts)


def _text_of(element: Element | None) -> str:
    """<x><text>…</text></x> → "…" trimmed."""
    if element is None:
        return ""
    return (_inner(element.find("text")) or "").strip()


def _value(element: Element, path: str, default: str = "") -> str:
    found = element.find(path)
    return (found.text or "").strip() if found is not None else default


def _flag(value: str) -> bool:
    """Moodle's trans_single: "false", "0" and "" are false, anything else true."""
    return value.strip().lower() not in ("", "0", "false")


def _number(text: str, code: str, message: str, default: float | None = None) -> float:
    text = (text or "").strip()
    if not text and default is not None:
        return default
    try:
        value = float(text)
    except ValueError:
        raise QuestionInvalid(code, message) from None
    if not math.isfinite(value):
        raise QuestionInvalid(code, message)
    return value


def _fraction(answer: Element) -> float:
    raw = answer.get("fraction", "0")
    value = _number(
        raw,
        "invalid_fraction",
        _("The grade “%(grade)s” of an answer is not a number.") % {"grade": raw},
        0.0,
    )
    return value / 100


class _Reader:
    """State of one question being read: its embedded files and notices."""

    def __init__(self, position: int, result: ParseResult):
        self.position = position
        self.result = result
        self.files: dict[str, bytes] = {}
        self.name = ""

    def notice(self, code: str, message: str) -> None:
        self.result.notices.append(Notice(self.position, self.name, code, message))

    def rich(self, element: Element | None, default_format: str = "html") -> str:
        """A text field as HTML, with its embedded files taken into `files`."""
        if element is None:
            return ""
        text = _text_of(element)
        for file in element.findall("file"):
            text = self._file(file, text)
        convert = _FORMATS.get((element.get("format") or default_format).strip())
        html = convert(text) if convert else text
        return richtext.extract_data_images(html, self.files)

    def _file(self, file: Element, text: str) -> str:
        original = (file.get("name") or "").strip()
        path = (file.get("path") or "/").strip().strip("/")
        name = richtext.clean_filename(original)
        if not name:
            return text
        if (file.get("encoding") or "base64").strip().lower() != "base64":
            self.notice(
                "file_not_base64",
                _("File “%(name)s” is not base64-encoded; it was left out.") % {"name": name},
            )
            return text
        content = richtext.decode_base64(file.text or "")
        if content is None:
            self.notice(
                "file_damaged",
                _("File “%(name)s” is damaged (not valid base64); it was left out.")
                % {"name": name},
            )
            return text
        if richtext.image_kind(content) is None:
            self.notice(
                "file_not_image",
                _("File “%(name)s” is not a PNG, JPEG, GIF or WebP image; it was left out.")
                % {"name": name},
            )
            return text
        stored = richtext.add_file(self.files, name, content)
        referenced = f"{path}/{original}" if path else original
        if referenced != stored:
            text = richtext.rename_plugin_file(text, referenced, stored)
        return text


def _read_question(
    element: Element, position: int, qtype: str, category: str, result: ParseResult
) -> None:
    reader = _Reader(position, result)
    reader.name = model.clean_name(_text_of(element.find("name")))
    builders = {
        "multichoice": _multichoice,
        "truefalse": _truefalse,
        "shortanswer": _shortanswer,
        "numerical": _numerical,
        "matching": _matching,
        "match": _matching,
    }
    if qtype not in builders:
        code, reason = unsupported_reason(qtype)
        name = reader.name or model.default_name(_text_of(element.find("questiontext")))
        result.skipped.append(Skipped(position, name, qtype, code, reason))
        return

    text_element = element.find("questiontext")
    text_format = (
        (text_element.get("format") or "html").strip() if text_element is not None else "html"
    )
    stem = reader.rich(text_element)
    # Moodle 1.9 kept one image beside the text
    image_data = _value(element, "image_base64")
    image_name = richtext.clean_filename(_value(element, "image").replace("/", "_"))
    if image_data and image_name:
        content = richtext.decode_base64(image_data)
        if content is not None and richtext.image_kind(content):
            stored = richtext.add_file(reader.files, image_name, content)
            stem += f' <img src="{richtext.plugin_file_url(stored)}" alt="">'
        else:
            reader.notice(
                "file_not_image",
                _("File “%(name)s” is not a PNG, JPEG, GIF or WebP image; it was left out.")
                % {"name": image_name},
            )
    question = QuestionData(
        name=reader.name,
        qtype="",
        stem=stem,
        explanation=reader.rich(element.find("generalfeedback"), text_format),
        category=category,
        tags=[_text_of(tag) for tag in element.findall("tags/tag")],
        idnumber=_value(element, "idnumber"),
        position=position,
    )
    builders[qtype](element, question, reader, text_format)
    question.files = reader.files
    final, errors = model.finalise(question)
    if errors:
        result.errors.extend(errors)
    else:
        result.questions.append(final)


def _multichoice(element: Element, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = SINGLE if _flag(_value(element, "single", "true")) else MULTIPLE
    q.shuffle_options = _flag(_value(element, "shuffleanswers", "false"))
    q.options = [
        {
            "text": reader.rich(answer, fmt),
            "fraction": _fraction(answer),
            "feedback": reader.rich(answer.find("feedback"), fmt),
        }
        for answer in element.findall("answer")
    ]


def _truefalse(element: Element, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = TRUEFALSE
    feedback = {"true": "", "false": ""}
    true_is_right = None
    for index, answer in enumerate(element.findall("answer")[:2]):
        which = _text_of(answer).lower()
        if which not in ("true", "false"):
            which = "true" if index == 0 else "false"  # old files: true first, then false
        full = _fraction(answer) == 1.0
        feedback[which] = reader.rich(answer.find("feedback"), fmt)
        if which == "true":
            true_is_right = full
        elif true_is_right is None:
            true_is_right = not full
    if true_is_right is None:
        raise QuestionInvalid("truefalse_key", _("A true/false question has no answers."))
    q.options = [
        {"key": "true", "fraction": 1.0 if true_is_right else 0.0, "feedback": feedback["true"]},
        {"key": "false", "fraction": 0.0 if true_is_right else 1.0, "feedback": feedback["false"]},
    ]


def _shortanswer(element: Element, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = SHORTTEXT
    q.data = {
        "answers": [
            {
                "text": _text_of(answer),
                "fraction": _fraction(answer),
                "feedback": reader.rich(answer.find("feedback"), fmt),
            }
            for answer in element.findall("answer")
        ],
        "case_sensitive": _flag(_value(element, "usecase", "0")),
        "ignore_diacritics": _flag(_value(element, "ignorediacritics", "0")),
    }


def _numerical(element: Element, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = NUMERIC
    answers = []
    not_number = _("A numeric answer or its tolerance is not a number.")
    for answer in element.findall("answer"):
        text = _text_of(answer)
        if text in ("", "*"):
            # Moodle's "any other answer", which only carries feedback
            reader.notice(
                "wildcard_dropped",
                _("The answer “*” (any other value) was left out: it gives no credit."),
            )
            continue
        answers.append(
            {
                "value": _number(text, "not_a_number", not_number),
                "tolerance": _number(_value(answer, "tolerance"), "not_a_number", not_number, 0.0),
                "fraction": _fraction(answer),
                "feedback": reader.rich(answer.find("feedback"), fmt),
            }
        )
    units = []
    for unit in element.findall("units/unit"):
        units.append(
            {
                "unit": _value(unit, "unit_name"),
                "multiplier": _number(
                    _value(unit, "multiplier"),
                    "invalid_unit",
                    _("A unit multiplier is not a number."),
                    1.0,
                ),
            }
        )
    graded = _value(element, "unitgradingtype", "0") not in ("", "0")
    shown = _value(element, "showunits", "0" if units else "3") != "3"
    q.data = {"answers": answers, "units": units, "unit_required": graded and shown}


def _matching(element: Element, q: QuestionData, reader: _Reader, fmt: str) -> None:
    q.qtype = MATCHING
    q.shuffle_options = _flag(_value(element, "shuffleanswers", "1"))
    q.data = {
        "pairs": [
            {"prompt": reader.rich(sub, fmt), "answer": _text_of(sub.find("answer"))}
            for sub in element.findall("subquestion")
        ],
        "distractors": [],
    }


# --- writing -------------------------------------------------------------------------------------


def write(
    questions: Iterable[QuestionData], *, warnings: list[ExportWarning] | None = None
) -> bytes:
    """A Moodle XML file of the questions (UTF-8). Every type of the neutral model fits, so
    `warnings` only ever receives nothing; it is accepted for symmetry with the other formats."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    current_category = ""
    for q in questions:
        if q.category != current_category:
            path = "$course$/top/" + q.category if q.category else "$course$/top"
            out.append(
                '  <question type="category">\n'
                f"    <category>\n      {_text(path)}\n    </category>\n"
                "  </question>\n\n"
            )
            current_category = q.category
        out.append(_question(q))
    out.append("</quiz>\n")
    return "".join(out).encode("utf-8")


def _cdata(value: str) -> str:
    value = richtext.strip_controls(value or "")
    if not any(c in value for c in "<>&"):
        return value
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(value: str) -> str:
    return f"<text>{_cdata(value)}</text>"


def _rich(tag: str, html: str, files: dict[str, bytes], indent: str, attrs: str = "") -> str:
    names = sorted(files)
    body = [f'{indent}<{tag}{attrs} format="html">\n{indent}  {_text(html)}\n']
    for name in names:
        content = files[name]
        encoded = base64.b64encode(content).decode("ascii")
        body.append(
            f'{indent}  <file name={quoteattr(name)} path="/" encoding="base64">{encoded}</file>\n'
        )
    body.append(f"{indent}</{tag}>\n")
    return "".join(body)


def _number_text(value: float) -> str:
    return model.number_text(value)


def _question(q: QuestionData) -> str:
    # each file goes with the first text that shows it (Moodle keeps files per text area)
    remaining = dict(q.files)

    def files_for(html: str) -> dict[str, bytes]:
        names = richtext.plugin_file_names(html)
        taken = {n: remaining.pop(n) for n in sorted(names) if n in remaining}
        return taken

    moodle_type = {
        SINGLE: "multichoice",
        MULTIPLE: "multichoice",
        TRUEFALSE: "truefalse",
        NUMERIC: "numerical",
        SHORTTEXT: "shortanswer",
        MATCHING: "matching",
    }[q.qtype]
    stem_files = files_for(q.stem)
    explanation_files = files_for(q.explanation)
    body: list[str] = []
    if q.qtype in (SINGLE, MULTIPLE):
        body.append(f"    <single>{'true' if q.qtype == SINGLE else 'false'}</single>\n")
        body.append(f"    <shuffleanswers>{_bool(q.shuffle_options)}</shuffleanswers>\n")
        body.append("    <answernumbering>abc</answernumbering>\n")
        for option in q.options:
            text_files = files_for(option["text"])
            feedback_files = files_for(option["feedback"])
            body.append(
                f'    <answer fraction="{model.percent_text(option["fraction"])}" format="html">\n'
                f"      {_text(option['text'])}\n"
                + "".join(_file(n, c, "      ") for n, c in text_files.items())
                + _rich("feedback", option["feedback"], feedback_files, "      ")
                + "    </answer>\n"
            )
    elif q.qtype == TRUEFALSE:
        for option in q.options:
            feedback_files = files_for(option["feedback"])
            body.append(
                f'    <answer fraction="{model.percent_text(option["fraction"])}" '
                'format="moodle_auto_format">\n'
                f"      <text>{option['key']}</text>\n"
                + _rich("feedback", option["feedback"], feedback_files, "      ")
                + "    </answer>\n"
            )
    elif q.qtype == SHORTTEXT:
        body.append(f"    <usecase>{1 if q.data['case_sensitive'] else 0}</usecase>\n")
        body.append(
            f"    <ignorediacritics>{1 if q.data['ignore_diacritics'] else 0}</ignorediacritics>\n"
        )
        for answer in q.data["answers"]:
            body.append(
                f'    <answer fraction="{model.percent_text(answer["fraction"])}" '
                'format="moodle_auto_format">\n'
                f"      {_text(answer['text'])}\n"
                + _rich("feedback", answer["feedback"], files_for(answer["feedback"]), "      ")
                + "    </answer>\n"
            )
    elif q.qtype == NUMERIC:
        for answer in q.data["answers"]:
            body.append(
                f'    <answer fraction="{model.percent_text(answer["fraction"])}" '
                'format="moodle_auto_format">\n'
                f"      <text>{_number_text(answer['value'])}</text>\n"
                + _rich("feedback", answer["feedback"], files_for(answer["feedback"]), "      ")
                + f"      <tolerance>{_number_text(answer['tolerance'])}</tolerance>\n"
                "    </answer>\n"
            )
        units = q.data["units"]
        if units:
            body.append("    <units>\n")
            for unit in units:
                body.append(
                    "      <unit>\n"
                    f"        <multiplier>{_number_text(unit['multiplier'])}</multiplier>\n"
                    f"        <unit_name>{_cdata(unit['unit'])}</unit_name>\n"
                    "      </unit>\n"
                )
            body.append("    </units>\n")
        required = q.data["unit_required"]
        body.append(f"    <unitgradingtype>{1 if required else 0}</unitgradingtype>\n")
        body.append("    <unitpenalty>0.1000000</unitpenalty>\n")
        body.append(f"    <showunits>{0 if units else 3}</showunits>\n")
        body.append("    <unitsleft>0</unitsleft>\n")
    else:  # matching
        body.append(f"    <shuffleanswers>{_bool(q.shuffle_options)}</shuffleanswers>\n")
        for pair in q.data["pairs"]:
            prompt_files = files_for(pair["prompt"])
            body.append(
                '    <subquestion format="html">\n'
                f"      {_text(pair['prompt'])}\n"
                + "".join(_file(n, c, "      ") for n, c in prompt_files.items())
                + f"      <answer>\n        {_text(pair['answer'])}\n      </answer>\n"
                "    </subquestion>\n"
            )
        for distractor in q.data["distractors"]:
            body.append(
                '    <subquestion format="html">\n      <text></text>\n'
                f"      <answer>\n        {_text(distractor)}\n      </answer>\n"
                "    </subquestion>\n"
            )
    # files no text refers to stay with the question text
    stem_files.update(remaining)
    tags = model.metadata_tags(q)
    head = (
        f'  <question type="{moodle_type}">\n'
        f"    <name>\n      {_text(q.name)}\n    </name>\n"
        + _rich("questiontext", q.stem, stem_files, "    ")
        + _rich("generalfeedback", q.explanation, explanation_files, "    ")
        + "    <defaultgrade>1.0000000</defaultgrade>\n"
        + f"    <penalty>{'1.0000000' if q.qtype == TRUEFALSE else '0.3333333'}</penalty>\n"
        + "    <hidden>0</hidden>\n"
        + f"    <idnumber>{_cdata(q.idnumber)}</idnumber>\n"
    )
    tail = ""
    if tags:
        tail = (
            "    <tags>\n"
            + "".join(f"      <tag>{_text(tag)}</tag>\n" for tag in tags)
            + "    </tags>\n"
        )
    return head + "".join(body) + tail + "  </question>\n\n"


def _file(name: str, content: bytes, indent: str) -> str:
    encoded = base64.b64encode(content).decode("ascii")
    return f'{indent}<file name={quoteattr(name)} path="/" encoding="base64">{encoded}</file>\n'


def _bool(value: bool) -> str:
    return "true" if value else "false"
