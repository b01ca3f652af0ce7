"""The figures of the competency reports, read from the stored standings: a few grouped queries
whatever the number of units and people. Every read is bounded by an org-unit subtree that the
caller has checked against the reader's scope (`report_scope`)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, Min, Q
from django.http import Http404
from django.utils import timezone

from staff.models import OrgUnit
from staff.selectors import org_unit_list_in_scope

from .models import Standing


@dataclass(frozen=True)
class Filters:
    """What every report can be narrowed to; all optional, the URL carries them."""

    position_id: int | None = None
    domain_id: int | None = None


NO_FILTERS = Filters()


def report_scope(*, user, unit_id: int | None) -> OrgUnit:
    """The unit a report covers: the one asked for if the reader may see it (404 otherwise,
    whether it exists or not), else the top of the reader's scope (the ministry, for a reader
    who sees the nation)."""
    units = org_unit_list_in_scope(user=user)
    if unit_id is not None:
        unit = units.filter(pk=unit_id).first()
        if unit is None:
            raise Http404
        return unit
    unit = units.order_by("depth", "path").first()
    if unit is None:
        raise Http404
    return unit


@dataclass
class Compliance:
    """Staff of a unit (subtree) by how much of their position's requirements they meet."""

    unit: OrgUnit | None
    staff: int = 0
    all_met: int = 0
    none_met: int = 0

    @property
    def part_met(self) -> int:
        return self.staff - self.all_met - self.none_met

    def share(self, count: int) -> int:
        """A whole percentage of the staff counted."""
        return round(100 * count / self.staff) if self.staff else 0

    @property
    def all_met_share(self) -> int:
        return self.share(self.all_met)

    @property
    def part_met_share(self) -> int:
        return self.share(self.part_met)

    @property
    def none_met_share(self) -> int:
        return self.share(self.none_met)


@dataclass
class Overview:
    scope: OrgUnit
    today: date
    total: Compliance
    # one row per child unit that has staff counted, by name; staff attached to the scope unit
    # itself (a province's own officers) come first, with `unit` the scope
    children: list[Compliance] = field(default_factory=list)


def filters_sql(filters: Filters) -> tuple[str, list]:
    """The WHERE conditions (each starting with AND) of the filters, and their parameters."""
    sql, params = "", []
    if filters.position_id is not None:
        sql += " AND position_id = %s"
        params.append(filters.position_id)
    if filters.domain_id is not None:
        sql += " AND domain_id = %s"
        params.append(filters.domain_id)
    return sql, params


def compliance_overview(
    *, scope: OrgUnit, filters: Filters = NO_FILTERS, today: date | None = None
) -> Overview:
    """Staff of the scope's subtree who meet every requirement (counted: evidence still valid
    today), part of them or none, for the scope and per child unit. Two queries."""
    today = today or timezone.localdate()
    child_length = len(scope.path) + OrgUnit.steplen
    where, params = filters_sql(filters)
    # per staff member: requirements and those met; then per child unit: staff by outcome.
    # A staff member's rows share one path, so grouping by (path, staff) is grouping by staff,
    # in the order of the index on (unit_path, staff_id, ...): read in order, no sort
    sql = f"""
        SELECT SUBSTR(unit_path, 1, %s) AS child, COUNT(*),
               SUM(CASE WHEN met = total THEN 1 ELSE 0 END),
               SUM(CASE WHEN met = 0 THEN 1 ELSE 0 END)
        FROM (
            SELECT unit_path, staff_id, COUNT(*) AS total,
                   SUM(CASE WHEN sufficient_until >= %s THEN 1 ELSE 0 END) AS met
            FROM {Standing._meta.db_table}
            WHERE unit_path >= %s AND unit_path < %s{where}
            GROUP BY unit_path, staff_id
        ) per_staff
        GROUP BY SUBSTR(unit_path, 1, %s)
    """  # noqa: S608 - the table name is the model's; every value is a parameter
    low, high = subtree_bounds(scope.path)
    with connection.cursor() as cursor:
        cursor.execute(sql, [child_length, today, low, high, *params, child_length])
        rows = cursor.fetchall()
    return overview_from_rows(scope=scope, today=today, rows=rows)


def overview_from_rows(*, scope: OrgUnit, today: date, rows) -> Overview:
    """The overview of (child path, staff, all met, none met) rows: the units named (one
    query), the scope's total their sum, its own staff first then the units by name."""
    units = {u.path: u for u in OrgUnit.objects.filter(path__in=[r[0] for r in rows])}
    total = Compliance(unit=scope)
    children = []
    for path, staff, all_met, none_met in rows:
        row = Compliance(
            unit=units.get(path), staff=staff, all_met=int(all_met), none_met=int(none_met)
        )
        total.staff += row.staff
        total.all_met += row.all_met
        total.none_met += row.none_met
        children.append(row)
    children.sort(
        key=lambda c: (c.unit is None or c.unit.pk != scope.pk, c.unit.name if c.unit else "")
    )
    return Overview(scope=scope, today=today, total=total, children=children)


def subtree_bounds(path: str) -> tuple[str, str]:
    """Paths of a subtree as a range (index-friendly on every database, unlike LIKE on SQLite):
    treebeard's alphabet is 0-9A-Z, and "~" sorts after all of it."""
    return path, path + "~"


@dataclass(frozen=True)
class PersonRow:
    staff_id: int
    full_name: str
    personnel_number: str
    unit_name: str
    position_name: str
    required: int
    met: int
    expiring: int
    next_expiry: date | None

    @property
    def outcome(self) -> str:
        if self.met == self.required:
            return "all"
        return "none" if self.met == 0 else "part"


def people_list(
    *, scope: OrgUnit, filters: Filters = NO_FILTERS, today: date | None = None, outcome: str = ""
) -> list[PersonRow]:
    """The staff of the subtree with their count of requirements met and the first expiry to
    come, by name; `outcome` ("all", "part", "none") keeps one group. One query."""
    return list(people_rows(scope=scope, filters=filters, today=today, outcome=outcome))


def people_rows(
    *, scope: OrgUnit, filters: Filters = NO_FILTERS, today: date | None = None, outcome: str = ""
):
    """`people_list` one row at a time, read from the database in chunks (an export of a
    nation's staff holds a chunk, not the list)."""
    today = today or timezone.localdate()
    expiring_until = today + timedelta(days=settings.COMPETENCY_EXPIRING_WINDOW_DAYS)
    low, high = subtree_bounds(scope.path)
    rows = (
        Standing.objects.filter(unit_path__gte=low, unit_path__lt=high)
        .filter(**_orm_filters(filters))
        .values(
            "staff_id",
            "staff__full_name",
            "staff__personnel_number",
            "org_unit__name",
            "staff__position__name",
        )
        .annotate(
            required=_count(),
            met=_count(sufficient_until__gte=today),
            expiring=_count(sufficient_until__gte=today, sufficient_until__lte=expiring_until),
            next_expiry=_min_until(today),
        )
        .order_by("staff__full_name", "staff_id")
    )
    for r in rows.iterator(chunk_size=2000):
        person = PersonRow(
            staff_id=r["staff_id"],
            full_name=r["staff__full_name"],
            personnel_number=r["staff__personnel_number"],
            unit_name=r["org_unit__name"],
            position_name=r["staff__position__name"],
            required=r["required"],
            met=r["met"],
            expiring=r["expiring"],
            next_expiry=r["next_expiry"],
        )
        if not outcome or person.outcome == outcome:
            yield person


def _orm_filters(filters: Filters) -> dict:
    found = {}
    if filters.position_id is not None:
        found["position_id"] = filters.position_id
    if filters.domain_id is not None:
        found["domain_id"] = filters.domain_id
    return found


def _count(**condition):
    return Count("pk", filter=Q(**condition)) if condition else Count("pk")


def _min_until(today: date):
    return Min("sufficient_until", filter=Q(sufficient_until__gte=today))
