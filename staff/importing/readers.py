"""Bytes of an uploaded file → normalised rows, whatever Excel or a text editor produced.

XLSX is recognised by its zip signature and read with openpyxl in read-only mode (openpyxl
parses through defusedxml when it is installed, so entity-expansion bombs are refused). Anything
else is treated as delimited text: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode
text", tab-separated) or without; only when the bytes are neither is Windows-1258, the
Vietnamese ANSI code page Excel uses for "CSV (Comma delimited)" on Vietnamese Windows, tried,
and the plan then carries a notice saying so. Every text cell is NFC-normalised with spaces
stripped and collapsed, so NFD input from macOS and doubled spaces compare equal to clean data.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils.translation import gettext as _

from lms.text import fold_vietnamese

# Limits are read at call time, so tests (and settings-minded operators) may lower them.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
# columns past this one are never read (a hostile sheet can claim 16,384 columns)
MAX_COLUMNS = 64
# sum of the uncompressed sizes of the parts of an XLSX file (zip bombs)
MAX_XLSX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
# the header is looked for among the first rows (HR spreadsheets often start with a title)
HEADER_SEARCH_ROWS = 10

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97-2003), .doc
_EXCEL_ERRORS = {
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
}
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# "+84 912 345 678", "-", "-12.5": a sign followed only by digits and phone punctuation is data
_SIGNED_PLAIN = re.compile(r"[+-][\d\s().\-/]*")


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, empty, too large, undecodable)."""

    def __init__(self, message: str, *, row: int | None = None, column: str = ""):
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column


class CellError(ValueError):
    """A cell's value cannot be used; the message says why, in the user's language."""


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula (or text that a spreadsheet would run as one). Importers refuse
    it in the columns they read: its value is not data, and stored it would be re-exported."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Table:
    """Non-empty rows of the first sheet, each with its 1-based row number in the file."""

    rows: list[tuple[int, list]]
    file_type: str  # "xlsx" or "csv"
    encoding: str | None = None
    notices: list[str] = field(default_factory=list)


# --- cells -------------------------------------------------------------------------------------


def clean_text(value: str):
    """NFC, no invisible characters, no leading/trailing/doubled whitespace; '' → None;
    formula-like text → Formula."""
    if not value.isascii():
        value = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    value = " ".join(value.split())
    if not value:
        return None
    if value[0] in "=+-@" and _looks_like_formula(value):
        return Formula(value)
    return value


def _looks_like_formula(value: str) -> bool:
    if value[0] in "=@":
        return True
    return not _SIGNED_PLAIN.fullmatch(value)


def _clean_value(value):
    if value is None:
        return None
    if isinstance(value, str):
        cleaned = clean_text(value)
        if isinstance(cleaned, str) and cleaned in _EXCEL_ERRORS:
            return Formula(cleaned)
        return cleaned
    if isinstance(value, bool | int | float | datetime | date | time | timedelta):
        return value
    # openpyxl's ArrayFormula / DataTableFormula and anything else exotic
    return Formula(str(getattr(value, "text", value)))


def fold(value: str) -> str:
    """Case- and diacritic-insensitive form for matching names: "Số hiệu cán bộ" → "so hieu can
    bo", "personnel_number" → "personnel number"."""
    value = fold_vietnamese(re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", value))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", value).split())


def cell_text(value) -> str:
    """A cell as text: numbers typed into a text column (personnel numbers, phones) come back
    without Excel's ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)


_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_SERIAL = re.compile(r"\d{1,7}(?:\.\d+)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)  # serial 1 = 1900-01-01 (Excel's 1900 leap-year bug)


def parse_date(value) -> date | None:
    """dd/mm/yyyy (also with - or .), yyyy-mm-dd, an Excel serial number or a date cell."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError(_("Not a date."))
    if isinstance(value, int | float):
        return _from_serial(value)
    if isinstance(value, str):
        try:
            if m := _DMY.fullmatch(value):
                return date(int(m[3]), int(m[2]), int(m[1]))
            if m := _YMD.fullmatch(value):
                return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise CellError(_("“%(value)s” is not a valid date.") % {"value": value}) from None
        if _SERIAL.fullmatch(value):
            return _from_serial(float(value))
    raise CellError(
        _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": cell_text(value)}
    )


def _from_serial(serial: float) -> date:
    # 1 … 2958465 are 1900-01-01 … 9999-12-31 in Excel
    if not 1 <= serial < 2958466:
        raise CellError(_("%(value)s is not a valid Excel date.") % {"value": cell_text(serial)})
    days = int(serial)
    if days < 61:  # Excel counts a 29 February 1900 that never existed
        days += 1
    return (_EXCEL_EPOCH + timedelta(days=days)).date()


_TRUE = {"1", "x", "co", "c", "yes", "y", "true", "t", "dang cong tac", "active", "in service"}
_FALSE = {"0", "khong", "k", "no", "n", "false", "f", "nghi", "da nghi", "nghi viec", "inactive"}


def parse_bool(value, *, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    folded = fold(cell_text(value))
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise CellError(_("“%(value)s” is not yes or no; write 1 or 0.") % {"value": cell_text(value)})


# --- files -------------------------------------------------------------------------------------


def read_table(data: bytes) -> Table:
    """The rows of a CSV/text or XLSX file; raises ImportFileError when it cannot be read."""
    if not data or not data.strip(b" \t\r\n\x00"):
        raise ImportFileError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(file_too_large_message())
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data)
    if data.startswith(_OLE2_MAGIC):
        raise ImportFileError(
            _("This is an old Excel (.xls) file. Save it as .xlsx or as CSV UTF-8 and try again.")
        )
    if data.startswith(b"%PDF"):
        raise ImportFileError(_("This is a PDF file. Upload a CSV or XLSX file."))
    return _read_text(data)


def file_too_large_message() -> str:
    return _("The file is larger than %(size)s MB. Split it into smaller files.") % {
        "size": MAX_FILE_BYTES // (1024 * 1024)
    }


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("The file has more than %(max)s rows. Split it into smaller files.")
        % {"max": f"{MAX_ROWS:,}"}
    )


def _collect(numbered_rows: Iterable[tuple[int, Iterable]]) -> list[tuple[int, list]]:
    rows = []
    for number, raw in numbered_rows:
        cells = [_clean_value(v) for v in raw]
        while cells and cells[-1] is None:
            cells.pop()
        if not cells:
            continue
        if len(rows) > MAX_ROWS:  # the header plus MAX_ROWS data rows are allowed
            raise _too_many_rows()
        rows.append((number, cells))
    return rows


def _decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name); BOMs first, then UTF-8, BOM-less UTF-16, then Windows-1258."""
    boms = [
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ]
    for bom, encoding in boms:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding), encoding
            except UnicodeDecodeError:
                raise ImportFileError(
                    _("The file says it is %(encoding)s text but is not.")
                    % {"encoding": encoding.upper()}
                ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if len(sample) >= 4:
        odd_nuls, even_nuls = sample[1::2].count(0), sample[0::2].count(0)
        half = len(sample) // 2
        for nuls, encoding in ((odd_nuls, "utf-16-le"), (even_nuls, "utf-16-be")):
            if nuls > half * 0.3:
                try:
                    return data.decode(encoding), encoding
                except UnicodeDecodeError:
                    break
    try:
        return data.decode("cp1258"), "cp1258"
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not text in a known encoding. Save it as CSV UTF-8 or as XLSX.")
        ) from None


def _read_text(data: bytes) -> Table:
    text, encoding = _decode(data)
    if _CONTROL_CHARS.search(text):
        raise ImportFileError(_("This is not a CSV or XLSX file."))
    notices = []
    if encoding == "cp1258":
        notices.append(
            _(
                "The file is not UTF-8; it was read as Windows-1258 (Vietnamese). Check that the "
                "names look right, or save it as CSV UTF-8."
            )
        )
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=lambda d: (first_line.count(d), d == ","))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    # rows are records, as a spreadsheet shows them (a quoted cell may span lines)
    read = 0

    def numbered():
        nonlocal read
        for row in reader:
            read += 1
            yield read, row[:MAX_COLUMNS]

    try:
        rows = _collect(numbered())
    except csv.Error:
        raise ImportFileError(
            _("Row %(row)s cannot be read as CSV (a cell is too long or badly quoted).")
            % {"row": read + 1},
            row=read + 1,
        ) from None
    return Table(rows=rows, file_type="csv", encoding=encoding, notices=notices)


def _read_xlsx(data: bytes) -> Table:
    # imported here: openpyxl is only needed for spreadsheets
    from openpyxl import load_workbook

    not_xlsx = _("The file is a zip archive but not an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            uncompressed = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise ImportFileError(not_xlsx) from None
    if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
        raise ImportFileError(not_xlsx)
    if uncompressed > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise ImportFileError(file_too_large_message())
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on broken archives; all mean "not readable"
        raise ImportFileError(not_xlsx) from None
    try:
        sheets = [ws for ws in workbook.worksheets if hasattr(ws, "iter_rows")]
        if not sheets:
            raise ImportFileError(_("The workbook has no worksheet."))
        sheet = sheets[0]
        # never trust the stored dimension: it may claim a million rows and 16,384 columns
        sheet.reset_dimensions()
        numbered = (
            (number, row)
            for number, row in enumerate(
                sheet.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True), start=1
            )
        )
        try:
            rows = _collect(numbered)
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(_("The worksheet is damaged and cannot be read.")) from None
    finally:
        workbook.close()
    return Table(rows=rows, file_type="xlsx")


# --- headers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    name: str  # field name used by the importer
    label: object  # lazy translated label, used when the column is missing
    aliases: tuple[str, ...]  # accepted header names (any case, with or without diacritics)
    required: bool = False


@dataclass
class Columns:
    """Which column of the file holds each field, and the data rows under the header."""

    index: dict[str, int]
    header: dict[str, str]  # field → header text as written in the file
    header_row: int
    rows: list[tuple[int, list]]

    def get(self, cells: list, name: str):
        i = self.index.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    def __contains__(self, name: str) -> bool:
        return name in self.index


def map_columns(table: Table, specs: list[ColumnSpec], plan) -> Columns | None:
    """Find the header row and map its cells to fields. Unknown columns are ignored (a "STT"
    or "Ghi chú" column is common); missing required and duplicated columns are errors."""
    lookup = {fold(alias): spec for spec in specs for alias in (spec.name, *spec.aliases)}

    def matches(cells):
        return [(i, lookup.get(fold(cell_text(c).strip()))) for i, c in enumerate(cells) if c]

    if not table.rows:
        plan.add_error(None, "", _("The file is empty."))
        return None
    header_at = 0
    for position, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for _i, spec in matches(cells) if spec) >= 2:
            header_at = position
            break
    header_row, header_cells = table.rows[header_at]
    index: dict[str, int] = {}
    header: dict[str, str] = {}
    for i, spec in matches(header_cells):
        if spec is None:
            continue
        text = cell_text(header_cells[i])
        if spec.name in index:
            plan.add_error(
                header_row,
                text,
                _("Column “%(column)s” appears twice.") % {"column": header[spec.name]},
            )
            continue
        index[spec.name] = i
        header[spec.name] = text
    for spec in specs:
        if spec.required and spec.name not in index:
            plan.add_error(
                header_row,
                str(spec.label),
                _("Required column “%(column)s” is missing. Accepted headers: %(names)s.")
                % {"column": spec.label, "names": ", ".join(f"“{a}”" for a in spec.aliases[:4])},
            )
    rows = table.rows[header_at + 1 :]
    if not rows and plan.ok:
        plan.add_error(None, "", _("The file has a header but no data rows."))
    return Columns(index=index, header=header, header_row=header_row, rows=rows)
