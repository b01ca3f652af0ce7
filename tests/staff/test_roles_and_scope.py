import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.urls import reverse

from staff.roles import ROLE_GROUP_NAMES, Role
from staff.selectors import org_unit_list_in_scope, staff_in_scope_of, staff_list_in_scope
from staff.services import hr_assignment_grant, roles_sync, user_role_grant
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory, UserFactory, hr_officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_provinces():
    ministry = OrgUnitFactory(code="BKHCN", kind="ministry")
    hanoi = OrgUnitFactory(code="01", name="Hà Nội", parent=ministry)
    caobang = OrgUnitFactory(code="04", name="Cao Bằng", parent=ministry)
    ward = OrgUnitFactory(code="01-BD", kind="ward", parent=hanoi)
    commune = OrgUnitFactory(code="04-TN", kind="commune", parent=caobang)
    return {
        "ministry": ministry,
        "hanoi": hanoi,
        "caobang": caobang,
        "hn_staff": StaffRecordFactory(org_unit=ward),
        "cb_staff": StaffRecordFactory(org_unit=commune),
    }


def test_every_role_is_a_group_with_its_permissions():
    groups = roles_sync()
    assert set(groups) == set(Role)
    trainer = groups[Role.TRAINER].permissions.values_list("codename", flat=True)
    hr = groups[Role.HR_OFFICER].permissions.values_list("codename", flat=True)
    assert "access_admin" in trainer and "add_question" in trainer
    assert "view_staffrecord" not in trainer  # trainers see no HR data
    assert "view_staffrecord" in hr and "add_question" not in hr
    assert not groups[Role.OFFICER].permissions.exists()
    assert groups[Role.ADMINISTRATOR].permissions.count() > len(hr) + len(trainer)


def test_syncing_roles_twice_changes_nothing():
    roles_sync()
    before = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    roles_sync()
    after = {g.name: set(g.permissions.values_list("pk", flat=True)) for g in Group.objects.all()}
    assert before == after and set(before) >= set(ROLE_GROUP_NAMES.values())


def test_an_hr_officer_sees_only_their_subtree(two_provinces):
    roles_sync()
    hr = hr_officer_of(two_provinces["hanoi"])
    assert list(staff_list_in_scope(user=hr)) == [two_provinces["hn_staff"]]
    assert staff_in_scope_of(user=hr, staff=two_provinces["hn_staff"])
    assert not staff_in_scope_of(user=hr, staff=two_provinces["cb_staff"])
    assert two_provinces["caobang"] not in org_unit_list_in_scope(user=hr)


def test_an_hr_officer_of_two_units_sees_both(two_provinces):
    roles_sync()
    hr = hr_officer_of(two_provinces["hanoi"])
    hr_assignment_grant(user=hr, org_unit=two_provinces["caobang"])
    assert staff_list_in_scope(user=hr).count() == 2


def test_an_hr_officer_without_an_assignment_sees_nobody(two_provinces):
    roles_sync()
    user = UserFactory()
    user_role_grant(user=user, role=Role.HR_OFFICER)
    assert not staff_list_in_scope(user=user).exists()


def test_officers_and_trainers_see_no_staff_records(two_provinces):
    roles_sync()
    trainer = UserFactory()
    user_role_grant(user=trainer, role=Role.TRAINER)
    assert not staff_list_in_scope(user=trainer).exists()
    assert not staff_list_in_scope(user=two_provinces["hn_staff"].user).exists()


def test_administrators_see_everyone(two_provinces):
    roles_sync()
    admin = UserFactory()
    user_role_grant(user=admin, role=Role.ADMINISTRATOR)
    assert staff_list_in_scope(user=admin).count() == 2


def test_hr_of_another_province_cannot_edit_the_staff_record(client, two_provinces):
    roles_sync()
    client.force_login(hr_officer_of(two_provinces["caobang"]))
    url = reverse("staffrecord:edit", args=[two_provinces["hn_staff"].pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"full_name": "Hacked"})
    assert response.status_code == 404
    two_provinces["hn_staff"].refresh_from_db()
    assert two_provinces["hn_staff"].full_name != "Hacked"


def test_an_administrator_without_two_factor_is_sent_to_set_it_up(client):
    roles_sync()
    admin = UserFactory()
    user_role_grant(user=admin, role=Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_an_administrator_with_totp_reaches_the_admin(client):
    roles_sync()
    admin = UserFactory()
    user_role_grant(user=admin, role=Role.ADMINISTRATOR)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_trainers_and_hr_need_no_two_factor(client):
    roles_sync()
    trainer = UserFactory()
    user_role_grant(user=trainer, role=Role.TRAINER)
    client.force_login(trainer)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_the_wagtail_admin_login_goes_through_the_allauth_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.url.startswith(reverse("account_login"))


def test_login_accepts_username_or_email(client):
    user = UserFactory(username="canbo", email="canbo@example.vn")
    for login in ("canbo", "canbo@example.vn"):
        client.logout()
        response = client.post(
            reverse("account_login"), {"login": login, "password": "pw-12345-test"}
        )
        assert response.status_code == 302, login
        assert int(client.session["_auth_user_id"]) == user.pk


def test_repeated_failed_logins_are_rate_limited(client):
    from allauth.account.adapter import get_adapter
    from django.core.cache import cache

    cache.clear()
    UserFactory(username="canbo")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "canbo", "password": "wrong"})
    # the right password is refused too while the limit holds, with the "too many" message
    response = client.post(
        reverse("account_login"), {"login": "canbo", "password": "pw-12345-test"}
    )
    assert "_auth_user_id" not in client.session
    too_many = str(get_adapter().error_messages["too_many_login_attempts"])
    assert too_many in response.context["form"].non_field_errors()


def test_password_reset_sends_a_link_by_email(client, mailoutbox):
    UserFactory(username="canbo", email="canbo@example.vn")
    response = client.post(reverse("account_reset_password"), {"email": "canbo@example.vn"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/accounts/password/reset/key/" in mailoutbox[0].body
