"""Status of many staff at once: the same answers as the one-staff selector, in a constant
number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from competencies.models import CompetencyRecord, Framework
from competencies.selectors import (
    Status,
    requirement_statuses_for_staff,
    staff_requirement_statuses,
    statuses_are_compliant,
)
from staff.models import StaffRecord
from tests.competencies.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
    RequirementFactory,
)
from tests.staff.factories import PositionFactory, StaffRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def population():
    """Two positions with three and two requirements in the published framework (and others in
    a retired one, which must be ignored); staff with every kind of evidence."""
    today = timezone.localdate()
    levels = {rank: ProficiencyLevelFactory(rank=rank) for rank in (1, 2, 3)}
    competencies = CompetencyFactory.create_batch(4)
    framework = FrameworkFactory()
    retired = FrameworkFactory(status=Framework.Status.RETIRED)
    positions = [PositionFactory(), PositionFactory()]
    for position, needed in ((positions[0], competencies[:3]), (positions[1], competencies[2:])):
        for competency in needed:
            RequirementFactory(
                framework=framework, position=position, competency=competency, min_level=levels[2]
            )
    RequirementFactory(framework=retired, position=positions[0], competency=competencies[3])
    staff = []
    for i in range(12):
        member = StaffRecordFactory(position=positions[i % 2], user=None)
        staff.append(member)
        for j, competency in enumerate(competencies):
            rank = 1 + (i + j) % 3
            # expired, expiring, met, and sometimes two records for the same competency
            valid_until = today + timedelta(days=[-10, 30, 400][(i * j) % 3])
            CompetencyRecord.objects.create(
                staff=member,
                competency=competency,
                level=levels[rank],
                source=CompetencyRecord.Source.MANUAL,
                evidence_ref=f"manual:{i}-{j}",
                assessed_on=valid_until - timedelta(days=700),
                valid_until=valid_until,
            )
            if (i + j) % 4 == 0:
                CompetencyRecord.objects.create(
                    staff=member,
                    competency=competency,
                    level=levels[3],
                    source=CompetencyRecord.Source.EXAM,
                    evidence_ref=f"attempt:{i}-{j}",
                    assessed_on=today - timedelta(days=10),
                    valid_until=today + timedelta(days=700),
                )
    staff.append(StaffRecordFactory(position=positions[0], user=None))  # no evidence at all
    staff.append(StaffRecordFactory(user=None))  # a position without requirements
    return staff


def as_tuples(statuses):
    return [
        (s.requirement.pk, s.status, s.level.pk if s.level else None, s.valid_until)
        for s in statuses
    ]


def test_bulk_statuses_match_the_one_staff_selector(population):
    bulk = requirement_statuses_for_staff(staff=StaffRecord.objects.all())
    assert set(bulk) == {s.pk for s in population}
    for member in population:
        assert as_tuples(bulk[member.pk]) == as_tuples(staff_requirement_statuses(staff=member))
    seen = {s.status for statuses in bulk.values() for s in statuses}
    assert seen == {Status.MET, Status.EXPIRING, Status.EXPIRED, Status.GAP}
    assert bulk[population[-1].pk] == []
    assert not statuses_are_compliant(bulk[population[-1].pk])


def test_ids_and_querysets_give_the_same_answer(population):
    ids = [s.pk for s in population[:5]]
    by_ids = requirement_statuses_for_staff(staff_ids=ids)
    by_queryset = requirement_statuses_for_staff(staff=StaffRecord.objects.filter(pk__in=ids))
    assert {k: as_tuples(v) for k, v in by_ids.items()} == {
        k: as_tuples(v) for k, v in by_queryset.items()
    }


def test_the_number_of_queries_does_not_grow_with_the_number_of_staff(
    population, django_assert_num_queries
):
    with django_assert_num_queries(5):
        requirement_statuses_for_staff(staff_ids=[population[0].pk])
    with django_assert_num_queries(5):
        requirement_statuses_for_staff(staff=StaffRecord.objects.all())


def test_the_expiring_window_is_a_setting(population, settings):
    settings.COMPETENCY_EXPIRING_WINDOW_DAYS = 90
    before = requirement_statuses_for_staff(staff=StaffRecord.objects.all())
    settings.COMPETENCY_EXPIRING_WINDOW_DAYS = 10
    after = requirement_statuses_for_staff(staff=StaffRecord.objects.all())
    count = lambda result, status: sum(  # noqa: E731
        s.status == status for statuses in result.values() for s in statuses
    )
    assert count(before, Status.EXPIRING) > 0
    assert count(after, Status.EXPIRING) == 0
    assert count(after, Status.MET) == count(before, Status.MET) + count(before, Status.EXPIRING)


def test_without_a_published_framework_nobody_has_requirements(population):
    Framework.objects.update(status=Framework.Status.RETIRED)
    result = requirement_statuses_for_staff(staff=StaffRecord.objects.all())
    assert set(result) == {s.pk for s in population}
    assert all(statuses == [] for statuses in result.values())
