"""HR links a staff record only to the officer account made for it; administrators link any."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.urls import reverse

from staff.roles import Role
from staff.services import roles_sync, user_role_grant
from tests.staff.factories import (
    OrgUnitFactory,
    PositionFactory,
    StaffRecordFactory,
    UserFactory,
    hr_officer_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    roles_sync()
    hanoi = OrgUnitFactory(code="01", name="Hà Nội")
    caobang = OrgUnitFactory(code="04", name="Cao Bằng")
    hr = hr_officer_of(hanoi)
    record = StaffRecordFactory(org_unit=hanoi, personnel_number="NV100", user=None)
    own = UserFactory(username="nv100")  # made for NV100 by the invitation flow, then unlinked
    user_role_grant(user=own, role=Role.OFFICER)
    other_cb = StaffRecordFactory(org_unit=caobang, personnel_number="NV200")
    return {
        "hr": hr,
        "record": record,
        "own": own,
        "root": UserFactory(username="root", is_superuser=True, is_staff=True),
        "orphan": UserFactory(username="orphan"),  # unlinked, not made for this record
        "trainer": _with_role(UserFactory(username="trainer1"), Role.TRAINER),
        "cb_user": other_cb.user,
    }


def _with_role(user, role):
    user_role_grant(user=user, role=role)
    return user


def _post_data(record, user_pk):
    return {
        "personnel_number": record.personnel_number,
        "full_name": record.full_name,
        "date_of_birth": "",
        "org_unit": record.org_unit_id,
        "position": record.position_id,
        "email": "",
        "phone": "",
        "user": user_pk or "",
        "active": "on",
    }


def test_hr_is_offered_only_the_account_made_for_the_record(client, world):
    client.force_login(world["hr"])
    html = client.get(reverse("staffrecord:edit", args=[world["record"].pk])).content.decode()
    assert ">nv100<" in html
    for name in ("root", "orphan", "trainer1", world["cb_user"].username, world["hr"].username):
        assert f">{name}<" not in html


@pytest.mark.parametrize("who", ["root", "orphan", "trainer", "cb_user", "hr"])
def test_a_crafted_post_linking_another_account_is_refused(client, world, who):
    client.force_login(world["hr"])
    record = world["record"]
    response = client.post(
        reverse("staffrecord:edit", args=[record.pk]), _post_data(record, world[who].pk)
    )
    assert response.status_code == 200
    assert "Không thể gắn tài khoản này" in response.content.decode()
    record.refresh_from_db()
    assert record.user_id is None


def test_hr_links_the_account_made_for_the_record_and_can_unlink_it(client, world):
    client.force_login(world["hr"])
    record = world["record"]
    url = reverse("staffrecord:edit", args=[record.pk])
    assert client.post(url, _post_data(record, world["own"].pk)).status_code == 302
    record.refresh_from_db()
    assert record.user == world["own"]
    # the current account stays offered and accepted; removing it fixes a wrong link
    assert client.post(url, _post_data(record, world["own"].pk)).status_code == 302
    assert client.post(url, _post_data(record, None)).status_code == 302
    record.refresh_from_db()
    assert record.user_id is None


def test_hr_cannot_create_a_record_linked_to_someone_elses_account(client, world):
    client.force_login(world["hr"])
    record = StaffRecordFactory.build(
        personnel_number="NV300",
        org_unit=world["record"].org_unit,
        position=PositionFactory(),
    )
    data = _post_data(record, world["root"].pk)
    response = client.post(reverse("staffrecord:add"), data)
    assert response.status_code == 200
    assert not get_user_model().objects.get(pk=world["root"].pk).__dict__.get("staff_record")
    from staff.models import StaffRecord

    assert not StaffRecord.objects.filter(personnel_number="NV300").exists()


def test_an_administrator_may_link_any_account(client, world):
    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    record = world["record"]
    url = reverse("staffrecord:edit", args=[record.pk])
    assert ">orphan<" in client.get(url).content.decode()
    assert client.post(url, _post_data(record, world["orphan"].pk)).status_code == 302
    record.refresh_from_db()
    assert record.user == world["orphan"]
