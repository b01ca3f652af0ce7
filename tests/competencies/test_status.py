from datetime import date, timedelta

import pytest
from django.utils import timezone

from competencies.models import CompetencyRecord
from competencies.selectors import Status, staff_is_compliant, staff_requirement_statuses
from competencies.services import add_months, competency_record_create
from tests.competencies.factories import ProficiencyLevelFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 23), 36, date(2029, 11, 23)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def record(world, *, rank=2, valid_until):
    return CompetencyRecord.objects.create(
        staff=world.officer,
        competency=world.competency,
        level=ProficiencyLevelFactory(rank=rank),
        source=CompetencyRecord.Source.MANUAL,
        evidence_ref=f"manual:{valid_until}",
        assessed_on=valid_until - timedelta(days=400),
        valid_until=valid_until,
    )


def status_of(world):
    (requirement,) = staff_requirement_statuses(staff=world.officer)
    return requirement.status


def test_no_record_is_a_gap(world):
    assert status_of(world) == Status.GAP
    assert not staff_is_compliant(staff=world.officer)


def test_a_record_below_the_minimum_level_is_a_gap(world):
    record(world, rank=1, valid_until=timezone.localdate() + timedelta(days=400))
    assert status_of(world) == Status.GAP


def test_a_valid_record_at_the_minimum_is_met(world):
    record(world, valid_until=timezone.localdate() + timedelta(days=400))
    assert status_of(world) == Status.MET
    assert staff_is_compliant(staff=world.officer)


def test_a_record_ending_inside_the_window_is_expiring_and_still_compliant(world, settings):
    settings.COMPETENCY_EXPIRING_WINDOW_DAYS = 90
    record(world, valid_until=timezone.localdate() + timedelta(days=30))
    assert status_of(world) == Status.EXPIRING
    assert staff_is_compliant(staff=world.officer)


def test_an_expired_record_is_expired_and_not_compliant(world):
    record(world, valid_until=timezone.localdate() - timedelta(days=1))
    assert status_of(world) == Status.EXPIRED
    assert not staff_is_compliant(staff=world.officer)


def test_evidence_validity_follows_the_framework_requirement(world):
    created = competency_record_create(
        staff=world.officer,
        competency=world.competency,
        level=world.level,
        source=CompetencyRecord.Source.EXAM,
        evidence_ref="attempt:1",
        assessed_on=date(2026, 1, 10),
    )
    assert created.valid_until == date(2028, 1, 10)  # the requirement says 24 months


def test_recording_the_same_evidence_twice_keeps_one_record(world):
    for _ in range(2):
        competency_record_create(
            staff=world.officer,
            competency=world.competency,
            level=world.level,
            source=CompetencyRecord.Source.EXAM,
            evidence_ref="attempt:1",
        )
    assert CompetencyRecord.objects.count() == 1
