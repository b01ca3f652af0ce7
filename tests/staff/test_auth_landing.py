"""Each role lands where it works after signing in, and is offered only what it can use
(issue 16, item 18)."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.urls import reverse

from staff.roles import Role
from staff.services import user_role_grant
from tests.staff.factories import StaffRecordFactory, UserFactory

PASSWORD = "pw-12345-test"
SECRET = "JBSWY3DPEHPK3PXP"


def user_of(role):
    user = UserFactory()
    if role is not None:
        user_role_grant(user=user, role=role)
    return user


def sign_in(client, user, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.username, "password": PASSWORD})


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.TRAINER])
def test_hr_and_trainers_land_on_the_admin_dashboard(client, roles, role):
    response = sign_in(client, user_of(role))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert client.get(response.url).status_code == 200


def test_officers_land_on_their_own_page(client, roles):
    officer = StaffRecordFactory().user
    user_role_grant(user=officer, role=Role.OFFICER)
    response = sign_in(client, officer)
    assert response.url == reverse("dashboard")


def test_administrators_land_on_the_admin_after_their_code(client, roles):
    admin = user_of(Role.ADMINISTRATOR)
    TOTP.activate(admin, SECRET)
    response = sign_in(client, admin)
    assert response.url.startswith(reverse("mfa_authenticate"))
    code = format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.url == reverse("wagtailadmin_home")


def test_an_explicit_next_still_wins(client, roles):
    response = sign_in(client, user_of(Role.HR_OFFICER), next_url="/me/")
    assert response.url == "/me/"


def test_hr_is_not_offered_a_page_search_it_may_not_use(client, roles):
    client.force_login(user_of(Role.HR_OFFICER))
    home = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="en")
    assert home.status_code == 200
    assert home.context["root_page"] is None
    assert 'role="search"' not in home.content.decode().split("w-dashboard", 1)[1]


def test_who_may_explore_pages_keeps_the_page_search(client, roles):
    admin = UserFactory(is_superuser=True, is_staff=True)
    TOTP.activate(admin, SECRET)
    client.force_login(admin)
    home = client.get(reverse("wagtailadmin_home"))
    assert home.context["root_page"] is not None
    assert 'role="search"' in home.content.decode().split("w-dashboard", 1)[1]


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.TRAINER])
def test_my_page_without_a_staff_record_leads_staff_to_the_admin(client, roles, role):
    client.force_login(user_of(role))
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("wagtailadmin_home") in page
    assert "chưa gắn với hồ sơ cán bộ" not in page


def test_my_page_without_a_staff_record_tells_others_to_ask_hr(client, roles):
    client.force_login(user_of(None))
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("wagtailadmin_home") not in page
    assert "chưa gắn với hồ sơ cán bộ" in page
