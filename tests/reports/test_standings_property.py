"""Issue 12: the standings are proven right. On random organisations, frameworks, staff and
evidence, the stored standings and every figure the reports show equal a brute-force count made
here from the raw records (the rule re-written independently, never through
competencies.selectors): expiry on the boundary day, the day being Vietnam's (at 23:30 UTC it is
already tomorrow in Hà Nội), and again after moves, departures and returns saved by hand and a
merger of communes, whose standings the signals refresh after commit."""

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from competencies.models import (
    Competency,
    CompetencyRecord,
    Domain,
    Framework,
    ProficiencyLevel,
    Requirement,
)
from reports.models import Standing
from reports.selectors import NO_FILTERS, Filters, compliance_overview, people_list
from reports.standings import standings_rebuild
from staff.models import OrgUnit, Position, StaffRecord
from staff.services import org_unit_merge, staff_record_history_sync

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    database=None,  # no .hypothesis folder in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Vietnam keeps UTC+7 all year (no daylight saving): the brute force's own idea of "today"
VIETNAM = timedelta(hours=7)
NAMES = ["Nguyễn Văn An", "Nguyễn Văn Bình", "Nguyễn Văn Cường", "Trần Thị Dung"]


def window() -> int:
    return django_settings.COMPETENCY_EXPIRING_WINDOW_DAYS


# --- the random world, as plain data ------------------------------------------------------------


@dataclass(frozen=True)
class RecordSpec:
    competency: int
    rank: int
    offset: int  # valid until: the Vietnam date of the clock + offset days
    withdrawn: bool


@dataclass(frozen=True)
class StaffSpec:
    unit: int  # index into the unit list (0 the ministry, then provinces, then communes)
    position: int
    active: bool
    name: int
    records: tuple[RecordSpec, ...]


@dataclass(frozen=True)
class Change:
    """Later, by hand (the admin form): the staff member now sits in this unit, holds this
    position, is in service or not."""

    staff: int
    unit: int
    position: int
    active: bool


@dataclass(frozen=True)
class WorldSpec:
    communes: tuple[int, ...]  # communes per province (two provinces)
    domain_of: tuple[int, ...]  # per competency: domain 0 or 1
    requirements: tuple[tuple[int | None, ...], ...]  # [position][competency]: minimum rank
    staff: tuple[StaffSpec, ...]
    changes: tuple[Change, ...] = ()  # applied after the first comparison, before the merger
    merge: tuple[int, int] | None = None  # (commune merged, commune taking it over)
    position_filter: int | None = None
    domain_filter: int | None = None
    instant: datetime | None = None  # the clock (UTC); None: the real one

    @property
    def parents(self) -> list[int | None]:
        """The tree: the ministry, its provinces, each province's communes."""
        parents = [None] + [0] * len(self.communes)
        for province, count in enumerate(self.communes, start=1):
            parents += [province] * count
        return parents

    @property
    def commune_indexes(self) -> list[int]:
        return list(range(1 + len(self.communes), len(self.parents)))


@st.composite
def worlds(draw) -> WorldSpec:
    communes = (draw(st.integers(2, 3)), draw(st.integers(2, 3)))
    n_units = 1 + 2 + sum(communes)
    commune_ids = list(range(3, n_units))
    n_competencies = draw(st.integers(2, 4))
    # both domains always hold a competency; the others fall in either
    domain_of = (0, 1) + tuple(draw(st.integers(0, 1)) for _ in range(n_competencies - 2))
    n_positions = draw(st.integers(1, 3))
    requirements = tuple(
        tuple(draw(st.one_of(st.none(), st.integers(1, 3))) for _ in range(n_competencies))
        for _ in range(n_positions)
    )
    # around today (the boundary day itself among them) and around the end of the expiring window
    offsets = st.one_of(
        st.integers(-5, 5),
        st.sampled_from([window() - 1, window(), window() + 1, 400]),
    )
    records = st.builds(
        RecordSpec,
        competency=st.integers(0, n_competencies - 1),
        rank=st.integers(1, 4),
        offset=offsets,
        withdrawn=st.sampled_from([False, False, False, True]),
    )
    staff = draw(
        st.lists(
            st.builds(
                StaffSpec,
                # communes mostly, some staff at a province or the ministry itself
                unit=st.one_of(st.sampled_from(commune_ids), st.integers(0, n_units - 1)),
                position=st.integers(0, n_positions - 1),
                active=st.sampled_from([True, True, True, False]),
                name=st.integers(0, len(NAMES) - 1),
                records=st.lists(records, max_size=4).map(tuple),
            ),
            min_size=1,
            max_size=15,
        ).map(tuple)
    )
    changes = draw(
        st.lists(
            st.builds(
                Change,
                staff=st.integers(0, len(staff) - 1),
                unit=st.integers(0, n_units - 1),
                position=st.integers(0, n_positions - 1),
                active=st.booleans(),
            ),
            max_size=3,
        ).map(tuple)
    )
    merge = draw(
        st.one_of(
            st.none(),
            st.permutations(commune_ids).map(lambda order: (order[0], order[1])),
        )
    )
    instant = draw(
        st.one_of(
            st.none(),
            st.builds(
                lambda day, moment: datetime.combine(day, moment, tzinfo=UTC),
                st.sampled_from([date(2026, 3, 14), date(2025, 12, 31), date(2028, 2, 28)]),
                # 16:59:59 UTC is still today in Vietnam, 17:00 and 23:30 UTC already tomorrow
                st.sampled_from([time(0, 0), time(16, 59, 59), time(17, 0), time(23, 30)]),
            ),
        )
    )
    return WorldSpec(
        communes=communes,
        domain_of=domain_of,
        requirements=requirements,
        staff=staff,
        changes=changes,
        merge=merge,
        position_filter=draw(st.one_of(st.none(), st.integers(0, n_positions - 1))),
        domain_filter=draw(st.one_of(st.none(), st.integers(0, 1))),
        instant=instant,
    )


def vietnam_date(instant: datetime | None) -> date:
    return ((instant or datetime.now(UTC)) + VIETNAM).date()


@contextmanager
def clock(instant: datetime | None):
    if instant is None:
        yield
        return
    with mock.patch("django.utils.timezone.now", return_value=instant):
        yield


# --- the world in the database ------------------------------------------------------------------


@dataclass
class Built:
    today: date
    units: list[OrgUnit]
    positions: list[Position]
    domains: list[Domain]
    competencies: list[Competency]
    requirements: dict[tuple[int, int], Requirement]  # (position, competency)
    staff: list[StaffRecord]
    # each staff member now (changes and a merger move them): indexes into the lists above
    unit_of: list[int] = field(default_factory=list)
    position_of: list[int] = field(default_factory=list)
    active_of: list[bool] = field(default_factory=list)

    def reload_units(self) -> None:
        """Paths as stored (treebeard may renumber siblings), names and closures."""
        fresh = OrgUnit.objects.in_bulk([u.pk for u in self.units])
        self.units = [fresh[u.pk] for u in self.units]


def build(world: WorldSpec) -> Built:
    today = vietnam_date(world.instant)
    units: list[OrgUnit] = []
    for index, parent in enumerate(world.parents):
        if parent is None:
            units.append(OrgUnit.add_root(code="BO", name="Bộ KH&CN", kind=OrgUnit.Kind.MINISTRY))
        elif parent == 0:
            letter = "AB"[index - 1]
            units.append(
                units[0].add_child(code=f"P{letter}", name=f"Tỉnh {letter}", kind="province")
            )
        else:
            siblings = sum(1 for p in world.parents[:index] if p == parent)
            letter = "AB"[parent - 1]
            units.append(
                units[parent].add_child(
                    code=f"P{letter}-{siblings + 1}",
                    name=f"Xã {letter}{siblings + 1}",
                    kind=OrgUnit.Kind.COMMUNE,
                )
            )
    levels = {
        rank: ProficiencyLevel.objects.get_or_create(rank=rank, defaults={"name": f"Mức {rank}"})[0]
        for rank in range(1, 5)
    }
    domains = [Domain.objects.create(code=f"D{i}", name=f"Lĩnh vực {i}") for i in range(2)]
    competencies = [
        Competency.objects.create(code=f"C-{i}", title=f"Năng lực {i}", domain=domains[d])
        for i, d in enumerate(world.domain_of)
    ]
    positions = [
        Position.objects.create(code=f"VT-{i}", name=f"Vị trí {i}", level="commune")
        for i in range(len(world.requirements))
    ]
    # a framework no longer in force requires everything of everyone: it must count for nothing
    retired = Framework.objects.create(name="Khung", version=1, status=Framework.Status.RETIRED)
    for position in positions:
        for competency in competencies:
            Requirement.objects.create(
                framework=retired, position=position, competency=competency, min_level=levels[1]
            )
    framework = Framework.objects.create(
        name="Khung", version=2, status=Framework.Status.PUBLISHED, published_at=timezone.now()
    )
    requirements = {}
    for p, row in enumerate(world.requirements):
        for c, min_rank in enumerate(row):
            if min_rank is not None:
                requirements[p, c] = Requirement.objects.create(
                    framework=framework,
                    position=positions[p],
                    competency=competencies[c],
                    min_level=levels[min_rank],
                )
    staff = []
    records = []
    for i, spec in enumerate(world.staff):
        member = StaffRecord.objects.create(
            personnel_number=f"NV{i:03d}",
            full_name=NAMES[spec.name],
            org_unit=units[spec.unit],
            position=positions[spec.position],
            active=spec.active,
        )
        staff.append(member)
        for n, record in enumerate(spec.records):
            valid_until = today + timedelta(days=record.offset)
            records.append(
                CompetencyRecord(
                    staff=member,
                    competency=competencies[record.competency],
                    level=levels[record.rank],
                    source=CompetencyRecord.Source.MANUAL,
                    evidence_ref=f"manual:{n}",
                    assessed_on=valid_until - timedelta(days=365),
                    valid_until=valid_until,
                    withdrawn_at=timezone.now() if record.withdrawn else None,
                    withdrawn_reason="thu hồi" if record.withdrawn else "",
                )
            )
    CompetencyRecord.objects.bulk_create(records)
    built = Built(
        today=today,
        units=units,
        positions=positions,
        domains=domains,
        competencies=competencies,
        requirements=requirements,
        staff=staff,
        unit_of=[spec.unit for spec in world.staff],
        position_of=[spec.position for spec in world.staff],
        active_of=[spec.active for spec in world.staff],
    )
    built.reload_units()
    return built


def change(built: Built, changes: tuple[Change, ...], capture) -> None:
    """Moves, departures and returns as the admin form saves them; the signals after commit
    refresh the standings."""
    for c in changes:
        member = built.staff[c.staff]
        before = (member.org_unit_id, member.position_id, member.active)
        member.org_unit = built.units[c.unit]
        member.position = built.positions[c.position]
        member.active = c.active
        with capture(execute=True):
            member.save()
            staff_record_history_sync(staff=member, before=before)
        built.unit_of[c.staff] = c.unit
        built.position_of[c.staff] = c.position
        built.active_of[c.staff] = c.active


def merge(built: Built, merged: int, into: int, capture) -> None:
    """The merger through the service, its standings refreshed by the signals after commit."""
    with capture(execute=True):
        org_unit_merge(units=[built.units[merged]], into=built.units[into], on=built.today)
    built.unit_of = [
        into if (unit == merged and active) else unit
        for unit, active in zip(built.unit_of, built.active_of, strict=True)
    ]
    built.reload_units()


# --- the brute force ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    staff: int  # index
    position: int
    competency: int
    min_rank: int
    until: date | None  # the latest valid-until of live evidence at or above the minimum
    ranks: frozenset  # the level ranks the stored row may name (see level_ranks)


def level_ranks(live, sufficient, until, today) -> frozenset:
    """A gap names the highest level reached (or none); otherwise the level of a record that
    lasts until the date kept (two such records may differ in level)."""
    if until is None:
        return frozenset({max((r.rank for r in live), default=None)})
    return frozenset(r.rank for r in sufficient if today + timedelta(days=r.offset) == until)


def brute_force(world: WorldSpec, built: Built) -> dict[tuple[int, int], Expected]:
    """Per (staff index, competency index): what each active staff member's standing is."""
    found = {}
    for s, spec in enumerate(world.staff):
        if not built.active_of[s]:
            continue
        position = built.position_of[s]
        for c, min_rank in enumerate(world.requirements[position]):
            if min_rank is None:
                continue
            live = [r for r in spec.records if r.competency == c and not r.withdrawn]
            sufficient = [r for r in live if r.rank >= min_rank]
            until = None
            for r in sufficient:
                day = built.today + timedelta(days=r.offset)
                if until is None or day > until:
                    until = day
            found[s, c] = Expected(
                s,
                position,
                c,
                min_rank,
                until,
                level_ranks(live, sufficient, until, built.today),
            )
    return found


def status(until: date | None, today: date) -> str:
    if until is None:
        return "gap"
    if until < today:
        return "expired"
    if until <= today + timedelta(days=window()):
        return "expiring"
    return "met"


def kept(world: WorldSpec, e: Expected, filters: Filters, built: Built) -> bool:
    if filters.position_id is not None and built.positions[e.position].pk != filters.position_id:
        return False
    return filters.domain_id is None or built.domains[world.domain_of[e.competency]].pk == (
        filters.domain_id
    )


def per_staff(world, built, expected, filters, today) -> dict[int, tuple[int, int, int, date]]:
    """staff index → (required, meeting, expiring, first expiry still to come)."""
    out: dict[int, list] = {}
    for e in expected.values():
        if not kept(world, e, filters, built):
            continue
        row = out.setdefault(e.staff, [0, 0, 0, None])
        row[0] += 1
        state = status(e.until, today)
        if state in ("met", "expiring"):
            row[1] += 1
            row[3] = e.until if row[3] is None else min(row[3], e.until)
        if state == "expiring":
            row[2] += 1
    return {s: tuple(row) for s, row in out.items()}


def child_of(world: WorldSpec, unit: int, scope: int) -> int | None:
    """The child of `scope` the unit lies under (the scope itself for its own staff), or None
    outside the scope's subtree."""
    parents = world.parents
    path = [unit]
    while parents[path[-1]] is not None:
        path.append(parents[path[-1]])
    if scope not in path:
        return None
    at = path.index(scope)
    return path[at - 1] if at > 0 else scope


def expected_overview(world, built, expected, scope: int, filters, today):
    counts: dict[int, list[int]] = {}
    for s, (required, meeting, _expiring, _next) in per_staff(
        world, built, expected, filters, today
    ).items():
        child = child_of(world, built.unit_of[s], scope)
        if child is None:
            continue
        row = counts.setdefault(child, [0, 0, 0])
        row[0] += 1
        row[1] += meeting == required
        row[2] += meeting == 0
    order = sorted(counts, key=lambda u: (u != scope, built.units[u].name))
    children = [(built.units[u].pk, *counts[u]) for u in order]
    total = tuple(sum(row[i] for row in counts.values()) for i in range(3))
    return total, children


def overview_figures(overview):
    total = (overview.total.staff, overview.total.all_met, overview.total.none_met)
    children = [(c.unit.pk, c.staff, c.all_met, c.none_met) for c in overview.children]
    for c in overview.children:
        assert c.part_met == c.staff - c.all_met - c.none_met >= 0
    return total, children


def expected_people(world, built, expected, filters, today, outcome=""):
    rows = []
    for s, (required, meeting, expiring, first) in per_staff(
        world, built, expected, filters, today
    ).items():
        group = "all" if meeting == required else "none" if meeting == 0 else "part"
        if outcome and group != outcome:
            continue
        member = built.staff[s]
        unit = built.units[built.unit_of[s]]
        position = built.positions[built.position_of[s]]
        rows.append(
            (member.full_name, member.pk, member.personnel_number, unit.name, position.name)
            + (required, meeting, expiring, first)
        )
    return sorted(rows)


def people_figures(people):
    return [
        (p.full_name, p.staff_id, p.personnel_number, p.unit_name, p.position_name)
        + (p.required, p.met, p.expiring, p.next_expiry)
        for p in people
    ]


# --- the comparisons ----------------------------------------------------------------------------


def assert_standings_match(world: WorldSpec, built: Built, expected) -> None:
    stored = {
        (row.staff_id, row.requirement_id): row
        for row in Standing.objects.select_related("requirement")
    }
    wanted = {
        (built.staff[e.staff].pk, built.requirements[e.position, e.competency].pk): e
        for e in expected.values()
    }
    assert stored.keys() == wanted.keys()
    for key, e in wanted.items():
        row = stored[key]
        unit = built.units[built.unit_of[e.staff]]
        assert row.sufficient_until == e.until, (key, e)
        assert row.level_rank in e.ranks, (key, e, row.level_rank)
        assert (row.unit_path, row.org_unit_id) == (unit.path, unit.pk)
        assert row.position_id == built.positions[e.position].pk
        assert row.competency_id == built.competencies[e.competency].pk
        assert row.domain_id == built.domains[world.domain_of[e.competency]].pk
        assert row.min_rank == e.min_rank


def assert_reports_match(world: WorldSpec, built: Built, expected) -> None:
    today = built.today
    # the reports' own "today" is Vietnam's date, whatever UTC's
    assert timezone.localdate() == today
    ministry, provinces = 0, [1, 2]
    filters = Filters(
        position_id=(
            built.positions[world.position_filter].pk if world.position_filter is not None else None
        ),
        domain_id=(
            built.domains[world.domain_filter].pk if world.domain_filter is not None else None
        ),
    )
    for scope in [ministry, *provinces]:
        for chosen in {NO_FILTERS, filters}:
            got = compliance_overview(scope=built.units[scope], filters=chosen, today=today)
            want = expected_overview(world, built, expected, scope, chosen, today)
            assert overview_figures(got) == want, (scope, chosen)
    # read on the day itself, without saying which: the same figures
    assert overview_figures(compliance_overview(scope=built.units[ministry])) == (
        expected_overview(world, built, expected, ministry, NO_FILTERS, today)
    )
    # the day after, evidence valid until today has expired
    tomorrow = today + timedelta(days=1)
    assert overview_figures(
        compliance_overview(scope=built.units[ministry], today=tomorrow)
    ) == expected_overview(world, built, expected, ministry, NO_FILTERS, tomorrow)

    scope = built.units[ministry]
    assert people_figures(people_list(scope=scope, filters=filters, today=today)) == (
        expected_people(world, built, expected, filters, today)
    )
    assert people_figures(people_list(scope=scope)) == expected_people(
        world, built, expected, NO_FILTERS, today
    )
    for outcome in ("all", "part", "none"):
        assert people_figures(people_list(scope=scope, today=today, outcome=outcome)) == (
            expected_people(world, built, expected, NO_FILTERS, today, outcome)
        )
    for province in provinces:
        assert people_figures(people_list(scope=built.units[province], today=today)) == [
            row
            for row in expected_people(world, built, expected, NO_FILTERS, today)
            if child_of(world, built.unit_of[_index_of(built, row[1])], province) is not None
        ]


def _index_of(built: Built, staff_pk: int) -> int:
    return next(i for i, s in enumerate(built.staff) if s.pk == staff_pk)


def record_events(world: WorldSpec, built: Built, expected) -> None:
    """What the examples covered, for --hypothesis-show-statistics."""
    for e in expected.values():
        event(f"requirement {status(e.until, built.today)}")
        if e.until == built.today:
            event("evidence valid until today")
    if world.instant is not None and vietnam_date(world.instant) != world.instant.date():
        event("UTC's date is not Vietnam's")
    if world.merge is not None:
        event("merger")
    if any(not c.active for c in world.changes):
        event("someone leaves service")


def check(world: WorldSpec, capture) -> None:
    """Build, rebuild, compare; merge (signals refresh), compare again. Rolled back after."""
    with transaction.atomic(), clock(world.instant):
        built = build(world)
        standings_rebuild()
        expected = brute_force(world, built)
        if currently_in_test_context():
            record_events(world, built, expected)
        assert_standings_match(world, built, expected)
        assert_reports_match(world, built, expected)
        if world.changes or world.merge is not None:
            change(built, world.changes, capture)
            if world.merge is not None:
                merge(built, *world.merge, capture)
            expected = brute_force(world, built)
            assert_standings_match(world, built, expected)
            assert_reports_match(world, built, expected)
        transaction.set_rollback(True)


# --- the tests ----------------------------------------------------------------------------------


@PROPERTY
@given(world=worlds())
def test_standings_and_reports_equal_a_brute_force_count(world, django_capture_on_commit_callbacks):
    check(world, django_capture_on_commit_callbacks)


def test_the_reports_day_is_vietnams():
    assert django_settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    late_evening_utc = datetime(2026, 3, 14, 23, 30, tzinfo=UTC)
    with clock(late_evening_utc):
        assert timezone.localdate() == date(2026, 3, 15)  # 06:30 on the 15th in Hà Nội


def test_at_half_past_eleven_utc_evidence_valid_until_vietnams_date_still_counts(
    django_capture_on_commit_callbacks,
):
    """23:30 UTC on the 14th is 06:30 on the 15th in Vietnam: evidence valid until the 15th is
    met that morning, evidence valid until the 14th (UTC's date) has expired."""
    world = WorldSpec(
        communes=(2, 2),
        domain_of=(0, 1),
        requirements=((2, None),),
        staff=(
            StaffSpec(3, 0, True, 0, (RecordSpec(0, 2, 0, False),)),  # until the 15th
            StaffSpec(4, 0, True, 1, (RecordSpec(0, 3, -1, False),)),  # until the 14th
        ),
        instant=datetime(2026, 3, 14, 23, 30, tzinfo=UTC),
    )
    check(world, django_capture_on_commit_callbacks)
    with transaction.atomic(), clock(world.instant):
        built = build(world)
        standings_rebuild()
        assert built.today == date(2026, 3, 15)
        ministry = built.units[0]
        overview = compliance_overview(scope=ministry)
        assert (overview.total.staff, overview.total.all_met, overview.total.none_met) == (2, 1, 1)
        people = {p.full_name: p for p in people_list(scope=ministry)}
        assert (people[NAMES[0]].met, people[NAMES[0]].expiring) == (1, 1)
        assert people[NAMES[0]].next_expiry == date(2026, 3, 15)
        assert people[NAMES[1]].met == 0
        # read with UTC's date instead, both would still count: the difference is the point
        utc_day = compliance_overview(scope=ministry, today=world.instant.date())
        assert utc_day.total.all_met == 2
        transaction.set_rollback(True)


def test_a_merger_of_communes_moves_the_standings_and_the_figures_follow(
    django_capture_on_commit_callbacks,
):
    """A commune of province A merged into one of province B: its officers in service move with
    their standings (refreshed by the signals after commit), and the nation's figures per
    province equal the brute force before and after."""
    world = WorldSpec(
        communes=(2, 2),
        domain_of=(0, 1, 0),
        requirements=((2, 1, None), (None, 3, 1)),
        staff=(
            StaffSpec(3, 0, True, 0, (RecordSpec(0, 2, 0, False), RecordSpec(1, 1, 400, False))),
            StaffSpec(3, 1, True, 1, (RecordSpec(1, 3, -1, False),)),
            StaffSpec(3, 0, False, 2, (RecordSpec(0, 4, 400, False),)),  # left service
            StaffSpec(4, 0, True, 3, (RecordSpec(0, 2, 3, True),)),  # withdrawn evidence
            StaffSpec(5, 1, True, 0, (RecordSpec(1, 3, 400, False), RecordSpec(2, 1, 2, False))),
        ),
        merge=(3, 6),  # Xã A1 into Xã B2
    )
    check(world, django_capture_on_commit_callbacks)
    with transaction.atomic():
        built = build(world)
        standings_rebuild()
        a1, b2 = built.units[3], built.units[6]
        movers = [built.staff[0].pk, built.staff[1].pk]
        before = compliance_overview(scope=built.units[0])
        assert [(c.unit.name, c.staff) for c in before.children] == [("Tỉnh A", 3), ("Tỉnh B", 1)]
        with django_capture_on_commit_callbacks(execute=True):
            org_unit_merge(units=[a1], into=b2, on=built.today)
        assert set(
            Standing.objects.filter(staff_id__in=movers).values_list("unit_path", "org_unit_id")
        ) == {(b2.path, b2.pk)}
        assert not Standing.objects.filter(org_unit=a1).exists()
        after = compliance_overview(scope=built.units[0])
        assert [(c.unit.name, c.staff) for c in after.children] == [("Tỉnh A", 1), ("Tỉnh B", 3)]
        built.unit_of = [6, 6, 3, 4, 5]  # those in service in Xã A1 now in Xã B2
        built.reload_units()
        assert overview_figures(after) == expected_overview(
            world, built, brute_force(world, built), 0, NO_FILTERS, built.today
        )
        transaction.set_rollback(True)
