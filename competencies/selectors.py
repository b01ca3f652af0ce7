"""Reads of the framework and of where each staff member stands against it."""

import gc
from collections import defaultdict
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.search import folded_condition
from staff.models import Position, StaffRecord
from staff.selectors import staff_list_in_scope

from .models import (
    Competency,
    CompetencyRecord,
    Domain,
    Framework,
    ProficiencyLevel,
    Requirement,
)


class Status:
    MET = "met"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    GAP = "gap"

    LABELS = {
        MET: _("Met"),
        EXPIRING: _("Expiring soon"),
        EXPIRED: _("Expired"),
        GAP: _("Not met"),
    }
    # a requirement still counts towards compliance until its evidence has actually expired
    COMPLIANT = frozenset({MET, EXPIRING})


class RequirementStatus(NamedTuple):
    # a named tuple, not a dataclass: the bulk selector builds a million of these for HR reports
    requirement: Requirement
    level: ProficiencyLevel | None
    valid_until: date | None
    status: str

    @property
    def label(self) -> str:
        return Status.LABELS[self.status]

    @property
    def needs_action(self) -> bool:
        """Gap, expired or expiring: the officer should train or sit an exam."""
        return self.status != Status.MET


def framework_published() -> Framework | None:
    return Framework.objects.filter(status=Framework.Status.PUBLISHED).first()


def _evaluate(min_rank: int, evidence, today: date, expiring_until: date):
    """The rule, on (rank, valid_until, payload) tuples: the sufficient evidence lasting longest
    decides met / expiring / expired; without sufficient evidence it is a gap (and the payload
    of the highest insufficient evidence is returned, to show the level reached)."""
    best = None
    highest = None
    for item in evidence:
        if item[0] >= min_rank:
            if best is None or item[1] > best[1]:
                best = item
        elif highest is None or item[0] > highest[0]:
            highest = item
    if best is None:
        return Status.GAP, highest
    if best[1] < today:
        return Status.EXPIRED, best
    if best[1] <= expiring_until:
        return Status.EXPIRING, best
    return Status.MET, best


def status_for(
    *, min_rank: int, records: list[CompetencyRecord], today: date, window_days: int
) -> tuple[str, CompetencyRecord | None]:
    """met / expiring / expired / gap for one requirement, given the staff's records for it."""
    status, item = _evaluate(
        min_rank,
        [(r.level.rank, r.valid_until, r) for r in records],
        today,
        today + timedelta(days=window_days),
    )
    return status, item[2] if item else None


def staff_requirement_statuses(*, staff: StaffRecord) -> list[RequirementStatus]:
    """Where the staff member stands on each requirement of their position."""
    framework = framework_published()
    if framework is None:
        return []
    requirements = list(
        Requirement.objects.filter(framework=framework, position_id=staff.position_id)
        .select_related("competency", "min_level")
        .order_by("competency__code")
    )
    records_by_competency: dict[int, list[CompetencyRecord]] = {}
    for record in CompetencyRecord.objects.filter(
        staff=staff,
        competency_id__in=[r.competency_id for r in requirements],
        withdrawn_at__isnull=True,
    ).select_related("level"):
        records_by_competency.setdefault(record.competency_id, []).append(record)
    today = timezone.localdate()
    window = settings.COMPETENCY_EXPIRING_WINDOW_DAYS
    result = []
    for requirement in requirements:
        status, record = status_for(
            min_rank=requirement.min_level.rank,
            records=records_by_competency.get(requirement.competency_id, []),
            today=today,
            window_days=window,
        )
        result.append(
            RequirementStatus(
                requirement=requirement,
                level=record.level if record else None,
                valid_until=record.valid_until if record else None,
                status=status,
            )
        )
    return result


def statuses_are_compliant(statuses: list[RequirementStatus]) -> bool:
    """Compliant: the position has requirements and every one is met (or not yet expired)."""
    return bool(statuses) and all(s.status in Status.COMPLIANT for s in statuses)


def staff_is_compliant(*, staff: StaffRecord) -> bool:
    return statuses_are_compliant(staff_requirement_statuses(staff=staff))


def _raw_rows(queryset: QuerySet, chunk_size: int = 10_000):
    """The rows of a values_list() queryset, without the ORM's per-row converters.

    On a million rows Django's generic converter loop costs more than the query itself; both
    drivers already return dates for date columns (sqlite3 through the converter Django
    registers, psycopg natively), so the SQL the ORM compiled is run on a plain cursor."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


def requirement_statuses_for_staff(
    *,
    staff: QuerySet[StaffRecord] | None = None,
    staff_ids: Iterable[int] | None = None,
    today: date | None = None,
) -> dict[int, list[RequirementStatus]]:
    """Every requirement's status for many staff at once, in five queries whatever their
    number: the published framework, the staff's positions, the requirements of those
    positions, the proficiency levels and the staff's relevant records; the rule is then
    applied in Python. Pass a queryset (a scope) for large sets; keys are staff ids."""
    if (staff is None) == (staff_ids is None):
        raise TypeError("pass exactly one of staff= or staff_ids=")
    if staff is None:
        staff = StaffRecord.objects.filter(pk__in=list(staff_ids))
    staff = staff.order_by()
    framework = framework_published()
    positions = list(staff.order_by("pk").values_list("pk", "position_id"))
    if framework is None:
        return {pk: [] for pk, _position in positions}

    # per position: (requirement, competency id, minimum rank, the "gap" answer shared by every
    # staff member without evidence: immutable, so one object serves them all)
    requirements_by_position: dict[int, list[tuple]] = defaultdict(list)
    for requirement in (
        Requirement.objects.filter(framework=framework, position_id__in={p for _pk, p in positions})
        .select_related("competency", "min_level")
        .order_by("competency__code")
    ):
        requirements_by_position[requirement.position_id].append(
            (
                requirement,
                requirement.competency_id,
                requirement.min_level.rank,
                RequirementStatus(requirement, None, None, Status.GAP),
            )
        )
    competency_ids = {row[1] for rows in requirements_by_position.values() for row in rows}
    levels = {level.pk: (level.rank, level) for level in ProficiencyLevel.objects.all()}
    # records in staff order, merged with the staff list (also in id order): tuples, never model
    # instances, and only one staff member's evidence held at a time (a million rows nationally)
    records = iter(())
    if competency_ids:
        records = _raw_rows(
            CompetencyRecord.objects.filter(
                staff_id__in=staff.values("pk"),
                competency_id__in=competency_ids,
                withdrawn_at__isnull=True,  # withdrawn evidence counts for nothing
            )
            .order_by("staff_id")
            .values_list("staff_id", "competency_id", "level_id", "valid_until")
        )

    today = today or timezone.localdate()
    expiring_until = today + timedelta(days=settings.COMPETENCY_EXPIRING_WINDOW_DAYS)
    with _gc_paused():
        return _merge_statuses(
            positions, requirements_by_position, levels, records, today, expiring_until
        )


@contextmanager
def _gc_paused():
    """Millions of small tuples and lists, none of them cyclic: without this the cyclic garbage
    collector rescans the growing heap again and again (a third of the bulk selector's time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _merge_statuses(positions, requirements_by_position, levels, records, today, expiring_until):
    """Walk the staff (by id) and their records (by staff id) together, holding one staff
    member's evidence at a time, and apply the rule to each requirement of their position."""
    new_status = tuple.__new__  # RequirementStatus(...) without the keyword-handling wrapper
    evaluate = _evaluate
    result: dict[int, list[RequirementStatus]] = {}
    row = next(records, None)
    for staff_id, position_id in positions:
        # a record of someone who joined the set after the staff query is skipped
        while row is not None and row[0] < staff_id:
            row = next(records, None)
        mine: dict[int, list[tuple]] = {}
        while row is not None and row[0] == staff_id:
            rank, level = levels[row[2]]
            items = mine.get(row[1])
            if items is None:
                mine[row[1]] = [(rank, row[3], level)]
            else:
                items.append((rank, row[3], level))
            row = next(records, None)
        statuses = []
        for requirement, competency_id, min_rank, gap in requirements_by_position.get(
            position_id, ()
        ):
            items = mine.get(competency_id)
            if items is None:
                statuses.append(gap)
                continue
            status, item = evaluate(min_rank, items, today, expiring_until)
            statuses.append(new_status(RequirementStatus, (requirement, item[2], item[1], status)))
        result[staff_id] = statuses
    return result


# --- the requirement matrix (admin) ------------------------------------------------------------


@dataclass
class MatrixRow:
    competency: Competency
    requirement: Requirement | None
    form: object = None  # the admin screen attaches the row's form here

    @property
    def competency_id(self) -> int:
        return self.competency.pk


@dataclass
class MatrixDomain:
    domain: Domain
    rows: list[MatrixRow] = field(default_factory=list)


def requirement_matrix(*, framework: Framework, position: Position) -> list[MatrixDomain]:
    """Every competency, grouped by domain, with the position's requirement in the framework
    if there is one (two queries)."""
    existing = {
        r.competency_id: r
        for r in Requirement.objects.filter(framework=framework, position=position).select_related(
            "min_level"
        )
    }
    groups: dict[int, MatrixDomain] = {}
    for competency in Competency.objects.select_related("domain").order_by("domain__code", "code"):
        group = groups.setdefault(competency.domain_id, MatrixDomain(domain=competency.domain))
        group.rows.append(MatrixRow(competency=competency, requirement=existing.get(competency.pk)))
    return list(groups.values())


# --- competency records (HR) -------------------------------------------------------------------


def assessable_staff(*, user, query: str = "", limit: int = 25) -> list[StaffRecord]:
    """Active staff in the user's HR scope whose name or personnel number matches."""
    staff = staff_list_in_scope(user=user).filter(active=True)
    if query := query.strip():
        name = folded_condition(["full_name"], query)
        number = Q(personnel_number__iexact=query)
        staff = staff.filter(number if name is None else name | number)
    return list(staff.order_by("full_name", "pk")[:limit])


def competency_record_list_for_staff(*, staff: StaffRecord) -> QuerySet[CompetencyRecord]:
    return (
        CompetencyRecord.objects.filter(staff=staff)
        .select_related("competency", "level", "recorded_by")
        .order_by("-assessed_on", "-pk")
    )


def competency_records_withdrawn_for_staff(*, staff: StaffRecord) -> QuerySet[CompetencyRecord]:
    """The staff member's withdrawn evidence (a revoked certificate's), newest first, with
    why: shown to the officer and to HR beside the standing it no longer supports."""
    return (
        CompetencyRecord.objects.filter(staff=staff, withdrawn_at__isnull=False)
        .select_related("competency", "level")
        .order_by("-withdrawn_at", "-pk")
    )


def competency_record_get_in_scope(*, user, record_id: int) -> CompetencyRecord:
    """The record, only if its staff member is inside the user's HR scope; else 404."""
    try:
        return CompetencyRecord.objects.select_related("staff").get(
            pk=record_id, staff__in=staff_list_in_scope(user=user).values("pk")
        )
    except CompetencyRecord.DoesNotExist as exc:
        raise Http404 from exc
