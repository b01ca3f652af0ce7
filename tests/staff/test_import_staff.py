"""Staff import: validate everything, then write all-or-nothing; matched by personnel number;
history of unit/position changes; HR scope; the import_staff command."""

import unicodedata
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from openpyxl.utils.datetime import to_excel

from staff.importing import import_apply, import_plan
from staff.models import StaffHistory, StaffRecord
from staff.services import import_file, org_unit_merge
from tests.staff import import_files
from tests.staff.factories import StaffRecordFactory
from tests.staff.import_files import STAFF_HEADER, csv_bytes, xlsx_bytes

org = import_files.org  # fixture

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def staff_csv(*rows, header=STAFF_HEADER, **options):
    return csv_bytes([header, *rows], **options)


def two_people():
    return staff_csv(
        ["HN-000001", "Nguyễn Thị Thu Hương", "17/05/1990", "01-BD", "XA-KHCN", "huong@ex.vn"],
        ["HN-000002", "Trần Văn Bình", "1985-01-02", "01-SS", "XA-VHXH", ""],
    )


def snapshot():
    return (
        sorted(StaffRecord.objects.values_list()),
        sorted(StaffHistory.objects.values_list()),
    )


def errors_of(plan):
    return [(e.row, e.column, e.message) for e in plan.errors]


# --- creating, matching, unchanged --------------------------------------------------------------


def test_new_people_are_created_with_an_open_history_period(org):
    plan = import_file(kind="staff", data=two_people(), on=TODAY)
    assert plan.ok and plan.applied
    assert plan.counts == {"create": 2, "update": 0, "unchanged": 0, "errors": 0}
    huong = StaffRecord.objects.get(personnel_number="HN-000001")
    assert (huong.full_name, huong.date_of_birth, huong.org_unit, huong.position) == (
        "Nguyễn Thị Thu Hương",
        date(1990, 5, 17),
        org.ward,
        org.officer,
    )
    assert huong.email == "huong@ex.vn" and huong.active and huong.user is None
    assert list(huong.history.values_list("org_unit", "position", "started_on", "ended_on")) == [
        (org.ward.pk, org.officer.pk, TODAY, None)
    ]


def test_importing_the_same_file_twice_changes_nothing(org):
    import_file(kind="staff", data=two_people(), on=TODAY)
    before = snapshot()
    plan = import_file(kind="staff", data=two_people(), on=TODAY + timedelta(days=3))
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 2, "errors": 0}
    assert snapshot() == before


def test_an_unchanged_file_writes_nothing(org, django_assert_max_num_queries):
    import_file(kind="staff", data=two_people(), on=TODAY)
    plan = import_plan(kind="staff", data=two_people(), on=TODAY)
    with django_assert_max_num_queries(2):  # the savepoint of the empty transaction at most
        import_apply(plan=plan)


def test_records_are_matched_by_personnel_number_and_changed_fields_updated(org):
    import_file(kind="staff", data=two_people(), on=TODAY)
    data = staff_csv(
        ["HN-000001", "Nguyễn Thị Thu Hương", "17/05/1990", "01-BD", "XA-KHCN", "new@ex.vn"],
        ["HN-000002", "Trần Văn Bình", "02/01/1985", "01-SS", "XA-VHXH", ""],
    )
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert plan.counts == {"create": 0, "update": 1, "unchanged": 1, "errors": 0}
    assert StaffRecord.objects.get(personnel_number="HN-000001").email == "new@ex.vn"
    assert StaffHistory.objects.count() == 2  # e-mail is not history


def test_a_column_missing_from_the_file_leaves_that_field_alone(org):
    existing = StaffRecordFactory(
        personnel_number="HN-9", org_unit=org.ward, position=org.officer, email="keep@ex.vn"
    )
    data = csv_bytes(
        [
            ["Số hiệu cán bộ", "Họ và tên", "Mã đơn vị", "Mã vị trí"],
            ["HN-9", existing.full_name, "01-BD", "XA-KHCN"],
        ]
    )
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert plan.counts["unchanged"] == 1
    existing.refresh_from_db()
    assert existing.email == "keep@ex.vn" and existing.user is not None


def test_planning_costs_the_same_queries_for_ten_or_a_hundred_rows(org):
    def rows(n):
        return staff_csv(*[[f"N{i}", "Tên", "", "01-BD", "XA-KHCN", ""] for i in range(n)])

    import_file(kind="staff", data=rows(5), on=TODAY)
    counts = []
    for n in (10, 100):
        with CaptureQueriesContext(connection) as queries:
            import_plan(kind="staff", data=rows(n), user=org.hr_hanoi, on=TODAY)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8


# --- history -----------------------------------------------------------------------------------


def test_a_change_of_unit_closes_the_open_period_and_opens_one_on_the_effective_date(org):
    import_file(kind="staff", data=two_people(), on=TODAY)
    moved = staff_csv(
        ["HN-000001", "Nguyễn Thị Thu Hương", "17/05/1990", "01-SS", "XA-KHCN", "huong@ex.vn"]
    )
    later = TODAY + timedelta(days=40)
    plan = import_file(kind="staff", data=moved, on=later)
    assert plan.counts["update"] == 1
    huong = StaffRecord.objects.get(personnel_number="HN-000001")
    assert huong.org_unit == org.commune
    assert list(huong.history.values_list("org_unit", "started_on", "ended_on")) == [
        (org.ward.pk, TODAY, later),
        (org.commune.pk, later, None),
    ]


def test_a_change_of_position_is_history_too(org):
    import_file(kind="staff", data=two_people(), on=TODAY)
    data = staff_csv(["HN-000002", "Trần Văn Bình", "02/01/1985", "01-SS", "XA-KHCN", ""])
    import_file(kind="staff", data=data, on=TODAY + timedelta(days=1))
    bình = StaffRecord.objects.get(personnel_number="HN-000002")
    assert list(bình.history.values_list("position", "ended_on")) == [
        (org.culture.pk, TODAY + timedelta(days=1)),
        (org.officer.pk, None),
    ]


def test_two_changes_on_one_day_keep_one_period_for_that_day(org):
    import_file(kind="staff", data=two_people(), on=TODAY)
    data = staff_csv(["HN-000002", "Trần Văn Bình", "", "01-BD", "XA-VHXH", ""])
    import_file(kind="staff", data=data, on=TODAY)
    assert list(
        StaffHistory.objects.filter(staff__personnel_number="HN-000002").values_list(
            "org_unit", "started_on", "ended_on"
        )
    ) == [(org.ward.pk, TODAY, None)]


def test_leaving_service_closes_the_period_and_returning_opens_one(org):
    header = [*STAFF_HEADER, "Đang công tác"]
    import_file(kind="staff", data=two_people(), on=TODAY)
    row = ["HN-000002", "Trần Văn Bình", "02/01/1985", "01-SS", "XA-VHXH", ""]
    left = TODAY + timedelta(days=10)
    import_file(kind="staff", data=staff_csv([*row, "Không"], header=header), on=left)
    back = TODAY + timedelta(days=20)
    import_file(kind="staff", data=staff_csv([*row, "Có"], header=header), on=back)
    assert list(
        StaffHistory.objects.filter(staff__personnel_number="HN-000002").values_list(
            "started_on", "ended_on"
        )
    ) == [(TODAY, left), (back, None)]


def test_a_change_dated_before_the_current_period_is_an_error(org):
    import_file(kind="staff", data=two_people(), on=TODAY)
    data = staff_csv(["HN-000002", "Trần Văn Bình", "", "01-BD", "XA-VHXH", ""])
    plan = import_file(kind="staff", data=data, on=TODAY - timedelta(days=1))
    assert errors_of(plan)[0][:2] == (2, "Mã đơn vị")
    assert "cannot precede" in errors_of(plan)[0][2]


def test_the_effective_date_defaults_to_today(org):
    import_file(kind="staff", data=two_people())
    assert set(StaffHistory.objects.values_list("started_on", flat=True)) == {timezone.localdate()}


# --- real-world files --------------------------------------------------------------------------


def test_an_excel_workbook_with_date_cells_serials_and_number_cells_imports(org):
    data = xlsx_bytes(
        [
            ["STT", "Mã cán bộ", "Họ và tên", "Ngày sinh", "Mã đơn vị", "Mã vị trí", "Điện thoại"],
            [
                1,
                100234,
                "Nguyễn Thị Thu Hương",
                datetime(1990, 5, 17),
                "01-BD",
                "XA-KHCN",
                912345678,
            ],
            [2, "HN-2", "Lê Văn Cường", to_excel(datetime(1988, 3, 9)), "01-SS", "XA-KHCN", None],
        ]
    )
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert plan.ok, plan.errors
    first = StaffRecord.objects.get(personnel_number="100234")
    assert first.date_of_birth == date(1990, 5, 17) and first.phone == "912345678"
    assert StaffRecord.objects.get(personnel_number="HN-2").date_of_birth == date(1988, 3, 9)


@pytest.mark.parametrize(
    "options",
    [
        {"bom": True},
        {"encoding": "utf-16-le", "bom": True, "delimiter": "\t"},
        {"encoding": "utf-16-be", "bom": True, "delimiter": "\t"},
        {"delimiter": ";"},
        {"encoding": "cp1258"},
        {"newline": "\n"},
    ],
)
def test_the_same_people_import_identically_from_every_real_world_encoding(org, options):
    import_file(kind="staff", data=two_people(), on=TODAY)
    data = staff_csv(
        ["HN-000001", "Nguyễn Thị Thu Hương", "17/05/1990", "01-BD", "XA-KHCN", "huong@ex.vn"],
        ["HN-000002", "Trần Văn Bình", "1985-01-02", "01-SS", "XA-VHXH", ""],
        **options,
    )
    assert import_file(kind="staff", data=data, on=TODAY).counts["unchanged"] == 2


def test_nfd_names_and_extra_spaces_match_the_stored_records(org):
    import_file(kind="staff", data=two_people(), on=TODAY)
    name = unicodedata.normalize("NFD", "  Nguyễn  Thị Thu   Hương ")
    data = staff_csv([" HN-000001", name, "17/05/1990 ", "01-BD", " XA-KHCN", "huong@ex.vn"])
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert plan.counts["unchanged"] == 1


def test_english_headers_work_too(org):
    data = csv_bytes(
        [
            ["Personnel number", "Full name", "Date of birth", "Unit code", "Position code"],
            ["E-1", "Phạm Minh", "01/01/1980", "01-BD", "XA-KHCN"],
        ]
    )
    assert import_file(kind="staff", data=data, on=TODAY).counts["create"] == 1


def test_unit_codes_match_whatever_their_case(org):
    data = staff_csv(["L-1", "Phạm Minh", "", "01-bd", "xa-khcn", ""])
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert plan.ok
    assert StaffRecord.objects.get(personnel_number="L-1").org_unit == org.ward


# --- errors: row, column, message; nothing written ---------------------------------------------


def test_one_bad_row_means_nothing_is_written(org):
    data = staff_csv(
        ["HN-1", "Nguyễn Văn A", "", "01-BD", "XA-KHCN", ""],
        ["HN-2", "Nguyễn Văn B", "", "99-XX", "XA-KHCN", ""],
    )
    before = snapshot()
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert not plan.ok and not plan.applied
    assert plan.counts == {"create": 1, "update": 0, "unchanged": 0, "errors": 1}
    assert errors_of(plan) == [(3, "Mã đơn vị", "Unknown unit code 99-XX.")]
    assert snapshot() == before


def test_a_plan_with_errors_is_never_applied(org):
    plan = import_plan(kind="staff", data=staff_csv(["", "x", "", "01-BD", "XA-KHCN", ""]))
    assert not plan.ok
    import_apply(plan=plan)
    assert not StaffRecord.objects.exists() and not plan.applied


def test_duplicated_personnel_numbers_name_both_rows(org):
    data = staff_csv(
        ["HN-1", "Nguyễn Văn A", "", "01-BD", "XA-KHCN", ""],
        ["HN-2", "Nguyễn Văn B", "", "01-BD", "XA-KHCN", ""],
        ["HN-1", "Nguyễn Văn C", "", "01-BD", "XA-KHCN", ""],
    )
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert errors_of(plan) == [
        (4, "Số hiệu cán bộ", "Personnel number HN-1 also appears on row 2.")
    ]
    assert not StaffRecord.objects.exists()


def test_unknown_position_codes_are_errors(org):
    plan = import_file(
        kind="staff", data=staff_csv(["HN-1", "A", "", "01-BD", "NOPE", ""]), on=TODAY
    )
    assert errors_of(plan) == [(2, "Mã vị trí", "Unknown position code NOPE.")]


def test_a_closed_unit_is_an_error_naming_its_successor(org):
    org_unit_merge(units=[org.commune], into=org.ward, on=TODAY - timedelta(days=1))
    plan = import_file(
        kind="staff", data=staff_csv(["HN-1", "A", "", "01-SS", "XA-KHCN", ""]), on=TODAY
    )
    assert errors_of(plan)[0][:2] == (2, "Mã đơn vị")
    assert "closed" in errors_of(plan)[0][2] and "01-BD" in errors_of(plan)[0][2]


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["HN-1", '=HYPERLINK("x")', "", "01-BD", "XA-KHCN", ""], "Họ và tên", "Formulas"),
        (["HN-1", "A", "=TODAY()", "01-BD", "XA-KHCN", ""], "Ngày sinh", "Formulas"),
        (["HN-1", "A", "31/02/1990", "01-BD", "XA-KHCN", ""], "Ngày sinh", "not a valid date"),
        (["HN-1", "A", "01/01/1850", "01-BD", "XA-KHCN", ""], "Ngày sinh", "not plausible"),
        (["HN-1", "A", "", "01-BD", "XA-KHCN", "not-an-email"], "Email", "email address"),
        (["HN-1", "", "", "01-BD", "XA-KHCN", ""], "Họ và tên", "required"),
        (["X" * 33, "A", "", "01-BD", "XA-KHCN", ""], "Số hiệu cán bộ", "longer than 32"),
    ],
)
def test_bad_cells_are_errors_naming_row_and_column(org, row, column, fragment):
    plan = import_file(kind="staff", data=staff_csv(row), on=TODAY)
    assert [(e.row, e.column) for e in plan.errors] == [(2, column)]
    assert fragment in plan.errors[0].message
    assert not StaffRecord.objects.exists()


def test_formula_cells_in_a_workbook_are_errors(org):
    data = xlsx_bytes([STAFF_HEADER, ["HN-1", '=A1&"x"', None, "01-BD", "XA-KHCN", None]])
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Họ và tên")]


def test_a_formula_in_a_column_that_is_not_imported_is_ignored(org):
    data = xlsx_bytes([["STT", *STAFF_HEADER], ["=ROW()-1", "HN-1", "A", None, "01-BD", "XA-KHCN"]])
    assert import_file(kind="staff", data=data, on=TODAY).ok


def test_an_empty_file_is_a_clear_error(org):
    plan = import_file(kind="staff", data=b"", on=TODAY)
    assert errors_of(plan) == [(None, "", "The file is empty.")]


def test_a_header_without_rows_is_a_clear_error(org):
    plan = import_file(kind="staff", data=csv_bytes([STAFF_HEADER]), on=TODAY)
    assert errors_of(plan) == [(None, "", "The file has a header but no data rows.")]


def test_a_file_of_the_wrong_type_is_a_clear_error(org):
    plan = import_file(kind="staff", data=b"%PDF-1.4 binary", on=TODAY)
    assert "PDF" in plan.errors[0].message and not plan.applied


def test_a_huge_file_is_refused(org, monkeypatch):
    from staff.importing import readers

    monkeypatch.setattr(readers, "MAX_ROWS", 10)
    data = staff_csv(*[[f"N{i}", "A", "", "01-BD", "XA-KHCN", ""] for i in range(11)])
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert "more than 10 rows" in plan.errors[0].message
    assert not StaffRecord.objects.exists()


def test_the_number_of_listed_errors_is_capped_but_all_are_counted(org, monkeypatch):
    from staff.importing import base

    monkeypatch.setattr(base, "MAX_REPORTED_ERRORS", 3)
    data = staff_csv(*[[f"N{i}", "A", "", "NOPE", "XA-KHCN", ""] for i in range(5)])
    plan = import_file(kind="staff", data=data, on=TODAY)
    assert len(plan.errors) == 3 and plan.error_count == 5


# --- scope -------------------------------------------------------------------------------------


def test_an_hr_officer_imports_into_units_they_manage(org):
    plan = import_file(kind="staff", data=two_people(), user=org.hr_hanoi, on=TODAY)
    assert plan.ok and StaffRecord.objects.count() == 2


def test_rows_outside_the_hr_officers_units_are_errors(org):
    data = staff_csv(
        ["HN-1", "A", "", "01-BD", "XA-KHCN", ""],
        ["CB-1", "B", "", "04-TN", "XA-KHCN", ""],
    )
    plan = import_file(kind="staff", data=data, user=org.hr_hanoi, on=TODAY)
    assert errors_of(plan) == [(3, "Mã đơn vị", "Unit 04-TN is not among the units you manage.")]
    assert not StaffRecord.objects.exists()


def test_an_hr_officer_cannot_take_over_staff_of_another_province(org):
    StaffRecordFactory(personnel_number="CB-1", org_unit=org.cb_commune, position=org.officer)
    data = staff_csv(["CB-1", "B", "", "01-BD", "XA-KHCN", ""])
    plan = import_file(kind="staff", data=data, user=org.hr_hanoi, on=TODAY)
    assert [(e.row, e.column) for e in plan.errors] == [(2, "Số hiệu cán bộ")]
    assert StaffRecord.objects.get(personnel_number="CB-1").org_unit == org.cb_commune


def test_the_system_and_administrators_have_no_scope_limit(org):
    data = staff_csv(["CB-1", "B", "", "04-TN", "XA-KHCN", ""])
    assert import_plan(kind="staff", data=data, user=org.admin, on=TODAY).ok
    assert import_plan(kind="staff", data=data, user=None, on=TODAY).ok


# --- the command -------------------------------------------------------------------------------


def test_the_command_imports_and_prints_the_counts(org, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(two_people())
    call_command("import_staff", str(path), "--date", "2026-11-23")
    out = capsys.readouterr().out
    assert "2 rows: 2 to create, 0 to update, 0 unchanged, 0 errors" in out
    assert StaffHistory.objects.filter(started_on=TODAY).count() == 2


def test_the_command_dry_run_writes_nothing(org, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_bytes(two_people())
    call_command("import_staff", str(path), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert not StaffRecord.objects.exists()


@pytest.mark.parametrize("dry_run", [True, False])
def test_the_command_exits_non_zero_with_every_error_and_writes_nothing(
    org, tmp_path, capsys, dry_run
):
    path = tmp_path / "staff.csv"
    path.write_bytes(
        staff_csv(
            ["HN-1", "A", "", "01-BD", "XA-KHCN", ""],
            ["HN-2", "B", "", "NOPE", "XA-KHCN", ""],
            ["HN-3", "C", "", "01-BD", "NOPE", ""],
        )
    )
    with pytest.raises(CommandError, match="2 errors; nothing was written"):
        call_command("import_staff", str(path), *(["--dry-run"] if dry_run else []))
    err = capsys.readouterr().err
    assert "Row 3, column “Mã đơn vị”: Unknown unit code NOPE." in err
    assert "Row 4, column “Mã vị trí”: Unknown position code NOPE." in err
    assert not StaffRecord.objects.exists()


def test_the_command_exits_non_zero_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_staff", str(tmp_path / "nope.csv"))
