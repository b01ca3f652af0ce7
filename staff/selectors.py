"""Reads of organisation and staff data, always filtered by what the asking user may see."""

from django.db.models import Q, QuerySet

from .models import OrgUnit, StaffRecord
from .roles import ROLE_GROUP_NAMES, Role


def user_has_role(*, user, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    if role is Role.ADMINISTRATOR and user.is_superuser:
        return True
    return user.groups.filter(name=ROLE_GROUP_NAMES[role]).exists()


def user_is_administrator(*, user) -> bool:
    return user_has_role(user=user, role=Role.ADMINISTRATOR)


def _scope_paths(*, user) -> list[str] | None:
    """Materialised paths of the subtrees the user may see; None means everything."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user_is_administrator(user=user):
        return None
    return list(user.hr_assignments.values_list("org_unit__path", flat=True))


def _prefix_filter(field: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def org_unit_list_in_scope(*, user) -> QuerySet[OrgUnit]:
    paths = _scope_paths(user=user)
    units = OrgUnit.objects.all()
    return units if paths is None else units.filter(_prefix_filter("path", paths))


def staff_list_in_scope(*, user) -> QuerySet[StaffRecord]:
    """Staff records an HR officer may see: those in the subtree of their assigned units."""
    paths = _scope_paths(user=user)
    records = StaffRecord.objects.select_related("org_unit", "position", "user")
    return records if paths is None else records.filter(_prefix_filter("org_unit__path", paths))


def staff_in_scope_of(*, user, staff: StaffRecord) -> bool:
    paths = _scope_paths(user=user)
    return paths is None or any(staff.org_unit.path.startswith(p) for p in paths)


def staff_for_user(*, user) -> StaffRecord | None:
    """The personnel record linked to a login, if any."""
    if not user.is_authenticated:
        return None
    return (
        StaffRecord.objects.select_related("org_unit", "position")
        .filter(user=user, active=True)
        .first()
    )
