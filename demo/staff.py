"""The demo organisation: the 34 provinces, a ward and two communes, the positions, the officer
and a few provincial staff, and the HR officers' scopes."""

from staff.models import OrgUnit, Position
from staff.services import (
    hr_assignment_grant,
    org_unit_upsert,
    position_upsert,
    provinces_load,
    staff_record_upsert,
)

PROVINCE = Position.Level.PROVINCE
# position code, name, level
POSITIONS = [
    ("XA-KHCN", "Công chức phụ trách khoa học và công nghệ cấp xã", Position.Level.COMMUNE),
    ("XA-VHXH", "Công chức văn hóa – xã hội cấp xã", Position.Level.COMMUNE),
    ("TINH-DL", "Công chức quản lý tiêu chuẩn – đo lường – chất lượng cấp tỉnh", PROVINCE),
    ("TINH-ATBX", "Công chức quản lý an toàn bức xạ và hạt nhân cấp tỉnh", PROVINCE),
    ("TINH-TS", "Công chức quản lý tần số vô tuyến điện và viễn thông cấp tỉnh", PROVINCE),
]

POSITIONS_EN = {
    "XA-KHCN": "Commune officer for science and technology",
    "XA-VHXH": "Commune officer for culture and society",
    "TINH-DL": "Provincial officer for standards, metrology and quality",
    "TINH-ATBX": "Provincial officer for radiation and nuclear safety",
    "TINH-TS": "Provincial officer for radio frequencies and telecommunications",
}

# (personnel number, full name, unit code, position code, email)
EXTRA_STAFF = [
    ("HN-000002", "Trần Quốc Việt", "01", "TINH-DL", "tqviet@example.vn"),
    ("HN-000003", "Vũ Thị Lan", "01", "TINH-ATBX", "vtlan@example.vn"),
    ("HN-000004", "Hoàng Minh Đức", "01", "TINH-TS", "hmduc@example.vn"),
]


def organisation_seed(*, users) -> dict[str, Position]:
    """Org units, positions, staff records and HR scopes; the positions keyed by code."""
    provinces_load()
    hanoi = OrgUnit.objects.get(code="01")
    caobang = OrgUnit.objects.get(code="04")
    ward = org_unit_upsert(
        code="01-BD", name="Phường Ba Đình", kind=OrgUnit.Kind.WARD, parent=hanoi
    )
    org_unit_upsert(code="01-SS", name="Xã Sóc Sơn", kind=OrgUnit.Kind.COMMUNE, parent=hanoi)
    cb_commune = org_unit_upsert(
        code="04-TK", name="Xã Thông Nông", kind=OrgUnit.Kind.COMMUNE, parent=caobang
    )
    positions = {
        code: position_upsert(code=code, name=name, level=level, name_en=POSITIONS_EN[code])
        for code, name, level in POSITIONS
    }
    officer_position = positions["XA-KHCN"]
    staff_record_upsert(
        personnel_number="HN-000001",
        full_name="Nguyễn Thị Thu Hương",
        org_unit=ward,
        position=officer_position,
        email="canbo@example.vn",
        user=users["canbo"],
    )
    staff_record_upsert(
        personnel_number="CB-000001",
        full_name="Đặng Văn Ơn",
        org_unit=cb_commune,
        position=officer_position,
        email="dvon@example.vn",
    )
    for number, full_name, unit_code, position_code, email in EXTRA_STAFF:
        staff_record_upsert(
            personnel_number=number,
            full_name=full_name,
            org_unit=OrgUnit.objects.get(code=unit_code),
            position=positions[position_code],
            email=email,
        )
    hr_assignment_grant(user=users["nhansu"], org_unit=hanoi)
    hr_assignment_grant(user=users["nhansu2"], org_unit=caobang)
    return positions
