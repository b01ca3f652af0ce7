"""HR assigns a course with a due date, only to active staff inside their own scope."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.models import Enrolment
from courses.services import enrolment_enrol, enrolments_assign
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, site_home
from tests.staff.factories import (
    OrgUnitFactory,
    PositionFactory,
    StaffRecordFactory,
    hr_officer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(roles):
    hanoi = OrgUnitFactory(code="01", name="Hà Nội")
    caobang = OrgUnitFactory(code="04", name="Cao Bằng")
    ward = OrgUnitFactory(code="01-BD", name="Phường Ba Đình", kind="ward", parent=hanoi)
    return {"hanoi": hanoi, "caobang": caobang, "ward": ward}


@pytest.fixture
def course():
    index = CourseIndexPageFactory(parent=site_home())
    return CoursePageFactory(parent=index, slug="khoa-giao")


def due(days=30):
    return timezone.localdate() + timedelta(days=days)


def test_hr_of_another_province_assigns_nobody(units, course):
    officer = StaffRecordFactory(org_unit=units["ward"])
    hr_caobang = hr_officer_of(units["caobang"])
    result = enrolments_assign(
        course=course, by=hr_caobang, due_date=due(), org_unit=units["hanoi"]
    )
    result_named = enrolments_assign(
        course=course, by=hr_caobang, due_date=due(), staff_ids=[officer.pk]
    )
    assert result.assigned == 0 and result_named.assigned == 0
    assert result_named.out_of_scope == 1
    assert not Enrolment.objects.exists()


def test_an_org_unit_target_covers_its_whole_subtree_and_only_active_staff(units, course):
    in_ward = StaffRecordFactory(org_unit=units["ward"])
    in_province = StaffRecordFactory(org_unit=units["hanoi"])
    StaffRecordFactory(org_unit=units["ward"], active=False)
    StaffRecordFactory(org_unit=units["caobang"])
    result = enrolments_assign(
        course=course, by=hr_officer_of(units["hanoi"]), due_date=due(), org_unit=units["hanoi"]
    )
    assert result.created == 2
    assert set(Enrolment.objects.values_list("staff_id", flat=True)) == {in_ward.pk, in_province.pk}
    assert set(Enrolment.objects.values_list("source", flat=True)) == {Enrolment.Source.ASSIGNED}
    assert set(Enrolment.objects.values_list("due_date", flat=True)) == {due()}


def test_a_position_target_assigns_only_holders_of_the_position_in_scope(units, course):
    position = PositionFactory(code="KHCN")
    holder = StaffRecordFactory(org_unit=units["ward"], position=position)
    StaffRecordFactory(org_unit=units["ward"])
    StaffRecordFactory(org_unit=units["caobang"], position=position)
    result = enrolments_assign(
        course=course, by=hr_officer_of(units["hanoi"]), due_date=due(), position=position
    )
    assert result.created == 1
    assert list(Enrolment.objects.values_list("staff_id", flat=True)) == [holder.pk]


def test_personnel_numbers_outside_the_scope_or_unknown_are_counted_not_assigned(units, course):
    mine = StaffRecordFactory(org_unit=units["ward"], personnel_number="HN-1")
    StaffRecordFactory(org_unit=units["caobang"], personnel_number="CB-1")
    result = enrolments_assign(
        course=course,
        by=hr_officer_of(units["hanoi"]),
        due_date=due(),
        personnel_numbers=["HN-1", " CB-1 ", "NOPE", ""],
    )
    assert (result.created, result.out_of_scope) == (1, 2)
    assert list(Enrolment.objects.values_list("staff_id", flat=True)) == [mine.pk]


def test_a_due_date_in_the_past_is_refused_and_today_is_accepted(units, course):
    officer = StaffRecordFactory(org_unit=units["ward"])
    hr = hr_officer_of(units["hanoi"])
    with pytest.raises(ValidationError):
        enrolments_assign(course=course, by=hr, due_date=due(-1), staff_ids=[officer.pk])
    assert not Enrolment.objects.exists()
    assert enrolments_assign(course=course, by=hr, due_date=due(0), staff_ids=[officer.pk]).created


def test_assigning_again_is_idempotent_and_a_new_due_date_updates(units, course):
    officer = StaffRecordFactory(org_unit=units["ward"])
    hr = hr_officer_of(units["hanoi"])
    enrolments_assign(course=course, by=hr, due_date=due(), staff_ids=[officer.pk])
    again = enrolments_assign(course=course, by=hr, due_date=due(), staff_ids=[officer.pk])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    later = enrolments_assign(course=course, by=hr, due_date=due(60), staff_ids=[officer.pk])
    assert later.updated == 1
    assert Enrolment.objects.get().due_date == due(60)


def test_a_self_enrolment_becomes_an_assignment_but_a_completed_one_is_left_alone(units, course):
    hr = hr_officer_of(units["hanoi"])
    learning = StaffRecordFactory(org_unit=units["ward"])
    finished = StaffRecordFactory(org_unit=units["ward"])
    enrolment_enrol(staff=learning, course=course, source=Enrolment.Source.SELF)
    done = enrolment_enrol(staff=finished, course=course, source=Enrolment.Source.SELF)
    done.completed_at = timezone.now()
    done.save()
    result = enrolments_assign(
        course=course, by=hr, due_date=due(), staff_ids=[learning.pk, finished.pk]
    )
    assert (result.updated, result.unchanged) == (1, 1)
    assert Enrolment.objects.get(staff=learning).source == Enrolment.Source.ASSIGNED
    done.refresh_from_db()
    assert (done.source, done.due_date) == (Enrolment.Source.SELF, None)


def test_assigning_a_whole_unit_takes_a_constant_number_of_queries(
    units, course, django_assert_max_num_queries
):
    StaffRecordFactory.create_batch(12, org_unit=units["ward"])
    hr = hr_officer_of(units["hanoi"])
    with django_assert_max_num_queries(12):
        result = enrolments_assign(course=course, by=hr, due_date=due(), org_unit=units["hanoi"])
    assert result.created == 12
