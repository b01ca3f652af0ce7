"""The two-factor link on /me/ leads somewhere (issue 16, item 14): an officer invited by HR
has a verified address once she chose her password through the invitation, and anyone whose
address is still unverified is offered its verification link on the two-factor page."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from staff.accounts import staff_accounts_create
from tests.staff.factories import StaffRecordFactory, UserFactory, hr_officer_of

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Lua-chon-mat-khau-2025"


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def can_open_totp_activation(client, password) -> bool:
    client.post(reverse("account_reauthenticate"), {"password": password})
    response = client.get(reverse("mfa_activate_totp"))
    return response.status_code == 200 and "form" in response.context


def test_the_dashboard_links_to_two_factor(client):
    user = UserFactory()
    client.force_login(user)
    assert reverse("mfa_index") in client.get(reverse("dashboard")).content.decode()


def test_an_invited_officer_can_set_up_two_factor_after_choosing_her_password(
    client, provinces, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://lms.example.vn"
    hr = hr_officer_of(provinces["hanoi"])
    record = StaffRecordFactory(
        org_unit=provinces["ward"], user=None, personnel_number="HN-0042", email="o@example.vn"
    )
    with django_capture_on_commit_callbacks(execute=True):
        staff_accounts_create(staff_ids=[record.pk], created_by=hr)
    record.refresh_from_db()
    assert not EmailAddress.objects.get(user=record.user).verified
    path = link_in(mailoutbox[0]).removeprefix("https://lms.example.vn")
    form_url = client.get(path).url
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    # the link came to that mailbox: the address is verified
    assert EmailAddress.objects.get(user=record.user).verified

    client.post(reverse("account_login"), {"login": "hn-0042", "password": NEW_PASSWORD})
    assert can_open_totp_activation(client, NEW_PASSWORD)


def test_an_unverified_address_is_offered_its_verification_on_the_two_factor_page(
    client, mailoutbox
):
    user = UserFactory(username="canbo", email="canbo@example.vn")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)
    client.post(reverse("account_login"), {"login": "canbo", "password": "pw-12345-test"})
    # allauth refuses the device and sends her back to the two-factor page ...
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    page = response.content.decode()
    # ... which now says what to do, in Vietnamese, with the button that does it
    assert "Trước hết, hãy xác minh địa chỉ email" in page
    assert 'name="action_send"' in page and "canbo@example.vn" in page

    response = client.post(
        reverse("account_email"), {"email": "canbo@example.vn", "action_send": ""}
    )
    assert response.status_code == 302
    (message,) = mailoutbox
    assert "Vui lòng xác nhận địa chỉ email" in message.subject
    confirm_path = re.search(r"/accounts/confirm-email/\S+/", message.body).group(0)
    assert client.get(confirm_path).status_code == 200
    client.post(confirm_path)
    assert EmailAddress.objects.get(user=user).verified

    assert can_open_totp_activation(client, "pw-12345-test")
    page = client.get(reverse("mfa_index")).content.decode()
    assert "Trước hết, hãy xác minh địa chỉ email" not in page
