"""Builders of import files as HR's tools produce them, and a small org tree to import into."""

import codecs
import io
import unicodedata
from dataclasses import dataclass

import pytest
from openpyxl import Workbook

from staff.models import OrgUnit, Position
from staff.roles import Role
from staff.services import hr_assignment_grant, user_role_grant
from tests.staff.factories import OrgUnitFactory, PositionFactory, UserFactory

STAFF_HEADER = ["Số hiệu cán bộ", "Họ và tên", "Ngày sinh", "Mã đơn vị", "Mã vị trí", "Email"]


def csv_bytes(rows, *, encoding="utf-8", delimiter=",", bom=False, newline="\r\n") -> bytes:
    lines = []
    for row in rows:
        cells = []
        for cell in row:
            text = "" if cell is None else str(cell)
            if any(c in text for c in (delimiter, '"', "\n")):
                text = '"' + text.replace('"', '""') + '"'
            cells.append(text)
        lines.append(delimiter.join(cells))
    text = newline.join(lines) + newline
    if encoding == "cp1258":
        return to_cp1258(text)
    data = text.encode(encoding)
    if bom:
        data = {
            "utf-8": codecs.BOM_UTF8,
            "utf-16-le": codecs.BOM_UTF16_LE,
            "utf-16-be": codecs.BOM_UTF16_BE,
        }[encoding] + data
    return data


def to_cp1258(text: str) -> bytes:
    """Windows-1258 has the vowels with their shape marks (ê, ơ, ư, ă…) but writes tones as
    combining marks, as Vietnamese Windows does."""
    shapes = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn: part of the letter
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            shape = "".join(m for m in decomposed[1:] if m in shapes)
            tones = "".join(m for m in decomposed[1:] if m not in shapes)
            letter = unicodedata.normalize("NFC", decomposed[0] + shape)
            # characters the code page lacks altogether become "?", as Windows writes them
            out.append((letter + tones).encode("cp1258", errors="replace"))
    return b"".join(out)


def xlsx_bytes(rows, *, formats=None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    for (row, column), number_format in (formats or {}).items():
        sheet.cell(row=row, column=column).number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass
class Org:
    ministry: OrgUnit
    hanoi: OrgUnit
    caobang: OrgUnit
    ward: OrgUnit  # 01-BD, in Hà Nội
    commune: OrgUnit  # 01-SS, in Hà Nội
    cb_commune: OrgUnit  # 04-TN, in Cao Bằng
    officer: Position  # XA-KHCN
    culture: Position  # XA-VHXH
    hr_hanoi: object
    admin: object


@pytest.fixture
def org(roles) -> Org:
    ministry = OrgUnitFactory(code="BKHCN", name="Bộ Khoa học và Công nghệ", kind="ministry")
    hanoi = OrgUnitFactory(code="01", name="Hà Nội", kind="city", parent=ministry)
    caobang = OrgUnitFactory(code="04", name="Cao Bằng", kind="province", parent=ministry)
    ward = OrgUnitFactory(code="01-BD", name="Phường Ba Đình", kind="ward", parent=hanoi)
    commune = OrgUnitFactory(code="01-SS", name="Xã Sóc Sơn", kind="commune", parent=hanoi)
    cb_commune = OrgUnitFactory(code="04-TN", name="Xã Thông Nông", kind="commune", parent=caobang)
    hr = UserFactory(username="nhansu-hn")
    user_role_grant(user=hr, role=Role.HR_OFFICER)
    hr_assignment_grant(user=hr, org_unit=hanoi)
    admin = UserFactory(username="quantri", is_superuser=True)
    user_role_grant(user=admin, role=Role.ADMINISTRATOR)
    return Org(
        ministry=ministry,
        hanoi=hanoi,
        caobang=caobang,
        ward=ward,
        commune=commune,
        cb_commune=cb_commune,
        officer=PositionFactory(code="XA-KHCN", name="Công chức KH&CN cấp xã"),
        culture=PositionFactory(code="XA-VHXH", name="Công chức văn hóa – xã hội"),
        hr_hanoi=hr,
        admin=admin,
    )
