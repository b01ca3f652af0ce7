"""Org-unit import: a tree from a flat file (parents first, whatever the file order), Vietnamese
kind names, the same all-or-nothing rules as the staff import, and the import_org_units
command."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from staff.importing import import_plan
from staff.models import OrgUnit
from staff.services import import_file, org_unit_merge
from tests.staff import import_files
from tests.staff.factories import OrgUnitFactory
from tests.staff.import_files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
org = import_files.org  # fixture

HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def units_csv(*rows, header=HEADER):
    return csv_bytes([header, *rows])


def tree():
    return [(u.code, u.depth, u.kind) for u in OrgUnit.get_tree()]


def assert_tree_is_sound():
    assert all(not problems for problems in OrgUnit.find_problems()), OrgUnit.find_problems()
    for unit in OrgUnit.objects.all():
        assert unit.numchild == unit.get_children().count(), unit.code


def test_a_whole_tree_imports_from_a_flat_file_in_any_order(db):
    data = units_csv(
        ["01-BD", "Phường Ba Đình", "Phường", "01", "01/07/2025"],
        ["04-TN", "Xã Thông Nông", "Xã", "04", "01/07/2025"],
        ["01", "Thành phố Hà Nội", "Thành phố", "BKHCN", "01/07/2025"],
        ["01-SO", "Sở Khoa học và Công nghệ Hà Nội", "Sở", "01", ""],
        ["BKHCN", "Bộ Khoa học và Công nghệ", "Bộ", "", ""],
        ["04", "Tỉnh Cao Bằng", "Tỉnh", "BKHCN", "2025-07-01"],
        ["22-VD", "Đặc khu Vân Đồn", "Đặc khu", "22", "01/07/2025"],
        ["22", "Tỉnh Quảng Ninh", "tinh", "BKHCN", "01/07/2025"],
        ["01-AA", "Xã An Khánh", "xa", "01", "01/07/2025"],
    )
    plan = import_file(kind="org_units", data=data)
    assert plan.ok, plan.errors
    assert plan.counts == {"create": 9, "update": 0, "unchanged": 0, "errors": 0}
    assert tree() == [
        ("BKHCN", 1, "ministry"),
        ("01", 2, "city"),
        ("01-AA", 3, "commune"),
        ("01-BD", 3, "ward"),
        ("01-SO", 3, "department"),
        ("04", 2, "province"),
        ("04-TN", 3, "commune"),
        ("22", 2, "province"),
        ("22-VD", 3, "special_zone"),
    ]
    assert OrgUnit.objects.get(code="01").valid_from == date(2025, 7, 1)
    assert_tree_is_sound()


def test_new_units_among_existing_siblings_leave_their_paths_alone_and_the_tree_sound(org):
    """New units are appended under their parent: no existing unit's path shifts (the reports
    store paths), whatever the codes sort as."""
    paths_before = dict(OrgUnit.objects.values_list("code", "path"))
    data = units_csv(
        ["01-AA", "Xã An Khánh", "Xã", "01", ""],  # sorts before the existing 01-BD
        ["01-ZZ", "Xã Zê", "Xã", "01", ""],
        ["04-AB", "Xã Cao Bằng mới", "Xã", "04", ""],  # sorts after nothing but 04-TN
        ["04-ZZ", "Xã Cuối", "Xã", "04", ""],
    )
    assert import_file(kind="org_units", data=data).ok
    assert sorted(u.code for u in org.hanoi.get_children()) == ["01-AA", "01-BD", "01-SS", "01-ZZ"]
    assert {
        code: path
        for code, path in OrgUnit.objects.values_list("code", "path")
        if code in paths_before
    } == paths_before
    assert_tree_is_sound()
    # the units that were shifted still answer for their subtree
    assert org.ward.code in {u.code for u in OrgUnit.objects.get(code="01").get_descendants()}


def test_importing_the_same_units_twice_changes_nothing(db):
    data = units_csv(
        ["BKHCN", "Bộ Khoa học và Công nghệ", "Bộ", "", ""],
        ["01", "Hà Nội", "Thành phố", "BKHCN", "01/07/2025"],
    )
    import_file(kind="org_units", data=data)
    before = list(OrgUnit.objects.values_list())
    plan = import_file(kind="org_units", data=data)
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 2, "errors": 0}
    assert list(OrgUnit.objects.values_list()) == before


def test_a_renamed_unit_is_updated_in_place(org):
    data = units_csv(["01-BD", "Phường Ba Đình (mới)", "Phường", "01", ""])
    plan = import_file(kind="org_units", data=data)
    assert plan.counts["update"] == 1
    org.ward.refresh_from_db()
    assert org.ward.name == "Phường Ba Đình (mới)" and org.ward.path.startswith(org.hanoi.path)


def test_an_excel_file_with_english_headers_and_date_cells_imports(db):
    from datetime import datetime

    data = xlsx_bytes(
        [
            ["code", "name", "kind", "parent code", "valid from"],
            ["BKHCN", "Ministry", "ministry", None, None],
            ["79", "Hồ Chí Minh City", "city", "BKHCN", datetime(2025, 7, 1)],
        ]
    )
    assert import_file(kind="org_units", data=data).ok
    assert OrgUnit.objects.get(code="79").valid_from == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (["01-XX", "Xã X", "Xã", "99", ""], "Mã đơn vị cấp trên", "Unknown parent unit code 99"),
        (["01-XX", "Xã X", "Huyện", "01", ""], "Loại", "Unknown unit type"),
        (["01-XX", "Xã X", "Xã", "01-BD", ""], "Loại", "cannot be placed under"),
        (["01-XX", "Xã X", "Xã", "", ""], "Mã đơn vị cấp trên", "required"),
        (["BKHCN2", "Bộ khác", "Bộ", "01", ""], "Mã đơn vị cấp trên", "no parent"),
        (["01 XX", "Xã X", "Xã", "01", ""], "Mã đơn vị", "may only contain"),
        (["01-XX", "=1+1", "Xã", "01", ""], "Tên đơn vị", "Formulas"),
        (["01-XX", "Xã X", "Xã", "01", "32/13/2025"], "Hiệu lực từ", "not a valid date"),
        (["01-BD", "Phường Ba Đình", "Phường", "04", ""], "Mã đơn vị cấp trên", "does not move"),
    ],
)
def test_bad_rows_are_errors_naming_row_and_column_and_nothing_is_written(
    org, row, column, fragment
):
    before = list(OrgUnit.objects.values_list())
    data = units_csv(["01-OK", "Xã Tốt", "Xã", "01", ""], row)
    plan = import_file(kind="org_units", data=data)
    assert [(e.row, e.column) for e in plan.errors] == [(3, column)], plan.errors
    assert fragment in plan.errors[0].message
    assert list(OrgUnit.objects.values_list()) == before


def test_duplicated_codes_are_errors(org):
    data = units_csv(["01-OK", "Xã Tốt", "Xã", "01", ""], ["01-ok", "Xã Tốt 2", "Xã", "01", ""])
    plan = import_file(kind="org_units", data=data)
    assert [(e.row, e.message) for e in plan.errors] == [(3, "Code 01-ok also appears on row 2.")]


def test_a_closed_parent_takes_no_new_units(org):
    org_unit_merge(units=[org.commune], into=org.ward, on=date(2025, 7, 1))
    data = units_csv(["01-SS-1", "Thôn", "Sở", "01-SS", ""])
    plan = import_file(kind="org_units", data=data)
    assert "was closed" in plan.errors[0].message


def test_children_of_a_rejected_parent_are_not_written_either(db):
    data = units_csv(
        ["BKHCN", "Bộ", "Bộ", "", ""],
        ["01", "Hà Nội", "Huyện", "BKHCN", ""],
        ["01-BD", "Phường Ba Đình", "Phường", "01", ""],
    )
    plan = import_file(kind="org_units", data=data)
    assert [e.row for e in plan.errors] == [3]
    assert not OrgUnit.objects.exists()


def test_only_administrators_import_org_units(org):
    data = units_csv(["01-OK", "Xã Tốt", "Xã", "01", ""])
    plan = import_plan(kind="org_units", data=data, user=org.hr_hanoi)
    assert "Only administrators" in plan.errors[0].message
    assert import_plan(kind="org_units", data=data, user=org.admin).ok


def test_a_roots_without_a_ministry_in_an_old_tree_are_left_alone(db):
    OrgUnitFactory(code="01", kind="province")  # an early tree without the ministry
    data = units_csv(["01-X", "Xã X", "Xã", "01", ""])
    assert import_file(kind="org_units", data=data).ok
    assert_tree_is_sound()


def test_the_command_imports_units_and_refuses_a_file_with_errors(db, tmp_path, capsys):
    good = tmp_path / "units.csv"
    good.write_bytes(
        units_csv(["BKHCN", "Bộ", "Bộ", "", ""], ["01", "Hà Nội", "Thành phố", "BKHCN", ""])
    )
    call_command("import_org_units", str(good), "--dry-run")
    assert not OrgUnit.objects.exists()
    call_command("import_org_units", str(good))
    assert "2 to create" in capsys.readouterr().out
    assert OrgUnit.objects.count() == 2

    bad = tmp_path / "bad.csv"
    bad.write_bytes(units_csv(["01-X", "Xã X", "Xã", "NOPE", ""]))
    with pytest.raises(CommandError, match="1 errors; nothing was written"):
        call_command("import_org_units", str(bad))
    assert "Unknown parent unit code NOPE" in capsys.readouterr().err
    assert OrgUnit.objects.count() == 2
