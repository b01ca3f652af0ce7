"""Reading real-world and hostile files: encodings, delimiters, Unicode forms, spaces, dates,
formulas, wrong types and limits."""

import io
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from django.utils import translation
from openpyxl.utils.datetime import to_excel

from staff.importing import readers
from staff.importing.base import ImportPlan
from staff.importing.readers import (
    CellError,
    Formula,
    ImportFileError,
    map_columns,
    parse_bool,
    parse_date,
    read_table,
)
from staff.importing.staff import COLUMNS as STAFF_COLUMNS
from tests.staff.import_files import STAFF_HEADER, csv_bytes, to_cp1258, xlsx_bytes

ROWS = [STAFF_HEADER, ["HN-1", "Nguyễn Thị Thu Hương", "17/05/1990", "01-BD", "XA-KHCN", ""]]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def cells(table):
    return [row for _number, row in table.rows]


def test_utf8_with_a_byte_order_mark_reads_a_clean_first_header():
    table = read_table(csv_bytes(ROWS, bom=True))
    assert cells(table)[0][0] == "Số hiệu cán bộ"
    assert table.encoding == "utf-8" and not table.notices


def test_utf8_without_a_byte_order_mark_reads_the_same():
    assert cells(read_table(csv_bytes(ROWS))) == cells(read_table(csv_bytes(ROWS, bom=True)))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_is_tab_separated_utf16(encoding):
    data = csv_bytes(ROWS, encoding=encoding, bom=True, delimiter="\t")
    table = read_table(data)
    assert cells(table) == cells(read_table(csv_bytes(ROWS)))
    assert table.encoding == encoding


def test_utf16_without_a_byte_order_mark_is_recognised():
    data = csv_bytes(ROWS, encoding="utf-16-le", delimiter="\t")
    assert cells(read_table(data))[1][1] == "Nguyễn Thị Thu Hương"


def test_semicolon_separated_files_are_recognised():
    assert cells(read_table(csv_bytes(ROWS, delimiter=";"))) == cells(read_table(csv_bytes(ROWS)))


def test_nfd_text_becomes_nfc():
    nfd = [[unicodedata.normalize("NFD", c) for c in row] for row in ROWS]
    table = read_table(csv_bytes(nfd))
    assert cells(table) == cells(read_table(csv_bytes(ROWS)))
    assert all(unicodedata.is_normalized("NFC", c) for row in cells(table) for c in row if c)


def test_extra_and_unusual_spaces_are_stripped_and_collapsed():
    messy = [
        STAFF_HEADER,
        ["  HN-1 ", "Nguyễn\u00a0 Thị   Thu\tHương\u200b", " 17/05/1990", "01-BD"],
    ]
    row = cells(read_table(csv_bytes(messy)))[1]
    assert row[:4] == ["HN-1", "Nguyễn Thị Thu Hương", "17/05/1990", "01-BD"]


def test_a_legacy_windows_1258_file_is_read_with_a_notice():
    data = csv_bytes(ROWS, encoding="cp1258")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    table = read_table(data)
    assert cells(table)[1][1] == "Nguyễn Thị Thu Hương"
    assert table.encoding == "cp1258"
    assert "Windows-1258" in table.notices[0]
    assert to_cp1258("Đ") == b"\xd0"


def test_quoted_cells_may_span_lines_and_rows_are_numbered_as_records():
    data = b'a,b\r\n"line one\nline two",x\r\n\r\nlast,y\r\n'
    table = read_table(data)
    assert [number for number, _row in table.rows] == [1, 2, 4]
    assert cells(table)[1][0] == "line one line two"


def test_xlsx_cells_keep_their_types():
    data = xlsx_bytes(
        [["Số hiệu cán bộ", "Ngày sinh", "Điện thoại"], [1234, datetime(1990, 5, 17), 912345678]]
    )
    table = read_table(data)
    assert table.file_type == "xlsx"
    assert cells(table)[1] == [1234, datetime(1990, 5, 17), 912345678]


def test_xlsx_blank_rows_are_skipped_but_numbering_follows_the_sheet():
    table = read_table(xlsx_bytes([["a", "b"], [None, None], ["x", "y"]]))
    assert [number for number, _row in table.rows] == [1, 3]


@pytest.mark.parametrize(
    "value",
    ["=1+1", '=HYPERLINK("http://x")', "@SUM(A1:A2)", "+cmd|' /C calc'!A0", "-2+3*cmd"],
)
def test_formula_like_text_is_marked_as_a_formula(value):
    row = cells(read_table(csv_bytes([["a", "b"], [value, "x"]])))[1]
    assert isinstance(row[0], Formula)


@pytest.mark.parametrize("value", ["+84 912 345 678", "-", "-12.5", "0912-345-678", "(024) 3825"])
def test_phone_numbers_and_signs_are_not_formulas(value):
    row = cells(read_table(csv_bytes([["a", "b"], [value, "x"]])))[1]
    assert row[0] == value


def test_xlsx_formula_cells_are_marked_as_formulas():
    table = read_table(xlsx_bytes([["a", "b"], ["=1+1", "x"], ["#N/A", "y"]]))
    assert isinstance(cells(table)[1][0], Formula)
    assert isinstance(cells(table)[2][0], Formula)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n ", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "not a CSV or XLSX"),
        (b"PK\x03\x04garbage", "not an Excel workbook"),
    ],
)
def test_files_of_the_wrong_type_are_refused_with_a_clear_message(data, message):
    with pytest.raises(ImportFileError) as error:
        read_table(data)
    assert message in error.value.message


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportFileError, match="not an Excel workbook"):
        read_table(buffer.getvalue())


def test_a_file_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportFileError, match="larger than"):
        read_table(csv_bytes(ROWS * 10))


def test_a_file_over_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    read_table(csv_bytes(ROWS[:1] + ROWS[1:] * 3))
    with pytest.raises(ImportFileError, match="more than 3 rows"):
        read_table(csv_bytes(ROWS[:1] + ROWS[1:] * 4))
    with pytest.raises(ImportFileError, match="more than 3 rows"):
        read_table(xlsx_bytes(ROWS[:1] + ROWS[1:] * 4))


def test_a_workbook_that_expands_beyond_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(readers, "MAX_XLSX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(ImportFileError, match="larger than"):
        read_table(xlsx_bytes(ROWS))


def test_cells_beyond_the_column_limit_are_not_read(monkeypatch):
    monkeypatch.setattr(readers, "MAX_COLUMNS", 2)
    assert cells(read_table(csv_bytes([["a", "b", "c"]]))) == [["a", "b"]]
    assert cells(read_table(xlsx_bytes([["a", "b", "c"]]))) == [["a", "b"]]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("17/05/1990", date(1990, 5, 17)),
        ("7/5/1990", date(1990, 5, 7)),
        ("17-05-1990", date(1990, 5, 17)),
        ("17.05.1990", date(1990, 5, 17)),
        ("1990-05-17", date(1990, 5, 17)),
        ("1990-05-17 00:00:00", date(1990, 5, 17)),
        (datetime(1990, 5, 17, 0, 0), date(1990, 5, 17)),
        (date(1990, 5, 17), date(1990, 5, 17)),
        (to_excel(datetime(1990, 5, 17)), date(1990, 5, 17)),
        (str(int(to_excel(datetime(1990, 5, 17)))), date(1990, 5, 17)),
        (61, date(1900, 3, 1)),
        (None, None),
    ],
)
def test_dates_are_read_as_vietnamese_dates_iso_dates_or_excel_serials(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/1990", "05/17/1990", "yesterday", "0", True, -5])
def test_impossible_dates_are_cell_errors(value):
    with pytest.raises(CellError):
        parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Có", True), ("x", True), ("1", True), (1, True), ("Không", False), ("0", False)],
)
def test_yes_and_no_are_read_in_vietnamese_or_english(value, expected):
    assert parse_bool(value, default=True) is expected


def _columns(header):
    plan = ImportPlan(kind="staff")
    columns = map_columns(read_table(csv_bytes([header, ["x"] * len(header)])), STAFF_COLUMNS, plan)
    return plan, columns


@pytest.mark.parametrize(
    "header",
    [
        ["Số hiệu cán bộ", "Họ và tên", "Mã đơn vị", "Mã vị trí"],
        ["MÃ CÁN BỘ", "HỌ TÊN", "MÃ ĐƠN VỊ", "MÃ VỊ TRÍ"],
        ["so hieu can bo", "ho va ten", "ma don vi", "ma vi tri"],
        ["personnel_number", "Full name", "unit code", "Position Code"],
        ["Số hiệu cán bộ (*)", "Họ và tên (*)", "Mã đơn vị", "Mã vị trí"],
        [
            unicodedata.normalize("NFD", h)
            for h in ["Mã cán bộ", "Họ và tên", "Mã đơn vị", "Mã vị trí"]
        ],
    ],
)
def test_headers_match_in_vietnamese_or_english_whatever_the_case_and_diacritics(header):
    plan, columns = _columns(header)
    assert plan.ok, plan.errors
    assert columns.index == {
        "personnel_number": 0,
        "full_name": 1,
        "unit_code": 2,
        "position_code": 3,
    }


def test_a_title_above_the_header_is_skipped():
    data = csv_bytes([["DANH SÁCH CÁN BỘ"], [], STAFF_HEADER, ROWS[1]])
    plan = ImportPlan(kind="staff")
    columns = map_columns(read_table(data), STAFF_COLUMNS, plan)
    assert plan.ok and columns.header_row == 3 and len(columns.rows) == 1


def test_a_missing_required_column_is_named():
    plan, _columns_ = _columns(["Số hiệu cán bộ", "Họ và tên", "Mã đơn vị", "Ghi chú"])
    assert [(e.row, e.column) for e in plan.errors] == [(1, "position code")]
    assert "missing" in plan.errors[0].message


def test_a_column_given_twice_is_an_error():
    plan, _columns_ = _columns(["Số hiệu cán bộ", "Họ và tên", "Mã đơn vị", "Mã vị trí", "Họ tên"])
    assert [(e.row, e.column) for e in plan.errors] == [(1, "Họ tên")]
    assert "twice" in plan.errors[0].message
