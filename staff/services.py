"""Writes to organisation and staff data."""

import csv
from datetime import date
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import HRAssignment, OrgUnit, Position, StaffRecord
from .roles import ROLE_GROUP_NAMES, ROLE_PERMISSIONS, Role

PROVINCES_CSV = Path(__file__).resolve().parent / "data" / "provinces.csv"
MINISTRY_CODE = "BKHCN"


@transaction.atomic
def roles_sync() -> dict[Role, Group]:
    """Every role exists as a group carrying exactly its declared permissions."""
    groups = {}
    for role, name in ROLE_GROUP_NAMES.items():
        group, _ = Group.objects.get_or_create(name=name)
        if role is Role.ADMINISTRATOR:
            perms = Permission.objects.all()
        else:
            wanted = [p.split(".", 1) for p in ROLE_PERMISSIONS[role]]
            perms = [
                p
                for p in Permission.objects.select_related("content_type").filter(
                    codename__in=[c for _, c in wanted]
                )
                if [p.content_type.app_label, p.codename] in wanted
            ]
        group.permissions.set(perms)
        groups[role] = group
    return groups


def user_role_grant(*, user, role: Role) -> None:
    user.groups.add(Group.objects.get(name=ROLE_GROUP_NAMES[role]))
    if role is Role.ADMINISTRATOR and not user.is_staff:
        # is_staff flags administrator accounts for the two-factor requirement
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def org_unit_upsert(
    *, code: str, name: str, kind: str, parent: OrgUnit | None, valid_from: date | None = None
) -> OrgUnit:
    """A unit with this code exists under this parent with this name and kind."""
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        fields = {"code": code, "name": name, "kind": kind, "valid_from": valid_from}
        return parent.add_child(**fields) if parent else OrgUnit.add_root(**fields)
    if (unit.name, unit.kind) != (name, kind):
        unit.name, unit.kind = name, kind
        unit.save(update_fields=["name", "kind"])
    return unit


@transaction.atomic
def provinces_load(*, csv_path: Path = PROVINCES_CSV) -> OrgUnit:
    """The ministry root and the 34 provinces/cities of the 2025 two-level government exist."""
    ministry = org_unit_upsert(
        code=MINISTRY_CODE,
        name="Bộ Khoa học và Công nghệ",
        kind=OrgUnit.Kind.MINISTRY,
        parent=None,
    )
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            org_unit_upsert(
                code=row["code"].strip(),
                name=row["name"].strip(),
                kind=row["kind"].strip(),
                parent=ministry,
                valid_from=date(2025, 7, 1),
            )
    return ministry


@transaction.atomic
def position_upsert(*, code: str, name: str, level: str, description: str = "") -> Position:
    position, _ = Position.objects.update_or_create(
        code=code, defaults={"name": name, "level": level, "description": description}
    )
    return position


@transaction.atomic
def staff_record_upsert(
    *,
    personnel_number: str,
    full_name: str,
    org_unit: OrgUnit,
    position: Position,
    email: str = "",
    user=None,
) -> StaffRecord:
    record, _ = StaffRecord.objects.update_or_create(
        personnel_number=personnel_number,
        defaults={
            "full_name": full_name,
            "org_unit": org_unit,
            "position": position,
            "email": email,
            "user": user,
        },
    )
    return record


def hr_assignment_grant(*, user, org_unit: OrgUnit) -> HRAssignment:
    assignment, _ = HRAssignment.objects.get_or_create(user=user, org_unit=org_unit)
    return assignment
