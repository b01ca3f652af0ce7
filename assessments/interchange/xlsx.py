"""The XLSX template for trainers who write questions in Excel: one row per question.

The template is a Vietnamese document: its headers and help are written in Vietnamese; the
reader also accepts the English names and any case, with or without diacritics (the staff
importer's header matching). The first sheet holds the questions; `write_template` adds a help
sheet and an example on it.

Cells: the question text, options, explanation and matching prompts may be plain text (line
breaks kept) or HTML (a tag or an entity makes it HTML); every other cell is plain text. Lists
(accepted short answers, matching pairs) are separated by "|" or line breaks, tags by "," or ";".
A formula cell, or an Excel error value, is refused where it is read: its value is not data.

Correct answers of a choice question are letters: "A" (single choice), "A, C" (multiple choice:
each right option is worth 1/n, each wrong one -1/n, so ticking everything earns nothing), or
with explicit grades "A 50%, C 50%, B -100%". True/false takes "Đúng"/"Sai" (or true/false).
"""

from __future__ import annotations

import io
import logging
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from staff.importing.readers import (
    MAX_COLUMNS,
    MAX_XLSX_UNCOMPRESSED_BYTES,
    CellError,
    ColumnSpec,
    Table,
    cell_text,
    fold,
    map_columns,
    parse_date,
)

from . import model, richtext
from .model import (
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORTTEXT,
    SINGLE,
    TRUEFALSE,
    ExportWarning,
    ParseError,
    ParseResult,
    QuestionData,
    QuestionInvalid,
)

logger = logging.getLogger(__name__)

LETTERS = "ABCDEF"
SHEET_TITLE = "Câu hỏi"
HELP_SHEET_TITLE = "Hướng dẫn"
# an Excel cell holds at most this many characters
MAX_CELL = 32767


@dataclass(frozen=True)
class Column:
    field: str
    header: str  # as the template writes it
    aliases: tuple[str, ...]  # also accepted
    width: int
    help: str  # for the help sheet and the header's comment
    required: bool = False


COLUMNS: list[Column] = [
    Column(
        "idnumber",
        "Mã câu hỏi",
        ("idnumber", "id number", "question id", "id"),
        14,
        "Không bắt buộc. Mã ổn định do người soạn đặt, dùng để nhận ra câu hỏi khi nhập lại.",
    ),
    Column(
        "name",
        "Tên câu hỏi",
        ("name", "question name", "ten"),
        30,
        "Bắt buộc. Tên ngắn để tìm câu hỏi trong ngân hàng.",
        required=True,
    ),
    Column(
        "qtype",
        "Loại câu hỏi",
        ("type", "question type", "loai"),
        16,
        "Bắt buộc. Một đáp án, Nhiều đáp án, Đúng/Sai, Số, Trả lời ngắn hoặc Ghép đôi.",
        required=True,
    ),
    Column(
        "category",
        "Danh mục",
        ("category", "danh muc cau hoi"),
        20,
        "Không bắt buộc. Đường dẫn danh mục, các cấp cách nhau bằng /.",
    ),
    Column(
        "competency_code",
        "Mã năng lực",
        ("competency", "competency code", "nang luc"),
        14,
        "Mã năng lực trong khung năng lực, ví dụ MET-01.",
    ),
    Column(
        "difficulty",
        "Mức độ",
        ("difficulty", "do kho", "muc do kho"),
        12,
        "Dễ, Trung bình hoặc Khó.",
    ),
    Column(
        "stem",
        "Nội dung câu hỏi",
        ("stem", "question", "question text", "cau hoi"),
        50,
        "Bắt buộc. Văn bản thường (xuống dòng được giữ) hoặc HTML.",
        required=True,
    ),
    *(
        Column(
            f"option_{letter.lower()}",
            f"Phương án {letter}",
            (f"option {letter}", f"lua chon {letter}", f"phuong an {letter.lower()}", letter),
            24,
            "Phương án trả lời của câu một đáp án / nhiều đáp án.",
        )
        for letter in LETTERS
    ),
    Column(
        "correct",
        "Đáp án đúng",
        ("correct", "correct answer", "correct answers", "key", "dap an"),
        16,
        "Chữ cái của phương án đúng: A (một đáp án), A, C (nhiều đáp án) hoặc có điểm "
        "A 50%, C 50%, B -100%. Câu Đúng/Sai: ghi Đúng hoặc Sai.",
    ),
    Column(
        "numeric_answer",
        "Đáp số",
        ("numeric answer", "number", "value", "answer value"),
        12,
        "Câu hỏi Số: giá trị đúng.",
    ),
    Column(
        "tolerance",
        "Sai số cho phép",
        ("tolerance", "sai so"),
        12,
        "Câu hỏi Số: sai số cho phép (bỏ trống là 0).",
    ),
    Column(
        "unit",
        "Đơn vị",
        ("unit", "units", "don vi tinh"),
        14,
        "Câu hỏi Số: đơn vị của đáp số, ví dụ kg; đơn vị khác kèm hệ số: kg | g=1000.",
    ),
    Column(
        "unit_required",
        "Bắt buộc ghi đơn vị",
        ("unit required", "require unit"),
        12,
        "Câu hỏi Số: Có/Không (bỏ trống: Có khi có đơn vị).",
    ),
    Column(
        "short_answers",
        "Đáp án chấp nhận",
        ("accepted answers", "short answers", "answers", "dap an chap nhan duoc"),
        24,
        "Câu Trả lời ngắn: các đáp án được chấp nhận, cách nhau bằng |.",
    ),
    Column(
        "case_sensitive",
        "Phân biệt hoa thường",
        ("case sensitive",),
        12,
        "Câu Trả lời ngắn: Có/Không (bỏ trống: Không).",
    ),
    Column(
        "ignore_diacritics",
        "Bỏ qua dấu",
        ("ignore diacritics", "khong phan biet dau"),
        12,
        "Câu Trả lời ngắn: Có nếu chấp nhận câu trả lời viết không dấu (bỏ trống: Không).",
    ),
    Column(
        "pairs",
        "Cặp ghép",
        ("matching pairs", "pairs", "cac cap ghep"),
        36,
        "Câu Ghép đôi: vế trái => vế phải, các cặp cách nhau bằng |; "
        "=> X thêm một vế phải gây nhiễu.",
    ),
    Column(
        "explanation",
        "Giải thích",
        ("explanation", "general feedback", "phan hoi chung"),
        36,
        "Giải thích đáp án, hiện sau khi làm bài (nếu bài thi cho xem).",
    ),
    Column("tags", "Thẻ", ("tags", "tu khoa", "the"), 20, "Các thẻ, cách nhau bằng dấu phẩy."),
    Column(
        "legal_document",
        "Văn bản pháp lý",
        ("legal document", "legal basis", "can cu phap ly"),
        28,
        "Văn bản làm căn cứ, ví dụ Luật Đo lường 2011.",
    ),
    Column(
        "legal_article",
        "Điều khoản",
        ("legal article", "article", "dieu"),
        14,
        "Điều, khoản của văn bản, ví dụ Điều 16.",
    ),
    Column(
        "legal_effective_date",
        "Ngày hiệu lực",
        ("effective date", "legal effective date", "ngay co hieu luc"),
        14,
        "Ngày văn bản có hiệu lực, dạng dd/mm/yyyy.",
    ),
    Column(
        "shuffle",
        "Xáo trộn phương án",
        ("shuffle", "shuffle options", "tron phuong an"),
        12,
        "Có/Không (bỏ trống: Có).",
    ),
]
_BY_FIELD = {c.field: c for c in COLUMNS}

TYPE_LABELS = {
    SINGLE: "Một đáp án",
    MULTIPLE: "Nhiều đáp án",
    TRUEFALSE: "Đúng/Sai",
    NUMERIC: "Số",
    SHORTTEXT: "Trả lời ngắn",
    MATCHING: "Ghép đôi",
}
_TYPE_WORDS = {
    SINGLE: (
        "single",
        "single choice",
        "mot dap an",
        "chon mot",
        "mot lua chon",
        "trac nghiem mot dap an",
        "multichoice",
    ),
    MULTIPLE: (
        "multiple",
        "multiple choice",
        "nhieu dap an",
        "chon nhieu",
        "nhieu lua chon",
        "trac nghiem nhieu dap an",
    ),
    TRUEFALSE: ("truefalse", "true false", "dung sai", "dung hoac sai"),
    NUMERIC: ("numeric", "numerical", "number", "so", "dien so", "tinh toan"),
    SHORTTEXT: (
        "shorttext",
        "short text",
        "short answer",
        "shortanswer",
        "tra loi ngan",
        "dien tu",
        "cau tra loi ngan",
    ),
    MATCHING: ("matching", "match", "ghep doi", "ghep noi", "noi cot"),
}
_TYPES = {word: qtype for qtype, words in _TYPE_WORDS.items() for word in words}
DIFFICULTY_LABELS = {"easy": "Dễ", "medium": "Trung bình", "hard": "Khó"}
_YES = {"1", "x", "co", "c", "yes", "y", "true", "t", "dung", "d"}
_NO = {"0", "khong", "k", "no", "n", "false", "f", "sai", "s"}
_LIST_SPLIT = re.compile(r"\s*(?:\||\n)\s*")
_TAG_SPLIT = re.compile(r"\s*[,;\n]\s*")
_GRADED_LETTER = re.compile(r"([A-Fa-f])\s*(?:[=:]?\s*(-?\d+(?:[.,]\d+)?)\s*%?)?")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


class _Formula:
    """A cell whose value is a formula or an Excel error: refused where it is read."""


_FORMULA = _Formula()


# --- reading -------------------------------------------------------------------------------------


class _HeaderErrors:
    """What `map_columns` (the staff importer's header matching) reports into."""

    def __init__(self):
        self.errors: list[tuple[int | None, str, str]] = []

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, row, column, message) -> None:
        self.errors.append((row, column, message))


def read(data: bytes, *, filename: str = "") -> ParseResult:
    """The questions of a filled-in template. Never raises."""
    result = ParseResult()
    if not data or not data.strip(b" \t\r\n\x00"):
        return result.file_error("file_empty", _("The file is empty."))
    if len(data) > model.MAX_FILE_BYTES:
        return result.file_error(
            "file_too_large",
            _("The file is larger than %(size)s MB. Split it into smaller files.")
            % {"size": model.MAX_FILE_BYTES // (1024 * 1024)},
        )
    try:
        rows = _rows(data)
    except QuestionInvalid as exc:
        return result.file_error(exc.code, exc.message)
    if len(rows) > model.MAX_QUESTIONS + 1:
        return result.file_error(
            "too_many_questions",
            _("The file has more than %(max)s questions. Split it into smaller files.")
            % {"max": model.MAX_QUESTIONS},
        )
    values = [(n, [None if v is _FORMULA else v for v in cells]) for n, cells in rows]
    specs = [
        ColumnSpec(c.field, c.header, (c.header, *c.aliases), required=c.required) for c in COLUMNS
    ]
    header_errors = _HeaderErrors()
    columns = map_columns(Table(rows=values, file_type="xlsx"), specs, header_errors)
    for row, column, message in header_errors.errors:
        result.errors.append(ParseError(row, "", "header", message, column))
    if columns is None or not header_errors.ok:
        return result
    raw_rows = dict(rows)
    for number, _values in columns.rows:
        cells = raw_rows[number]
        row = _Row(number, cells, columns)
        try:
            question = _question(row)
        except QuestionInvalid as exc:
            result.errors.append(ParseError(number, row.name, exc.code, exc.message, exc.field))
            continue
        except Exception:  # a safety net: one odd row never stops the file
            logger.exception("XLSX question row %s could not be read", number)
            message = _("This row could not be read.")
            result.errors.append(ParseError(number, row.name, "internal", message))
            continue
        final, errors = model.finalise(question)
        if errors:
            result.errors.extend(
                ParseError(e.position, e.name, e.code, e.message, row.header_for(e.field, final))
                for e in errors
            )
        else:
            result.questions.append(final)
    return result


def _rows(data: bytes) -> list[tuple[int, list]]:
    """Non-empty rows of the first sheet, with formula and error cells marked."""
    from openpyxl import load_workbook

    not_xlsx = QuestionInvalid(
        "not_xlsx", _("This is not an Excel workbook (.xlsx). Save the template as .xlsx.")
    )
    if not data.startswith(b"PK\x03\x04"):
        raise not_xlsx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            uncompressed = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise not_xlsx from None
    if "xl/workbook.xml" not in names:
        raise not_xlsx
    if uncompressed > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise QuestionInvalid(
            "file_too_large", _("The workbook is too large once unpacked. Split it.")
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on broken archives; all mean "not readable"
        raise not_xlsx from None
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise QuestionInvalid("no_sheet", _("The workbook has no worksheet."))
        sheet = sheets[0]
        sheet.reset_dimensions()  # never trust a stored size: it may claim a million rows
        rows: list[tuple[int, list]] = []
        try:
            for number, raw in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), start=1):
                cells = [_cell(c) for c in raw]
                while cells and cells[-1] is None:
                    cells.pop()
                if cells:
                    rows.append((number, cells))
                    if len(rows) > model.MAX_QUESTIONS + 11:  # header search and a margin
                        break
        except QuestionInvalid:
            raise
        except Exception:
            raise QuestionInvalid(
                "damaged", _("The worksheet is damaged and cannot be read.")
            ) from None
    finally:
        workbook.close()
    return rows


def _cell(cell):
    value = getattr(cell, "value", None)
    if value is None:
        return None
    if getattr(cell, "data_type", None) in ("f", "e") or not isinstance(
        value, str | int | float | datetime | date
    ):
        return _FORMULA
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
        value = richtext.strip_controls(value.replace("\r\n", "\n").replace("\r", "\n"))
        value = "\n".join(line.rstrip() for line in value.split("\n")).strip()
        return value or None
    if isinstance(value, float) and not math.isfinite(value):
        return _FORMULA
    return value


class _Row:
    def __init__(self, number: int, cells: list, columns):
        self.number = number
        self.cells = cells
        self.columns = columns
        name = columns.get(cells, "name")
        self.name = model.clean_name(cell_text(name)) if isinstance(name, str | int) else ""

    def header(self, field: str) -> str:
        return self.columns.header.get(field) or _BY_FIELD[field].header

    def raw(self, field: str):
        value = self.columns.get(self.cells, field)
        if value is _FORMULA:
            raise QuestionInvalid(
                "formula",
                _("This cell holds a formula or an error value; type the value itself."),
                self.header(field),
            )
        return value

    def text(self, field: str) -> str:
        value = self.raw(field)
        if isinstance(value, datetime | date):
            return cell_text(value)
        return cell_text(value).strip()

    def rich(self, field: str) -> str:
        text = self.text(field)
        return text if richtext.looks_like_html(text) else richtext.plain_to_html(text)

    def flag(self, field: str, default: bool) -> bool:
        value = self.raw(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        if isinstance(value, bool):
            return value
        folded = fold(cell_text(value))
        if folded in _YES:
            return True
        if folded in _NO:
            return False
        raise QuestionInvalid(
            "not_yes_no",
            # the template's own words are Vietnamese whatever the interface language
            _("“%(value)s” is not yes or no; write %(yes)s or %(no)s.")
            % {"value": cell_text(value), "yes": "Có", "no": "Không"},
            self.header(field),
        )

    def numeric(self, field: str, default: float | None = None) -> float | None:
        value = self.raw(field)
        if value is None:
            return default
        if isinstance(value, bool | datetime | date):
            number = None
        elif isinstance(value, int | float):
            number = float(value)
        else:
            number = _parse_number(value)
        if number is None:
            raise QuestionInvalid(
                "not_a_number",
                _("“%(value)s” is not a number.") % {"value": cell_text(value)[:40]},
                self.header(field),
            )
        return number

    def header_for(self, field: str, question: QuestionData) -> str:
        """The column a problem found by `finalise` (named by its field there) points at."""
        if field in _BY_FIELD:
            return self.header(field)
        if field == "options":
            return self.header("correct")
        if field == "data":
            return self.header(
                {
                    NUMERIC: "numeric_answer",
                    SHORTTEXT: "short_answers",
                    MATCHING: "pairs",
                }.get(question.qtype, "correct")
            )
        return ""


def _parse_number(text: str) -> float | None:
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # a Vietnamese decimal comma
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _question(row: _Row) -> QuestionData:
    type_text = row.text("qtype")
    qtype = _TYPES.get(fold(type_text))
    if qtype is None:
        raise QuestionInvalid(
            "invalid_type",
            _("“%(value)s” is not a question type; write one of: %(types)s.")
            % {
                "value": type_text,
                "types": "Một đáp án, Nhiều đáp án, Đúng/Sai, Số, Trả lời ngắn, Ghép đôi",
            },
            row.header("qtype"),
        )
    effective = row.raw("legal_effective_date")
    try:
        effective_date = parse_date(effective) if effective not in (None, "") else None
    except CellError as exc:
        raise QuestionInvalid(
            "invalid_date", str(exc), row.header("legal_effective_date")
        ) from None
    question = QuestionData(
        name=row.text("name"),
        qtype=qtype,
        stem=row.rich("stem"),
        explanation=row.rich("explanation"),
        category=row.text("category"),
        tags=[t for t in _TAG_SPLIT.split(row.text("tags")) if t],
        competency_code=row.text("competency_code"),
        difficulty=row.text("difficulty"),
        legal_document=row.text("legal_document"),
        legal_article=row.text("legal_article"),
        legal_effective_date=effective_date,
        idnumber=row.text("idnumber"),
        shuffle_options=row.flag("shuffle", True),
        position=row.number,
    )
    files: dict[str, bytes] = {}
    question.stem = richtext.extract_data_images(question.stem, files)
    question.explanation = richtext.extract_data_images(question.explanation, files)
    if qtype in (SINGLE, MULTIPLE):
        question.options = _choice_options(row, qtype, files)
    elif qtype == TRUEFALSE:
        question.options = _truefalse_options(row)
    elif qtype == NUMERIC:
        question.data = _numeric(row)
    elif qtype == SHORTTEXT:
        answers = [a for a in _LIST_SPLIT.split(row.text("short_answers")) if a]
        question.data = {
            "answers": [{"text": a, "fraction": 1.0, "feedback": ""} for a in answers],
            "case_sensitive": row.flag("case_sensitive", False),
            "ignore_diacritics": row.flag("ignore_diacritics", False),
        }
    else:
        question.data = _matching(row, files)
    question.files = files
    return question


def _choice_options(row: _Row, qtype: str, files: dict[str, bytes]) -> list[dict]:
    texts = {}
    for letter in LETTERS:
        text = row.rich(f"option_{letter.lower()}")
        if text:
            texts[letter] = richtext.extract_data_images(text, files)
    correct = row.text("correct").replace("\u00a0", " ")
    header = row.header("correct")
    if not correct:
        raise QuestionInvalid("no_correct", _("Write the letter of the correct option."), header)
    grades = _parse_letters(correct, header)
    for letter in grades:
        if letter not in texts:
            raise QuestionInvalid(
                "correct_not_an_option",
                _("Option %(letter)s is marked correct but is empty.") % {"letter": letter},
                header,
            )
    explicit = any(g is not None for g in grades.values())
    if not explicit:
        if qtype == SINGLE and len(grades) > 1:
            raise QuestionInvalid(
                "single_several_correct",
                _(
                    "A single-choice question has one correct option; for several, use the "
                    "type %(type)s."
                )
                % {"type": "Nhiều đáp án"},
                header,
            )
        share = 1.0 / len(grades)
        fractions = {
            letter: share if letter in grades else (-share if qtype == MULTIPLE else 0.0)
            for letter in texts
        }
    else:
        if any(g is None for g in grades.values()):
            raise QuestionInvalid(
                "mixed_grades",
                _("Give a grade to every letter listed, or to none of them."),
                header,
            )
        fractions = {letter: (grades.get(letter) or 0.0) for letter in texts}
    # fractions are snapped to the grade list by finalise (1/3 → 0.3333333)
    return [
        {"text": texts[letter], "fraction": _snap(fractions[letter]), "feedback": ""}
        for letter in texts
    ]


def _snap(value: float) -> float:
    snapped = model.snap_fraction(value)
    return value if snapped is None else snapped


def _parse_letters(text: str, header: str) -> dict[str, float | None]:
    compact = text.replace(" ", "")
    if re.fullmatch(r"[A-Fa-f]+", compact):
        return {c.upper(): None for c in compact}
    grades: dict[str, float | None] = {}
    for token in (t for t in re.split(r"\s*[,;\n]\s*", text.strip()) if t):
        match = _GRADED_LETTER.fullmatch(token.strip())
        if not match:
            raise QuestionInvalid(
                "invalid_correct",
                _(
                    "“%(value)s” is not a list of option letters; write for example A or A, C "
                    "or A 50%%, C 50%%."
                )
                % {"value": text[:40]},
                header,
            )
        grade = match[2]
        grades[match[1].upper()] = float(grade.replace(",", ".")) / 100 if grade else None
    return grades


def _truefalse_options(row: _Row) -> list[dict]:
    header = row.header("correct")
    answer = fold(row.text("correct"))
    # "A"/"B" pointing at options written as Đúng/Sai is also understood
    if answer in ("a", "b"):
        answer = fold(row.text(f"option_{answer}"))
    if answer in ("dung", "d", "true", "t", "1", "yes", "co"):
        true_is_right = True
    elif answer in ("sai", "s", "false", "f", "0", "no", "khong"):
        true_is_right = False
    else:
        raise QuestionInvalid(
            "truefalse_key",
            _("Write %(true)s or %(false)s as the correct answer of a true/false question.")
            % {"true": "Đúng", "false": "Sai"},
            header,
        )
    return [
        {"key": "true", "fraction": 1.0 if true_is_right else 0.0, "feedback": ""},
        {"key": "false", "fraction": 0.0 if true_is_right else 1.0, "feedback": ""},
    ]


def _numeric(row: _Row) -> dict:
    value = row.numeric("numeric_answer")
    if value is None:
        raise QuestionInvalid(
            "no_full_credit", _("Write the correct value."), row.header("numeric_answer")
        )
    tolerance = row.numeric("tolerance", 0.0)
    units = []
    for part in (p for p in _LIST_SPLIT.split(row.text("unit")) if p):
        # "kg" or "g=1000": a unit and how many of it make one of the first unit
        name, sep, multiplier = part.rpartition("=")
        name, multiplier_value = (name, _parse_number(multiplier)) if sep else (part, 1.0)
        if multiplier_value is None:
            raise QuestionInvalid(
                "invalid_unit",
                _("“%(value)s” is not a unit with its multiplier, such as g=1000.")
                % {"value": part},
                row.header("unit"),
            )
        units.append({"unit": name.strip(), "multiplier": multiplier_value})
    return {
        "answers": [{"value": value, "tolerance": tolerance, "fraction": 1.0, "feedback": ""}],
        "units": units,
        "unit_required": row.flag("unit_required", bool(units)),
    }


def _matching(row: _Row, files: dict[str, bytes]) -> dict:
    pairs, distractors = [], []
    for item in (i for i in _LIST_SPLIT.split(row.text("pairs")) if i):
        marker = "=>" if "=>" in item else "->" if "->" in item else None
        if marker is None:
            raise QuestionInvalid(
                "matching_format",
                _("“%(value)s” is not a pair; write prompt => answer.") % {"value": item[:40]},
                row.header("pairs"),
            )
        prompt, _sep, answer = item.partition(marker)
        prompt, answer = prompt.strip(), answer.strip()
        if not prompt:
            distractors.append(answer)
            continue
        html = prompt if richtext.looks_like_html(prompt) else richtext.plain_to_html(prompt)
        pairs.append({"prompt": richtext.extract_data_images(html, files), "answer": answer})
    return {"pairs": pairs, "distractors": distractors}


# --- writing -------------------------------------------------------------------------------------


def write(
    questions: Iterable[QuestionData], *, warnings: list[ExportWarning] | None = None
) -> bytes:
    """A workbook in the template's layout holding the questions, with the help sheet. What the
    template cannot hold is reported in `warnings`: a question whose grading would change is
    left out (`skipped`), feedback per option is dropped with a warning."""
    warnings = warnings if warnings is not None else []
    rows = []
    for question in questions:
        row = _row(question, warnings)
        if row is not None:
            rows.append(row)
    return _workbook(rows, example=False)


def write_template() -> bytes:
    """The empty template: the header, its help in comments, a help sheet with an example."""
    return _workbook([], example=True)


def _row(q: QuestionData, warnings: list[ExportWarning]) -> dict | None:
    def skip(message: str) -> None:
        warnings.append(ExportWarning(q.name, "not_expressible", message, skipped=True))

    def lose(message: str) -> None:
        warnings.append(ExportWarning(q.name, "lost", message))

    def html(value: str) -> str:
        return richtext.inline_files(value, q.files)

    row: dict = {
        "idnumber": q.idnumber,
        "name": q.name,
        "qtype": TYPE_LABELS[q.qtype],
        "category": q.category,
        "competency_code": q.competency_code,
        "difficulty": DIFFICULTY_LABELS.get(q.difficulty, q.difficulty),
        "stem": html(q.stem),
        "explanation": html(q.explanation),
        "legal_document": q.legal_document,
        "legal_article": q.legal_article,
        "legal_effective_date": q.legal_effective_date,
    }
    tags = [t for t in q.tags if not re.search(r"[,;\n]", t)]
    if len(tags) < len(q.tags):
        lose(_("Tags containing a comma or semicolon were left out."))
    row["tags"] = ", ".join(tags)
    if q.qtype in (SINGLE, MULTIPLE, MATCHING):
        row["shuffle"] = "Có" if q.shuffle_options else "Không"
    if q.qtype in (SINGLE, MULTIPLE):
        if len(q.options) > len(LETTERS):
            skip(_("The template holds at most six options."))
            return None
        for letter, option in zip(LETTERS, q.options, strict=False):
            row[f"option_{letter.lower()}"] = html(option["text"])
        row["correct"] = _correct_text(q)
        if any(o["feedback"] for o in q.options):
            lose(_("Feedback for each option is not kept by the template."))
    elif q.qtype == TRUEFALSE:
        right = next(o["key"] for o in q.options if o["fraction"] == 1.0)
        row["correct"] = "Đúng" if right == "true" else "Sai"
        if any(o["feedback"] for o in q.options):
            lose(_("Feedback for each option is not kept by the template."))
    elif q.qtype == NUMERIC:
        answers = q.data["answers"]
        if len(answers) != 1 or answers[0]["fraction"] != 1.0:
            skip(_("The template holds one numeric answer worth 100%."))
            return None
        row["numeric_answer"] = _number_cell(answers[0]["value"])
        row["tolerance"] = _number_cell(answers[0]["tolerance"])
        units = q.data["units"]
        if units:
            row["unit"] = " | ".join(
                [units[0]["unit"]]
                + [f"{u['unit']}={model.number_text(u['multiplier'])}" for u in units[1:]]
            )
            row["unit_required"] = "Có" if q.data["unit_required"] else "Không"
        if answers[0]["feedback"]:
            lose(_("Feedback for each answer is not kept by the template."))
    elif q.qtype == SHORTTEXT:
        answers = q.data["answers"]
        if any(a["fraction"] != 1.0 or _breaks_list(a["text"]) for a in answers):
            skip(
                _(
                    "The template holds accepted answers worth 100% without “|”; this "
                    "question has others."
                )
            )
            return None
        row["short_answers"] = " | ".join(a["text"] for a in answers)
        row["case_sensitive"] = "Có" if q.data["case_sensitive"] else "Không"
        row["ignore_diacritics"] = "Có" if q.data["ignore_diacritics"] else "Không"
        if any(a["feedback"] for a in answers):
            lose(_("Feedback for each answer is not kept by the template."))
    else:
        items = [f"{html(p['prompt'])} => {p['answer']}" for p in q.data["pairs"]]
        items += [f"=> {d}" for d in q.data["distractors"]]
        texts = [p["prompt"] for p in q.data["pairs"]]
        texts += [p["answer"] for p in q.data["pairs"]] + q.data["distractors"]
        if any(_breaks_list(t) or "=>" in t or "->" in t for t in texts):
            skip(_("A matching prompt or answer contains “|”, “=>” or a line break."))
            return None
        row["pairs"] = " | ".join(items)
    if any(isinstance(v, str) and len(v) > MAX_CELL for v in row.values()):
        skip(_("A text (with its images) is longer than an Excel cell can hold."))
        return None
    return row


def _number_cell(value: float):
    """A number cell, unless Excel (15 significant digits) would round it: then exact text."""
    return value if float(f"{value:.15g}") == value else model.number_text(value)


def _breaks_list(text: str) -> bool:
    return "|" in text or "\n" in text


def _correct_text(q: QuestionData) -> str:
    fractions = [o["fraction"] for o in q.options]
    if q.qtype == SINGLE:
        if sorted(fractions)[-1] == 1.0 and sum(1 for f in fractions if f != 0) == 1:
            return LETTERS[fractions.index(1.0)]
    else:
        right = [i for i, f in enumerate(fractions) if f > 0]
        if right:
            share = model.snap_fraction(1.0 / len(right))
            if all(f == (share if i in right else -share) for i, f in enumerate(fractions)):
                return ", ".join(LETTERS[i] for i in right)
    return ", ".join(
        f"{LETTERS[i]} {model.percent_text(f)}%" for i, f in enumerate(fractions) if f != 0
    )


def _workbook(rows: list[dict], *, example: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = bold
        if column.required:
            cell.fill = required_fill
        comment = Comment(column.help, "LMS")
        comment.width, comment.height = 300, 120
        cell.comment = comment
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "C2"
    last = max(len(rows) + 1, 500)
    type_column = get_column_letter(1 + COLUMNS.index(_BY_FIELD["qtype"]))
    difficulty_column = get_column_letter(1 + COLUMNS.index(_BY_FIELD["difficulty"]))
    for column_letter, labels in (
        (type_column, TYPE_LABELS.values()),
        (difficulty_column, DIFFICULTY_LABELS.values()),
    ):
        validation = DataValidation(
            type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True
        )
        validation.error = "Chọn một giá trị trong danh sách."
        validation.showErrorMessage = False  # other spellings are accepted too
        sheet.add_data_validation(validation)
        validation.add(f"{column_letter}2:{column_letter}{last}")

    for number, values in enumerate(rows, start=2):
        for index, column in enumerate(COLUMNS, start=1):
            value = values.get(column.field)
            if value in (None, ""):
                continue
            cell = sheet.cell(row=number, column=index)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                # text, whatever it starts with: never a formula, and Excel keeps it text
                cell.data_type = "s"
                if value[:1] in ("=", "+", "-", "@"):
                    cell.quotePrefix = True
                if "\n" in value:
                    cell.alignment = wrap
            else:
                cell.value = value
                if isinstance(value, date):
                    cell.number_format = "DD/MM/YYYY"

    _help_sheet(workbook.create_sheet(HELP_SHEET_TITLE), example=example)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


_EXAMPLES = [
    {
        "name": "MET-01 cân bàn chợ",
        "qtype": "Một đáp án",
        "competency_code": "MET-01",
        "difficulty": "Dễ",
        "stem": "Cân bàn dùng trong mua bán tại chợ thuộc loại phương tiện đo nào?",
        "option_a": "Phương tiện đo nhóm 2",
        "option_b": "Phương tiện đo nhóm 1",
        "option_c": "Không phải phương tiện đo",
        "correct": "A",
        "legal_document": "Luật Đo lường 2011",
    },
    {
        "name": "MET-02 sai số cân",
        "qtype": "Số",
        "competency_code": "MET-02",
        "difficulty": "Trung bình",
        "stem": "Quả cân 5 kg được cân lại được 4,98 kg. Sai số là bao nhiêu gam?",
        "numeric_answer": 20,
        "tolerance": 0.5,
        "unit": "g | kg=0.001",
    },
    {
        "name": "Ghép cơ quan",
        "qtype": "Ghép đôi",
        "stem": "Ghép thủ tục với cơ quan giải quyết.",
        "pairs": "Kiểm định cân => Tổ chức kiểm định | Cấp phép tần số => Cục Tần số | "
        "=> UBND tỉnh",
    },
]


def _help_sheet(sheet, *, example: bool) -> None:
    from openpyxl.styles import Alignment, Font

    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    sheet.append(["Cột", "Cách ghi"])
    for cell in sheet[1]:
        cell.font = bold
    for column in COLUMNS:
        sheet.append([column.header, column.help])
    sheet.append([])
    sheet.append(["Loại câu hỏi", "Cột dùng cho loại đó"])
    sheet[sheet.max_row][0].font = bold
    for label, used in (
        ("Một đáp án / Nhiều đáp án", "Phương án A–F, Đáp án đúng"),
        ("Đúng/Sai", "Đáp án đúng (Đúng hoặc Sai)"),
        ("Số", "Đáp số, Sai số cho phép, Đơn vị, Bắt buộc ghi đơn vị"),
        ("Trả lời ngắn", "Đáp án chấp nhận, Phân biệt hoa thường, Bỏ qua dấu"),
        ("Ghép đôi", "Cặp ghép"),
    ):
        sheet.append([label, used])
    if example:
        sheet.append([])
        sheet.append(["Ví dụ (chép sang trang Câu hỏi)"])
        sheet[sheet.max_row][0].font = bold
        sheet.append([c.header for c in COLUMNS])
        for values in _EXAMPLES:
            sheet.append([values.get(c.field) for c in COLUMNS])
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 90
    for row in sheet.iter_rows(min_col=2, max_col=2):
        for cell in row:
            cell.alignment = wrap
