"""Property-based fuzzing of the importers: whatever the bytes, text or cells, importing never
raises, a plan with errors writes nothing and says why (row, column, message), and a plan
without errors applies and then imports again as unchanged."""

import io
import string
from datetime import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from staff.importing import import_apply, import_plan
from staff.models import OrgUnit, Position, StaffHistory, StaffRecord
from tests.staff import import_files
from tests.staff.import_files import STAFF_HEADER, csv_bytes

pytestmark = pytest.mark.django_db
org = import_files.org  # fixture

FUZZ = settings(
    max_examples=50,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KINDS = st.sampled_from(["staff", "org_units"])
ORG_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"]
HEADERS = st.sampled_from([STAFF_HEADER, ORG_HEADER, ["code", "name"], []])
# letters HR files really contain, the separators and quotes that break CSV, formula starters
ALPHABET = (
    string.ascii_letters
    + string.digits
    + " ,;\t\"'\r\n=+-@/.#()"
    + "ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐ"
    + "\u0300\u0301\u0303\u0309\u0323\u00a0\u200b\ufeff"
)
CODES = st.sampled_from(["01", "01-BD", "01-SS", "04-TN", "BKHCN", "XA-KHCN", "XA-VHXH", "NOPE"])
CELLS = st.one_of(
    st.none(),
    CODES,
    st.text(alphabet=ALPHABET, max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 1, 1)),
    st.booleans(),
    st.sampled_from(["=1+1", '=HYPERLINK("x")', "@SUM(A1)", "17/05/1990", "Xã", "Phường"]),
)


def snapshot():
    return (
        list(StaffRecord.objects.order_by("pk").values_list()),
        list(StaffHistory.objects.order_by("pk").values_list()),
        list(OrgUnit.objects.order_by("pk").values_list()),
        list(Position.objects.order_by("pk").values_list()),
    )


def check(kind: str, data: bytes, user) -> None:
    """The properties every input must satisfy; the database is rolled back afterwards."""
    with transaction.atomic():
        before = snapshot()
        plan = import_plan(kind=kind, data=data, user=user)
        for error in plan.errors:
            assert error.row is None or error.row >= 1
            assert isinstance(error.column, str) and error.message.strip()
        import_apply(plan=plan)
        if not plan.ok:
            assert plan.errors and not plan.applied
            assert snapshot() == before, "a plan with errors wrote to the database"
        else:
            assert plan.applied
            again = import_plan(kind=kind, data=data, user=user)
            assert again.ok and again.create == again.update == 0, again
        transaction.set_rollback(True)


def xlsx_of(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@FUZZ
@given(kind=KINDS, data=st.binary(max_size=3000))
def test_random_bytes_never_crash_and_never_write(org, kind, data):
    check(kind, data, org.hr_hanoi if kind == "staff" else org.admin)


@FUZZ
@given(
    kind=KINDS,
    header=HEADERS,
    rows=st.lists(st.lists(st.text(alphabet=ALPHABET, max_size=30), max_size=8), max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258-ish"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_random_csv_text_never_crashes_and_writes_all_or_nothing(
    org, kind, header, rows, encoding, delimiter
):
    text_rows = [header, *rows]
    if encoding == "cp1258-ish":
        data = csv_bytes(text_rows, encoding="cp1258", delimiter=delimiter)
    else:
        body = csv_bytes(text_rows, delimiter=delimiter).decode("utf-8")
        data = body.encode(encoding)
    check(kind, data, org.hr_hanoi if kind == "staff" else org.admin)


@FUZZ
@given(
    kind=KINDS,
    rows=st.lists(st.lists(CELLS, min_size=1, max_size=8), min_size=0, max_size=10),
)
def test_random_cells_in_a_workbook_never_crash_and_write_all_or_nothing(org, kind, rows):
    header = STAFF_HEADER if kind == "staff" else ORG_HEADER
    data = xlsx_of([header, *rows])
    check(kind, data, org.hr_hanoi if kind == "staff" else org.admin)


def mostly(valid, odds: int = 12):
    """Valid values most of the time, anything at all sometimes: rows that pass and rows that
    fail in the same file."""
    return st.integers(min_value=0, max_value=odds).flatmap(lambda i: CELLS if i == 0 else valid)


NAMES = st.text(alphabet=ALPHABET[62:] + "Nguyễn Thị Hương ", min_size=1, max_size=25)
DATES = st.one_of(
    st.dates(min_value=datetime(1950, 1, 1).date(), max_value=datetime(2005, 1, 1).date()),
    st.sampled_from(["17/05/1990", "1990-05-17", 32980]),
)
STAFF_ROWS = st.lists(
    st.tuples(
        mostly(st.sampled_from([*(f"HN-{i}" for i in range(12)), 100234])),
        mostly(NAMES),
        mostly(st.one_of(st.none(), DATES)),
        mostly(st.sampled_from(["01-BD", "01-SS", "01-bd"])),
        mostly(st.sampled_from(["XA-KHCN", "XA-VHXH"])),
        mostly(st.sampled_from([None, "a@b.vn", "HUONG@EXAMPLE.VN"])),
    ).map(list),
    min_size=1,
    max_size=6,
    unique_by=lambda row: str(row[0]),
)
ORG_ROWS = st.lists(
    st.tuples(
        mostly(st.sampled_from(["01-N1", "01-N2", "01-N3", "04-N1", "04-N2", "01-BD", "01-00"])),
        mostly(NAMES),
        mostly(st.sampled_from(["Xã", "Phường", "Đặc khu", "Sở", "ward", "xa"])),
        mostly(st.sampled_from(["01", "04", "01"])),
        mostly(st.one_of(st.none(), DATES)),
    ).map(list),
    min_size=1,
    max_size=6,
    unique_by=lambda row: str(row[0]).casefold(),
)


@FUZZ
@given(kind=KINDS, data=st.data(), as_xlsx=st.booleans())
def test_mostly_valid_files_apply_fully_or_not_at_all(org, kind, data, as_xlsx):
    header = STAFF_HEADER if kind == "staff" else ORG_HEADER
    rows = data.draw(STAFF_ROWS if kind == "staff" else ORG_ROWS)
    content = xlsx_of([header, *rows]) if as_xlsx else csv_bytes([header, *rows], bom=True)
    check(kind, content, org.hr_hanoi if kind == "staff" else org.admin)


@FUZZ
@given(
    flips=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), max_size=6
    ),
    cut=st.integers(min_value=0),
)
def test_a_damaged_workbook_never_crashes_and_never_writes(org, flips, cut):
    good = xlsx_of(
        [STAFF_HEADER, ["HN-1", "Nguyễn Văn A", datetime(1990, 5, 17), "01-BD", "XA-KHCN", None]]
    )
    data = bytearray(good[: max(30, cut % (len(good) + 1))])
    for position, value in flips:
        data[position % len(data)] = value
    check("staff", bytes(data), org.hr_hanoi)
