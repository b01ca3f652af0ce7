import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from staff.exporting import escape_formula, staff_export_rows, write_csv, write_xlsx
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory, UserFactory, hr_officer_of

pytestmark = pytest.mark.django_db

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_value_that_starts_like_a_formula_gets_an_apostrophe(value):
    assert escape_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Nguyễn Văn A", "0912345678", "a=b", "", None, 3])
def test_other_values_are_left_alone(value):
    assert escape_formula(value) == value


def test_csv_cells_are_never_formulas():
    content = write_csv([["header"], *([v] for v in HOSTILE)])
    assert [row[0] for row in csv_rows(content)[1:]] == ["'" + v for v in HOSTILE]


def test_xlsx_cells_are_escaped_strings_never_formulas():
    content = write_xlsx([["header"], *([v] for v in HOSTILE)])
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [sheet.cell(row=i, column=1) for i in range(2, len(HOSTILE) + 2)]
    assert [c.value for c in cells] == ["'" + v for v in HOSTILE]
    assert {c.data_type for c in cells} == {"s"}


def test_xlsx_survives_control_characters_in_the_data():
    content = write_xlsx([["header"], ["Nguyễn\x00 Văn\x07 A"], ["\x01=1+1"]])
    assert xlsx_rows(content)[1:] == [["Nguyễn Văn A"], ["'=1+1"]]


def test_csv_starts_with_a_byte_order_mark_so_excel_reads_vietnamese():
    content = write_csv([["Họ và tên"], ["Nguyễn Thị Thu Hương"]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert csv_rows(content) == [["Họ và tên"], ["Nguyễn Thị Thu Hương"]]


def test_dates_are_day_month_year_in_both_formats(provinces):
    StaffRecordFactory(org_unit=provinces["ward"], date_of_birth=date(1990, 2, 3))
    admin = UserFactory(is_superuser=True)
    rows = staff_export_rows(user=admin)
    assert csv_rows(write_csv(rows))[1][2] == "03/02/1990"
    sheet = load_workbook(io.BytesIO(write_xlsx(rows))).active
    assert sheet["C2"].value.date() == date(1990, 2, 3)
    assert sheet["C2"].number_format == "DD/MM/YYYY"


def test_the_export_has_every_column_of_a_staff_record(provinces):
    record = StaffRecordFactory(
        personnel_number="HN-001",
        full_name="Lê Văn Hà",
        date_of_birth=date(1985, 12, 31),
        org_unit=provinces["ward"],
        position__code="DL-01",
        position__name="Công chức đo lường",
        email="ha@example.vn",
        phone="+84 912 345 678",
    )
    with translation.override("en"):
        rows = csv_rows(write_csv(staff_export_rows(user=hr_officer_of(provinces["hanoi"]))))
    assert rows[0][:3] == ["Personnel number", "Full name", "Date of birth"]
    assert len(rows[0]) == 10
    assert rows[1] == [
        "HN-001",
        "Lê Văn Hà",
        "31/12/1985",
        "01-BD",
        "Phường Ba Đình",
        "DL-01",
        "Công chức đo lường",
        "ha@example.vn",
        "'+84 912 345 678",  # a leading "+" is a formula to Excel
        "Yes",
    ]
    assert record.active


def test_an_hr_officer_exports_only_their_province(provinces):
    StaffRecordFactory(org_unit=provinces["ward"], full_name="Người Hà Nội")
    StaffRecordFactory(org_unit=provinces["commune"], full_name="Người Cao Bằng")
    rows = staff_export_rows(user=hr_officer_of(provinces["hanoi"]))
    assert [r[1] for r in rows[1:]] == ["Người Hà Nội"]


def test_a_unit_outside_the_scope_exports_nothing(provinces):
    StaffRecordFactory(org_unit=provinces["commune"])
    rows = staff_export_rows(user=hr_officer_of(provinces["hanoi"]), unit=provinces["caobang"])
    assert rows[1:] == []


def test_the_unit_filter_and_the_query_narrow_the_export(provinces):
    other_ward = OrgUnitFactory(code="01-HK", kind="ward", parent=provinces["hanoi"])
    StaffRecordFactory(org_unit=provinces["ward"], full_name="Phạm Minh", personnel_number="A1")
    StaffRecordFactory(org_unit=provinces["ward"], full_name="Đỗ Lan", personnel_number="A2")
    StaffRecordFactory(org_unit=other_ward, full_name="Phạm Minh Hoà", personnel_number="B1")
    hr = hr_officer_of(provinces["hanoi"])
    assert [r[0] for r in staff_export_rows(user=hr, unit=provinces["ward"])[1:]] == ["A1", "A2"]
    assert [r[0] for r in staff_export_rows(user=hr, query="Phạm")[1:]] == ["A1", "B1"]
    assert [r[0] for r in staff_export_rows(user=hr, query=" b1 ")[1:]] == ["B1"]


def test_the_export_takes_the_same_number_of_queries_for_any_number_of_staff(
    provinces, django_assert_num_queries
):
    hr = hr_officer_of(provinces["hanoi"])
    StaffRecordFactory(org_unit=provinces["ward"])
    hr = type(hr).objects.get(pk=hr.pk)  # a fresh user, as in a request
    # the scope lookup (role groups, assignments) and the one list query
    with django_assert_num_queries(3):
        assert len(staff_export_rows(user=hr)) == 2
    StaffRecordFactory.create_batch(20, org_unit=provinces["ward"])
    hr = type(hr).objects.get(pk=hr.pk)
    with django_assert_num_queries(3):
        assert len(staff_export_rows(user=hr)) == 22


def test_the_export_screen_downloads_the_scoped_list(client, provinces):
    StaffRecordFactory(org_unit=provinces["ward"], full_name="Người Hà Nội")
    StaffRecordFactory(org_unit=provinces["commune"], full_name="Người Cao Bằng")
    client.force_login(hr_officer_of(provinces["hanoi"]))
    url = reverse("staff_export")
    assert client.get(url).status_code == 200
    response = client.get(url, {"format": "xlsx", "unit": "", "q": ""})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    names = [r[1] for r in xlsx_rows(response.content)[1:]]
    assert names == ["Người Hà Nội"]
    response = client.get(url, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert [r[1] for r in csv_rows(response.content)[1:]] == ["Người Hà Nội"]


def test_the_export_screen_refuses_a_unit_code_outside_the_scope(client, provinces):
    StaffRecordFactory(org_unit=provinces["commune"], full_name="Người Cao Bằng")
    client.force_login(hr_officer_of(provinces["hanoi"]))
    response = client.get(reverse("staff_export"), {"format": "csv", "unit": "04"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors["unit"]
