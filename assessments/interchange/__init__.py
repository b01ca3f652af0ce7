"""Question import/export formats to and from a neutral `QuestionData`; pure Python, no
database. The apply layer (services) and the import/export commands call only this module:

    result = read_questions(data, format=detect_format(filename, data[:4096]) or "gift")
    if result.ok: …create question versions from result.questions…
    data = write_questions(questions, format="moodlexml", warnings=warnings)

Formats: "moodlexml" (Moodle XML), "gift" (Moodle GIFT), "xlsx" (the trainers' Excel
template; `xlsx_template()` gives it empty). `model` documents the payload schema.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import gift, moodlexml, xlsx
from .model import (
    QTYPES,
    ExportWarning,
    Notice,
    ParseError,
    ParseResult,
    QuestionData,
    Skipped,
    finalise,
    from_plain_payload,
    to_plain_payload,
)
from .richtext import plugin_file_names, replace_plugin_files, sanitize_html

FORMATS = ("moodlexml", "gift", "xlsx")
_MODULES = {"moodlexml": moodlexml, "gift": gift, "xlsx": xlsx}
# what a browser or the command line should call an exported file
EXTENSIONS = {"moodlexml": ".xml", "gift": ".gift.txt", "xlsx": ".xlsx"}
CONTENT_TYPES = {
    "moodlexml": "application/xml",
    "gift": "text/plain; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

__all__ = [
    "CONTENT_TYPES",
    "EXTENSIONS",
    "FORMATS",
    "QTYPES",
    "ExportWarning",
    "Notice",
    "ParseError",
    "ParseResult",
    "QuestionData",
    "Skipped",
    "detect_format",
    "finalise",
    "from_plain_payload",
    "plugin_file_names",
    "read_questions",
    "replace_plugin_files",
    "sanitize_html",
    "to_plain_payload",
    "write_questions",
    "xlsx_template",
]


def read_questions(data: bytes, *, format: str, filename: str = "") -> ParseResult:
    """The questions of a file in `format`. Never raises on the file's content."""
    return _MODULES[format].read(data, filename=filename)


def write_questions(
    questions: Iterable[QuestionData],
    *,
    format: str,
    warnings: list[ExportWarning] | None = None,
) -> bytes:
    """The questions as a file in `format`; what the format cannot hold goes to `warnings`."""
    return _MODULES[format].write(questions, warnings=warnings)


def xlsx_template() -> bytes:
    return xlsx.write_template()


def detect_format(filename: str, head: bytes) -> str | None:
    """ "moodlexml", "gift" or "xlsx" from a file's name and its first bytes (4 KB is plenty);
    None when neither tells. What the bytes say wins over the name."""
    name = (filename or "").lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if text.startswith((b"<?xml", b"<quiz")):
        return "moodlexml"
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".xml"):
        return "moodlexml"
    if name.endswith((".gift", ".txt")):
        return "gift"
    if b"{" in head or b"$CATEGORY:" in head or text.startswith(b"::"):
        return "gift"
    return None
