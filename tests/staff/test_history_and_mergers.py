"""History of who belonged where, kept by every write path, and unit mergers that close units
without losing that history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from staff.models import OrgUnit, StaffHistory
from staff.selectors import staff_members_of_unit_on
from staff.services import org_unit_merge, staff_record_upsert
from tests.staff import import_files
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory

pytestmark = pytest.mark.django_db
org = import_files.org  # fixture

BEFORE = date(2025, 6, 30)
MERGER = date(2025, 7, 1)


def periods(record):
    return list(record.history.values_list("org_unit__code", "started_on", "ended_on"))


def test_a_record_created_by_the_service_opens_a_history_period(org):
    record = staff_record_upsert(
        personnel_number="HN-1",
        full_name="Nguyễn Văn A",
        org_unit=org.ward,
        position=org.officer,
        on=BEFORE,
    )
    assert periods(record) == [("01-BD", BEFORE, None)]


def test_a_change_of_unit_by_the_service_closes_and_opens_periods(org):
    staff_record_upsert(
        personnel_number="HN-1", full_name="A", org_unit=org.ward, position=org.officer, on=BEFORE
    )
    record = staff_record_upsert(
        personnel_number="HN-1",
        full_name="A",
        org_unit=org.commune,
        position=org.officer,
        on=MERGER,
    )
    assert periods(record) == [("01-BD", BEFORE, MERGER), ("01-SS", MERGER, None)]


def test_an_upsert_without_a_change_of_unit_or_position_adds_no_period(org):
    for name in ("A", "A", "B"):
        record = staff_record_upsert(
            personnel_number="HN-1", full_name=name, org_unit=org.ward, position=org.officer
        )
    assert record.full_name == "B" and record.history.count() == 1


def test_one_open_period_per_person_is_a_database_rule(org):
    from django.db import IntegrityError, transaction

    record = staff_record_upsert(
        personnel_number="HN-1", full_name="A", org_unit=org.ward, position=org.officer
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffHistory.objects.create(
            staff=record, org_unit=org.ward, position=org.officer, started_on=MERGER
        )


def test_a_merger_closes_the_units_and_moves_their_staff_with_history(org):
    a = staff_record_upsert(
        personnel_number="A", full_name="A", org_unit=org.commune, position=org.officer, on=BEFORE
    )
    gone = StaffRecordFactory(
        personnel_number="B", org_unit=org.commune, position=org.officer, active=False
    )
    org_unit_merge(units=[org.commune], into=org.ward, on=MERGER)

    org.commune.refresh_from_db()
    assert (org.commune.valid_to, org.commune.successor) == (MERGER, org.ward)
    assert list(org.ward.predecessors.all()) == [org.commune]
    a.refresh_from_db()
    gone.refresh_from_db()
    assert a.org_unit == org.ward
    assert gone.org_unit == org.commune  # people out of service are not moved
    assert periods(a) == [("01-SS", BEFORE, MERGER), ("01-BD", MERGER, None)]


def test_who_belonged_where_stays_queryable_after_a_merger(org):
    a = staff_record_upsert(
        personnel_number="A", full_name="A", org_unit=org.commune, position=org.officer, on=BEFORE
    )
    b = staff_record_upsert(
        personnel_number="B", full_name="B", org_unit=org.ward, position=org.officer, on=BEFORE
    )
    org_unit_merge(units=[org.commune], into=org.ward, on=MERGER)

    assert list(staff_members_of_unit_on(unit=org.commune, day=BEFORE)) == [a]
    assert list(staff_members_of_unit_on(unit=org.commune, day=MERGER)) == []
    assert set(staff_members_of_unit_on(unit=org.ward, day=BEFORE)) == {b}
    assert set(staff_members_of_unit_on(unit=org.ward, day=MERGER)) == {a, b}
    assert list(staff_members_of_unit_on(unit=org.ward, day=date(2025, 1, 1))) == []
    assert set(staff_members_of_unit_on(unit=org.hanoi, day=BEFORE, include_subunits=True)) == {
        a,
        b,
    }
    assert not staff_members_of_unit_on(unit=org.hanoi, day=BEFORE).exists()


def test_several_units_merge_into_a_new_one(org):
    new = OrgUnitFactory(code="01-NEW", kind="ward", parent=OrgUnit.objects.get(code="01"))
    people = [
        staff_record_upsert(
            personnel_number=code, full_name=code, org_unit=unit, position=org.officer, on=BEFORE
        )
        for code, unit in (("A", org.commune), ("B", org.ward))
    ]
    org_unit_merge(units=[org.commune, org.ward], into=new, on=MERGER)
    assert set(staff_members_of_unit_on(unit=new, day=MERGER)) == set(people)
    assert OrgUnit.objects.filter(successor=new, valid_to=MERGER).count() == 2


@pytest.mark.parametrize(
    ("case", "fragment"),
    [
        ("into_itself", "into itself"),
        ("already_closed", "already closed"),
        ("into_closed", "is closed"),
        ("open_children", "open sub-units"),
        ("too_early", "only exists from"),
    ],
)
def test_a_merger_that_makes_no_sense_is_refused_and_changes_nothing(org, case, fragment):
    from django.utils import translation

    units, into = [org.commune], org.ward
    if case == "into_itself":
        units = [org.commune, org.ward]
    elif case == "already_closed":
        org_unit_merge(units=[org.commune], into=org.ward, on=BEFORE)
    elif case == "into_closed":
        org_unit_merge(units=[org.ward], into=org.commune, on=BEFORE)
    elif case == "open_children":
        units, into = [org.caobang], org.hanoi
    elif case == "too_early":
        OrgUnit.objects.filter(pk=org.commune.pk).update(valid_from=date(2026, 1, 1))
    before = list(OrgUnit.objects.values_list())
    with translation.override("en"), pytest.raises(ValidationError) as error:
        org_unit_merge(units=units, into=into, on=MERGER)
    assert fragment in " ".join(error.value.messages)
    assert list(OrgUnit.objects.values_list()) == before


def test_editing_unit_or_position_in_the_admin_form_records_history(client):
    from django.urls import reverse

    from staff.models import StaffHistory
    from staff.roles import Role
    from staff.services import roles_sync, user_role_grant
    from tests.staff.factories import OrgUnitFactory, PositionFactory, StaffRecordFactory
    from tests.staff.factories import UserFactory as _UserFactory

    roles_sync()
    province = OrgUnitFactory(code="P1")
    first = OrgUnitFactory(code="P1-A", kind="commune", parent=province)
    second = OrgUnitFactory(code="P1-B", kind="commune", parent=province)
    staff = StaffRecordFactory(org_unit=first)
    admin = _UserFactory()
    user_role_grant(user=admin, role=Role.ADMINISTRATOR)
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    response = client.post(
        reverse("staffrecord:edit", args=[staff.pk]),
        {
            "personnel_number": staff.personnel_number,
            "full_name": staff.full_name,
            "org_unit": second.pk,
            "position": PositionFactory().pk,
            "email": "",
            "phone": "",
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content[:300]
    open_period = StaffHistory.objects.get(staff=staff, ended_on__isnull=True)
    assert open_period.org_unit == second


def test_the_merge_command_closes_units_and_moves_their_staff():
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError

    province = OrgUnitFactory(code="P9")
    old = OrgUnitFactory(code="P9-OLD", kind="commune", parent=province)
    new = OrgUnitFactory(code="P9-NEW", kind="commune", parent=province)
    staff = StaffRecordFactory(org_unit=old)
    out = io.StringIO()
    call_command("merge_org_units", "P9-OLD", into="P9-NEW", on="2026-01-01", stdout=out)
    old.refresh_from_db()
    staff.refresh_from_db()
    assert (old.valid_to, old.successor, staff.org_unit) == (date(2026, 1, 1), new, new)
    assert "1 unit(s) merged" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("merge_org_units", "NOPE", into="P9-NEW", on="2026-01-01", stdout=out)
    with pytest.raises(CommandError):
        call_command("merge_org_units", "P9-OLD", into="P9-NEW", on="2026-13-01", stdout=out)
    with pytest.raises(CommandError):  # already closed
        call_command("merge_org_units", "P9-OLD", into="P9-NEW", on="2026-02-01", stdout=out)
