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
    UserFactory,
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


# --- the admin screen --------------------------------------------------------------------------

ASSIGN_URL = "/admin/courses/assign/"


def hr_who_may_assign(unit):
    from django.contrib.auth.models import Permission

    user = hr_officer_of(unit)
    user.user_permissions.add(Permission.objects.get(codename="add_enrolment"))
    return user


def test_the_screen_is_at_the_expected_address():
    from django.urls import reverse

    assert reverse("courses_assign") == ASSIGN_URL


def _admin_user_without_assign_permission():
    # trainers reach the admin but do not hold courses.add_enrolment
    from staff.roles import Role
    from staff.services import user_role_grant

    user = UserFactory()
    user_role_grant(user=user, role=Role.TRAINER)
    return user


def test_without_the_add_enrolment_permission_the_screen_is_refused(client, units):
    client.force_login(_admin_user_without_assign_permission())
    response = client.get(ASSIGN_URL)
    assert response.status_code == 302
    assert response["Location"] != ASSIGN_URL


def test_hr_assigns_a_unit_from_the_screen_and_sees_the_summary(client, units, course):
    StaffRecordFactory.create_batch(2, org_unit=units["ward"])
    client.force_login(hr_who_may_assign(units["hanoi"]))
    assert client.get(ASSIGN_URL).status_code == 200
    response = client.post(
        ASSIGN_URL,
        {"course": course.pk, "due_date": due().isoformat(), "org_unit": "01-BD"},
    )
    assert response.status_code == 200
    assert Enrolment.objects.filter(course=course, due_date=due()).count() == 2
    assert course.title in response.content.decode()


def test_a_unit_outside_the_scope_is_refused_with_a_message(client, units, course):
    StaffRecordFactory(org_unit=units["caobang"])
    client.force_login(hr_who_may_assign(units["hanoi"]))
    response = client.post(
        ASSIGN_URL, {"course": course.pk, "due_date": due().isoformat(), "org_unit": "04"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["org_unit"]
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"due_date": "2000-01-01", "personnel_numbers": "X"}, "due_date"),
        ({"due_date": "not a date", "personnel_numbers": "X"}, "due_date"),
        ({"due_date": "", "personnel_numbers": "X"}, "due_date"),
        ({"personnel_numbers": "  \n  "}, "__all__"),
        ({"personnel_numbers": "X", "course": "999999"}, "course"),
        ({"personnel_numbers": "X", "course": "abc"}, "course"),
        ({"personnel_numbers": "X", "position": "abc"}, "position"),
    ],
)
def test_bad_input_is_answered_with_errors_never_a_crash(client, units, course, data, field):
    client.force_login(hr_who_may_assign(units["hanoi"]))
    post = {"course": course.pk, "due_date": due().isoformat(), **data}
    response = client.post(ASSIGN_URL, post)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Enrolment.objects.exists()


def test_an_unpublished_course_cannot_be_assigned(client, units, course):
    StaffRecordFactory(org_unit=units["ward"], personnel_number="HN-9")
    course.unpublish()
    client.force_login(hr_who_may_assign(units["hanoi"]))
    response = client.post(
        ASSIGN_URL,
        {"course": course.pk, "due_date": due().isoformat(), "personnel_numbers": "HN-9"},
    )
    assert "course" in response.context["form"].errors
    with pytest.raises(ValidationError):
        enrolments_assign(
            course=course, by=hr_officer_of(units["hanoi"]), due_date=due(), org_unit=units["ward"]
        )


def test_the_menu_offers_the_screen_only_to_users_who_may_assign(client, units):
    client.force_login(_admin_user_without_assign_permission())
    assert ASSIGN_URL not in client.get("/admin/").content.decode()
    client.force_login(hr_who_may_assign(units["hanoi"]))
    assert ASSIGN_URL in client.get("/admin/").content.decode()
