"""Monthly compliance snapshots: the month's figures summed from the stored standings, per unit
where staff sit, position and domain (and all domains together). Taken on the first of each
month by Celery beat or `manage.py reports_snapshot`; taking a month again replaces it."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.functions import Substr
from django.utils import timezone

from competencies.selectors import framework_published
from staff.models import OrgUnit

from .models import ComplianceSnapshot, Standing
from .selectors import (
    NO_FILTERS,
    Compliance,
    Filters,
    Overview,
    overview_from_rows,
    subtree_bounds,
)

# per staff member (and domain, when grouped by it): requirements and those met; then per unit,
# position (and domain): the staff by outcome
_SQL = """
    SELECT org_unit_id, unit_path, position_id, {domain} COUNT(*),
           SUM(CASE WHEN met = total THEN 1 ELSE 0 END), SUM(CASE WHEN met = 0 THEN 1 ELSE 0 END)
    FROM (
        SELECT staff_id, org_unit_id, unit_path, position_id, {domain} COUNT(*) AS total,
               SUM(CASE WHEN sufficient_until >= %s THEN 1 ELSE 0 END) AS met
        FROM {table}
        GROUP BY staff_id, org_unit_id, unit_path, position_id {group}
    ) per_staff
    GROUP BY org_unit_id, unit_path, position_id {group}
"""


def month_start(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def snapshot_take(*, today: date | None = None) -> int:
    """The current month's snapshot, as the standings stand `today`; the rows written."""
    today = today or timezone.localdate()
    month = month_start(today)
    ComplianceSnapshot.objects.filter(month=month).delete()
    framework = framework_published()
    table = Standing._meta.db_table
    rows = []
    for by_domain in (False, True):
        sql = _SQL.format(
            table=table,
            domain="domain_id," if by_domain else "",
            group=", domain_id" if by_domain else "",
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [today])
            for row in cursor.fetchall():
                unit_id, path, position_id = row[:3]
                domain_id = row[3] if by_domain else None
                staff, all_met, none_met = row[-3:]
                rows.append(
                    ComplianceSnapshot(
                        month=month,
                        taken_on=today,
                        framework=framework,
                        org_unit_id=unit_id,
                        unit_path=path,
                        position_id=position_id,
                        domain_id=domain_id,
                        staff=staff,
                        all_met=int(all_met),
                        none_met=int(none_met),
                    )
                )
    ComplianceSnapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- reading them ---------------------------------------------------------------------------------


def _snapshot_rows(*, scope: OrgUnit, filters: Filters, framework_id: int | None = None):
    low, high = subtree_bounds(scope.path)
    rows = ComplianceSnapshot.objects.filter(unit_path__gte=low, unit_path__lt=high)
    if framework_id is not None:
        rows = rows.filter(framework_id=framework_id)
    if filters.position_id is not None:
        rows = rows.filter(position_id=filters.position_id)
    # all requirements together, or the domain's own rows
    return rows.filter(domain_id=filters.domain_id)


def snapshot_months(*, framework_id: int | None = None) -> list[date]:
    """The months a snapshot exists for (under that framework version), latest first."""
    months = ComplianceSnapshot.objects.order_by("-month")
    if framework_id is not None:
        months = months.filter(framework_id=framework_id)
    return list(months.values_list("month", flat=True).distinct())


def snapshot_frameworks() -> list:
    """The framework versions some month was taken under, latest first."""
    from competencies.models import Framework

    ids = ComplianceSnapshot.objects.values("framework_id")
    return list(Framework.objects.filter(pk__in=ids).order_by("-version", "-pk"))


@dataclass(frozen=True)
class TrendPoint:
    month: date
    figures: Compliance


def compliance_trend(
    *,
    scope: OrgUnit,
    filters: Filters = NO_FILTERS,
    months: int = 12,
    today: date | None = None,
    framework_id: int | None = None,
) -> list[TrendPoint]:
    """The scope's compliance at each of the last `months` snapshots, oldest first; a month
    without a snapshot is left out. One query."""
    today = today or timezone.localdate()
    first = month_start(today)
    for _ in range(months - 1):
        first = month_start(first - timedelta(days=1))
    totals = (
        _snapshot_rows(scope=scope, filters=filters, framework_id=framework_id)
        .filter(month__gte=first)
        .values("month")
        .annotate(staff=Sum("staff"), all_met=Sum("all_met"), none_met=Sum("none_met"))
        .order_by("month")
    )
    return [
        TrendPoint(
            month=row["month"],
            figures=Compliance(
                unit=scope, staff=row["staff"], all_met=row["all_met"], none_met=row["none_met"]
            ),
        )
        for row in totals
    ]


def compliance_overview_as_of(
    *, scope: OrgUnit, month: date, filters: Filters = NO_FILTERS
) -> Overview:
    """The overview as the month's snapshot counted it, by child unit of the tree of the time.
    Two queries."""
    child_length = len(scope.path) + OrgUnit.steplen
    rows = (
        _snapshot_rows(scope=scope, filters=filters)
        .filter(month=month)
        .annotate(child=Substr("unit_path", 1, child_length))
        .values("child")
        .annotate(staff_sum=Sum("staff"), all_sum=Sum("all_met"), none_sum=Sum("none_met"))
        .order_by("child")
    )
    rows = [(r["child"], r["staff_sum"], r["all_sum"], r["none_sum"]) for r in rows]
    taken = (
        ComplianceSnapshot.objects.filter(month=month).values_list("taken_on", flat=True).first()
    )
    return overview_from_rows(scope=scope, today=taken or month, rows=rows)
