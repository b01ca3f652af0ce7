"""Two more readings of the stored standings (issue 12): coverage (can each commune handle a
case of each domain today: is one of its officers fully qualified in it?) and the framework by
competency (how many officers meet each competency, and where). A few grouped queries whatever
the number of units and people; every read is bounded by a subtree the caller has checked
against the reader's scope (`selectors.report_scope`)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from competencies.models import Competency, Domain
from competencies.selectors import _gc_paused
from staff.models import OrgUnit

from .models import Standing
from .selectors import NO_FILTERS, Filters, filters_sql, subtree_bounds

# the units where citizens' cases are handled since the two-level local government (07/2025)
COMMUNE_KINDS = frozenset({OrgUnit.Kind.COMMUNE, OrgUnit.Kind.WARD, OrgUnit.Kind.SPECIAL_ZONE})
# the heat map's bands of the share meeting a competency: (lowest share, band number)
BANDS = ((75, 3), (50, 2), (25, 1), (0, 0))


def _fetch(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- coverage -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One unit × one domain: its officers whose position requires the domain, and how many of
    them meet every requirement of their position in that domain today."""

    domain: Domain
    officers: int = 0
    covered: int = 0

    @property
    def is_covered(self) -> bool:
        return self.covered > 0

    @property
    def state(self) -> str:
        """ "covered", "none_meeting" (officers, none qualified) or "no_officer"."""
        if self.covered:
            return "covered"
        return "none_meeting" if self.officers else "no_officer"


@dataclass
class CoverageRow:
    unit: OrgUnit
    # the unit above (the province of a commune), when it is inside the scope
    parent: OrgUnit | None
    # True: the staff sitting in a province-level unit (or a department) itself, not a commune
    own_staff: bool = False
    cells: list[Cell] = field(default_factory=list)

    @property
    def staff_counted(self) -> bool:
        return any(cell.officers for cell in self.cells)


@dataclass
class DomainCoverage:
    domain: Domain
    units: int
    # (row, cell) of each unit where no officer covers the domain, in the rows' order
    uncovered: list[tuple[CoverageRow, Cell]] = field(default_factory=list)

    @property
    def covered(self) -> int:
        return self.units - len(self.uncovered)

    @property
    def share(self) -> int:
        """The whole percentage of the units covered."""
        return round(100 * self.covered / self.units) if self.units else 0

    @property
    def no_officer(self) -> int:
        return sum(1 for _row, cell in self.uncovered if cell.state == "no_officer")


@dataclass
class Coverage:
    scope: OrgUnit
    today: date
    domains: list[Domain]
    rows: list[CoverageRow]
    per_domain: list[DomainCoverage]
    # the units one level below the scope that are not communes (provinces of the nation), to
    # drill into
    drill: list[OrgUnit] = field(default_factory=list)

    @property
    def any_uncovered(self) -> bool:
        return any(d.uncovered for d in self.per_domain)


# the inner GROUP BY in the order of the index on (unit_path, staff_id, domain_id): no sort
_COVERAGE_SQL = """
    SELECT unit_path, domain_id, COUNT(*), SUM(CASE WHEN met = total THEN 1 ELSE 0 END)
    FROM (
        SELECT unit_path, domain_id, staff_id, COUNT(*) AS total,
               SUM(CASE WHEN sufficient_until >= %s THEN 1 ELSE 0 END) AS met
        FROM {table}
        WHERE unit_path >= %s AND unit_path < %s{where}
        GROUP BY unit_path, staff_id, domain_id
    ) per_staff
    GROUP BY unit_path, domain_id
"""


def _in_force(unit: OrgUnit, today: date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= today) and (
        unit.valid_to is None or unit.valid_to >= today
    )


# the nation's units and cells are tens of thousands of objects: without the pause they set off a
# full collection of the process's heap (0.2-0.5 s in a worker of this project) on most reads
@_gc_paused()
def coverage_report(
    *,
    scope: OrgUnit,
    filters: Filters = NO_FILTERS,
    today: date | None = None,
    own_staff: bool = False,
) -> Coverage:
    """For each commune, ward and special zone of the subtree and each domain its staff's
    positions require (the domains of the subtree's standings): is there an officer whose
    position requires the domain and who meets all of its requirements today? A unit with no
    such officer, or no staff at all, is uncovered. `own_staff` adds the staff sitting in a
    province-level unit itself as rows of their own. Three queries."""
    today = today or timezone.localdate()
    low, high = subtree_bounds(scope.path)
    where, params = filters_sql(filters)
    sql = _COVERAGE_SQL.format(table=Standing._meta.db_table, where=where)
    figures = _fetch(sql, [today, low, high, *params])
    # every unit of the subtree, so that a commune with no staff is listed too (one query)
    units = list(
        OrgUnit.objects.filter(path__gte=low, path__lt=high)
        .only("pk", "path", "depth", "code", "name", "kind", "valid_from", "valid_to")
        .order_by("path")
    )
    by_path = {unit.path: unit for unit in units}
    communes = {unit.path for unit in units if unit.kind in COMMUNE_KINDS}
    domain_ids = {domain_id for _path, domain_id, _officers, _covered in figures}
    domains = list(Domain.objects.filter(pk__in=domain_ids).order_by("code"))

    # the standings' units folded into the commune they sit in (a unit below a commune is part
    # of it), else into their own unit when the own staff are asked for
    counted: dict[str, dict[int, list[int]]] = {}
    step = OrgUnit.steplen
    for path, domain_id, officers, covered in figures:
        home = next(
            (path[:end] for end in range(len(path), 0, -step) if path[:end] in communes), None
        )
        if home is None:
            if not own_staff or path not in by_path:
                continue
            home = path
        cell = counted.setdefault(home, {}).setdefault(domain_id, [0, 0])
        cell[0] += officers
        cell[1] += int(covered or 0)

    rows = []
    for unit in units:
        is_commune = unit.path in communes
        if not (is_commune or unit.path in counted):
            continue
        # a unit closed or not yet opened is listed only while staff are still counted in it
        if unit.path not in counted and not _in_force(unit, today):
            continue
        figures_of = counted.get(unit.path, {})
        rows.append(
            CoverageRow(
                unit=unit,
                parent=by_path.get(unit.path[:-step]) if unit.pk != scope.pk else None,
                own_staff=not is_commune,
                cells=[Cell(domain, *figures_of.get(domain.pk, (0, 0))) for domain in domains],
            )
        )
    rows.sort(
        key=lambda r: (r.own_staff, r.parent.name if r.parent else "", r.unit.name, r.unit.pk)
    )
    per_domain = []
    for index, domain in enumerate(domains):
        summary = DomainCoverage(domain=domain, units=len(rows))
        summary.uncovered = [
            (row, row.cells[index]) for row in rows if not row.cells[index].is_covered
        ]
        per_domain.append(summary)
    drill = [
        unit for unit in units if unit.depth == scope.depth + 1 and unit.kind not in COMMUNE_KINDS
    ]
    drill.sort(key=lambda u: u.name)
    return Coverage(
        scope=scope, today=today, domains=domains, rows=rows, per_domain=per_domain, drill=drill
    )


# --- by competency ------------------------------------------------------------------------------


@dataclass
class StatusCounts:
    """Officers whose position requires a competency, by where they stand on it today."""

    met: int = 0
    expiring: int = 0
    expired: int = 0
    gap: int = 0

    @property
    def officers(self) -> int:
        return self.met + self.expiring + self.expired + self.gap

    @property
    def meeting(self) -> int:
        """Met or expiring: the evidence is still valid today (counts for compliance)."""
        return self.met + self.expiring

    @property
    def share(self) -> int:
        return round(100 * self.meeting / self.officers) if self.officers else 0

    @property
    def band(self) -> int:
        """0: under 25 %, 1: 25-49 %, 2: 50-74 %, 3: 75 % and over."""
        return next(band for lowest, band in BANDS if self.share >= lowest)

    def add(self, other: "StatusCounts") -> None:
        self.met += other.met
        self.expiring += other.expiring
        self.expired += other.expired
        self.gap += other.gap


@dataclass
class CompetencyRow:
    competency: Competency
    total: StatusCounts


@dataclass
class UnitRow:
    unit: OrgUnit | None
    # True: the staff attached to the scope unit itself
    own_staff: bool
    # aligned with `ByCompetency.competencies`; None where no officer of the unit requires it
    cells: list[StatusCounts | None]


@dataclass
class ByCompetency:
    scope: OrgUnit
    today: date
    competencies: list[CompetencyRow]
    units: list[UnitRow]


_BY_COMPETENCY_SQL = """
    SELECT SUBSTR(unit_path, 1, %s) AS child, competency_id,
           SUM(CASE WHEN sufficient_until > %s THEN 1 ELSE 0 END),
           SUM(CASE WHEN sufficient_until >= %s AND sufficient_until <= %s THEN 1 ELSE 0 END),
           SUM(CASE WHEN sufficient_until < %s THEN 1 ELSE 0 END),
           SUM(CASE WHEN sufficient_until IS NULL THEN 1 ELSE 0 END)
    FROM {table}
    WHERE unit_path >= %s AND unit_path < %s{where}
    GROUP BY SUBSTR(unit_path, 1, %s), competency_id
"""


def by_competency_report(
    *, scope: OrgUnit, filters: Filters = NO_FILTERS, today: date | None = None
) -> ByCompetency:
    """For each competency of the framework in the subtree's standings: the officers whose
    position requires it who meet it, meet it but expire soon, have let it expire, or have
    never met it; and the share meeting it per child unit of the scope. A staff member holds
    one standing per competency (one position), so standings are officers. Three queries."""
    today = today or timezone.localdate()
    expiring_until = today + timedelta(days=settings.COMPETENCY_EXPIRING_WINDOW_DAYS)
    child_length = len(scope.path) + OrgUnit.steplen
    low, high = subtree_bounds(scope.path)
    where, params = filters_sql(filters)
    sql = _BY_COMPETENCY_SQL.format(table=Standing._meta.db_table, where=where)
    figures = _fetch(
        sql,
        [
            child_length,
            expiring_until,
            today,
            expiring_until,
            today,
            low,
            high,
            *params,
            child_length,
        ],
    )
    competencies = {
        c.pk: c
        for c in Competency.objects.filter(pk__in={row[1] for row in figures}).select_related(
            "domain"
        )
    }
    ordered = sorted(competencies.values(), key=lambda c: (c.code, c.pk))
    column = {c.pk: index for index, c in enumerate(ordered)}
    totals = [StatusCounts() for _c in ordered]
    cells: dict[str, list[StatusCounts | None]] = {}
    for child, competency_id, met, expiring, expired, gap in figures:
        counts = StatusCounts(int(met or 0), int(expiring or 0), int(expired or 0), int(gap or 0))
        index = column[competency_id]
        totals[index].add(counts)
        cells.setdefault(child, [None] * len(ordered))[index] = counts
    named = {u.path: u for u in OrgUnit.objects.filter(path__in=list(cells))}
    units = [
        UnitRow(unit=named.get(path), own_staff=path == scope.path, cells=row)
        for path, row in cells.items()
    ]
    units.sort(key=lambda r: (not r.own_staff, r.unit.name if r.unit else "", r.unit and r.unit.pk))
    return ByCompetency(
        scope=scope,
        today=today,
        competencies=[CompetencyRow(c, t) for c, t in zip(ordered, totals, strict=True)],
        units=units,
    )
