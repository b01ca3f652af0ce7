"""Staff list exports for HR (CSV and XLSX).

Rows come from the HR scope only; the writers neutralise spreadsheet formulas (OWASP "CSV
injection"): a personnel file is data typed by people and imported from elsewhere, and a cell
such as `=HYPERLINK(...)` must reach Excel as text, never as a formula."""

import csv
import io
import tempfile
from collections.abc import Iterable, Sequence
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from lms.search import folded_search

from .models import OrgUnit
from .selectors import staff_list_in_scope

# what a spreadsheet may read as the start of a formula (or as a cell break, for tab and CR)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "%d/%m/%Y"
# what the staff listing searches (case and diacritics ignored), and so the export
STAFF_SEARCH_FIELDS = ["full_name", "personnel_number", "email"]
XLSX_DATE_FORMAT = "DD/MM/YYYY"

EXPORT_COLUMNS = [
    ("personnel_number", gettext_lazy("Personnel number"), 16),
    ("full_name", gettext_lazy("Full name"), 30),
    ("date_of_birth", gettext_lazy("Date of birth"), 14),
    ("unit_code", gettext_lazy("Unit code"), 12),
    ("unit_name", gettext_lazy("Unit name"), 30),
    ("position_code", gettext_lazy("Position code"), 14),
    ("position_name", gettext_lazy("Position name"), 30),
    ("email", gettext_lazy("Email"), 28),
    ("phone", gettext_lazy("Phone"), 16),
    ("active", gettext_lazy("In service"), 10),
]


def escape_formula(value):
    """A text value a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def staff_export_rows(*, user, unit: OrgUnit | None = None, query: str = "") -> list[list]:
    """The staff list the user may see (HR: their subtree), optionally only under `unit` and
    matching `query` in the name or personnel number; the header row first.

    Values keep their types (dates stay dates) so each writer formats them its own way."""
    records = staff_list_in_scope(user=user)
    if unit is not None:
        # intersected with the scope above: a unit outside it yields nothing
        records = records.filter(org_unit__path__startswith=unit.path)
    # the listing's search: the export is the list as the user sees it
    records = folded_search(records, STAFF_SEARCH_FIELDS, query)
    yes, no = _("Yes"), _("No")
    rows = [[str(label) for _key, label, _width in EXPORT_COLUMNS]]
    # staff_list_in_scope already joins unit and position: one query for the whole list
    for record in records.order_by("org_unit__code", "personnel_number").iterator(2000):
        rows.append(
            [
                record.personnel_number,
                record.full_name,
                record.date_of_birth,
                record.org_unit.code,
                record.org_unit.name,
                record.position.code,
                record.position.name,
                record.email,
                record.phone,
                yes if record.active else no,
            ]
        )
    return rows


def _csv_value(value):
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    if value is None:
        return ""
    return escape_formula(str(value))


def write_csv(rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with a byte-order mark, which is what makes Excel read Vietnamese correctly."""
    return b"".join(csv_chunks(rows))


def csv_chunks(rows: Iterable[Sequence], *, rows_per_chunk: int = 500):
    """The CSV of `rows` as byte chunks (the BOM first), holding one chunk at a time: a
    streaming response of any length in constant memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    yield "\ufeff".encode()
    for number, row in enumerate(rows, start=1):
        writer.writerow([_csv_value(v) for v in row])
        if number % rows_per_chunk == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def write_xlsx(
    rows: Iterable[Sequence], *, sheet_title: str = "", widths: Sequence[int] | None = None
) -> bytes:
    """An XLSX workbook of one sheet; the first row is the header (bold, frozen); `widths` of
    the columns in characters (the staff list's by default)."""
    buffer = io.BytesIO()
    _xlsx_save(rows, buffer, sheet_title=sheet_title, widths=widths)
    return buffer.getvalue()


def xlsx_file(
    rows: Iterable[Sequence], *, sheet_title: str = "", widths: Sequence[int] | None = None
):
    """The workbook of `write_xlsx` in a temporary file, read from the start: openpyxl's
    write-only mode spools the rows to disk, so memory stays flat however many there are."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the response that sends it closes it
    _xlsx_save(rows, spool, sheet_title=sheet_title, widths=widths)
    spool.seek(0)
    return spool


def _xlsx_save(rows, destination, *, sheet_title: str, widths) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(sheet_title or _("Staff"))[:31])
    sheet.freeze_panes = "A2"
    if widths is None:
        widths = [width for _key, _label, width in EXPORT_COLUMNS]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    for number, row in enumerate(rows):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet)
            if isinstance(value, str):
                # control characters are illegal in the XML; hostile input must not crash
                escaped = escape_formula(ILLEGAL_CHARACTERS_RE.sub("", value))
                cell.value = escaped
                # whatever openpyxl guesses from the text, this cell is a string
                cell.data_type = "s"
            else:
                cell.value = value
                if isinstance(value, date):
                    cell.number_format = XLSX_DATE_FORMAT
            if number == 0:
                cell.font = bold
            cells.append(cell)
        sheet.append(cells)
    workbook.save(destination)
