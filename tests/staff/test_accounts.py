import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from staff.accounts import (
    SkipReason,
    staff_account_invite_again,
    staff_accounts_create,
)
from staff.roles import Role
from staff.selectors import user_has_role
from staff.services import user_role_grant
from tests.staff.factories import StaffRecordFactory, UserFactory, hr_officer_of

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_PASSWORD = "Lua-chon-mat-khau-2025"


def unlinked(unit, **kwargs):
    return StaffRecordFactory(org_unit=unit, user=None, **kwargs)


def create(django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return staff_accounts_create(**kwargs)


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_hr_creates_an_officer_account_for_each_selected_record_in_scope(
    provinces, mailoutbox, django_capture_on_commit_callbacks
):
    hr = hr_officer_of(provinces["hanoi"])
    a = unlinked(provinces["ward"], personnel_number="HN-0001", email="a@example.vn")
    b = unlinked(provinces["ward"], personnel_number="HN-0002", email="B@Example.vn")
    result = create(django_capture_on_commit_callbacks, staff_ids=[a.pk, b.pk], created_by=hr)
    assert [r.pk for r in result.created] == [a.pk, b.pk] and result.skipped == []
    a.refresh_from_db()
    user = a.user
    assert (user.username, user.email, user.first_name) == ("hn-0001", "a@example.vn", a.full_name)
    assert not user.has_usable_password()
    assert user_has_role(user=user, role=Role.OFFICER)
    assert not user.is_staff
    assert sorted(m.to[0] for m in mailoutbox) == ["B@Example.vn", "a@example.vn"]


def test_records_outside_the_scope_are_ignored_and_not_named(
    provinces, mailoutbox, django_capture_on_commit_callbacks
):
    hr = hr_officer_of(provinces["hanoi"])
    foreign = unlinked(provinces["commune"], full_name="Bế Văn Bắc", email="b@example.vn")
    result = create(
        django_capture_on_commit_callbacks, staff_ids=[foreign.pk, 999999], created_by=hr
    )
    assert result.created == []
    assert [(s.staff_id, s.reason) for s in result.skipped] == [
        (foreign.pk, SkipReason.OUT_OF_SCOPE),
        (999999, SkipReason.OUT_OF_SCOPE),
    ]
    assert all("Bế Văn Bắc" not in s.label for s in result.skipped)
    foreign.refresh_from_db()
    assert foreign.user is None and mailoutbox == []


def test_each_record_that_cannot_get_an_account_is_skipped_with_its_reason(
    provinces, mailoutbox, django_capture_on_commit_callbacks
):
    hr = hr_officer_of(provinces["hanoi"])
    ward = provinces["ward"]
    UserFactory(username="someone", email="taken@example.vn")
    UserFactory(username="hn-taken", email="x@example.vn")
    linked = StaffRecordFactory(org_unit=ward)
    no_email = unlinked(ward, email="")
    email_taken = unlinked(ward, email="TAKEN@example.vn")
    username_taken = unlinked(ward, personnel_number="HN-TAKEN", email="n@example.vn")
    bad_username = unlinked(ward, personnel_number="HN 01/2", email="m@example.vn")
    retired = unlinked(ward, email="r@example.vn", active=False)
    first = unlinked(ward, email="same@example.vn")
    second = unlinked(ward, email="same@example.vn")
    records = [linked, no_email, email_taken, username_taken, bad_username, retired, first, second]
    result = create(
        django_capture_on_commit_callbacks,
        staff_ids=[str(r.pk) for r in records] + ["not-a-number"],
        created_by=hr,
    )
    assert [r.pk for r in result.created] == [first.pk]
    assert {s.staff_id: s.reason for s in result.skipped} == {
        linked.pk: SkipReason.LINKED,
        no_email.pk: SkipReason.NO_EMAIL,
        email_taken.pk: SkipReason.EMAIL_TAKEN,
        username_taken.pk: SkipReason.USERNAME_TAKEN,
        bad_username.pk: SkipReason.USERNAME_INVALID,
        retired.pk: SkipReason.INACTIVE,
        second.pk: SkipReason.EMAIL_TAKEN,
    }
    assert len(mailoutbox) == 1


def test_creating_twice_creates_nothing_more(
    provinces, mailoutbox, django_capture_on_commit_callbacks
):
    hr = hr_officer_of(provinces["hanoi"])
    ids = [unlinked(provinces["ward"], email=f"o{i}@example.vn").pk for i in range(3)]
    create(django_capture_on_commit_callbacks, staff_ids=ids, created_by=hr)
    users = User.objects.count()
    again = create(django_capture_on_commit_callbacks, staff_ids=ids, created_by=hr)
    assert again.created == []
    assert {s.reason for s in again.skipped} == {SkipReason.LINKED}
    assert User.objects.count() == users and len(mailoutbox) == 3


def test_no_invitation_leaves_before_the_accounts_are_committed(provinces, mailoutbox):
    hr = hr_officer_of(provinces["hanoi"])
    record = unlinked(provinces["ward"], email="o@example.vn")
    # inside the test's transaction nothing is committed, so nothing may be sent yet
    staff_accounts_create(staff_ids=[record.pk], created_by=hr)
    assert mailoutbox == []


def test_the_invitation_link_lets_the_officer_choose_a_password_and_sign_in(
    client, provinces, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://lms.example.vn"
    hr = hr_officer_of(provinces["hanoi"])
    record = unlinked(provinces["ward"], personnel_number="HN-0042", email="o@example.vn")
    create(django_capture_on_commit_callbacks, staff_ids=[record.pk], created_by=hr)
    (message,) = mailoutbox
    url = link_in(message)
    assert url.startswith("https://lms.example.vn/accounts/password/reset/key/")
    assert "hn-0042" in message.body and record.full_name in message.body
    assert "&amp;" not in message.subject + message.body

    path = url.removeprefix("https://lms.example.vn")
    response = client.get(path)
    assert response.status_code == 302  # allauth moves the key out of the address
    form_url = response.url
    assert client.get(form_url).status_code == 200
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_from_key_done")

    response = client.post(reverse("account_login"), {"login": "hn-0042", "password": NEW_PASSWORD})
    assert response.status_code == 302
    record.refresh_from_db()
    assert int(client.session["_auth_user_id"]) == record.user_id
    # the link worked once: the password it set has retired it
    client.logout()
    response = client.get(path, follow=True)
    assert response.context["token_fail"]


def test_an_officer_who_never_signed_in_can_be_invited_again(
    provinces, mailoutbox, django_capture_on_commit_callbacks
):
    hr = hr_officer_of(provinces["hanoi"])
    record = unlinked(provinces["ward"], email="o@example.vn")
    create(django_capture_on_commit_callbacks, staff_ids=[record.pk], created_by=hr)
    record.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        staff_account_invite_again(staff=record, by=hr)
    assert len(mailoutbox) == 2 and link_in(mailoutbox[1])

    record.user.last_login = timezone.now()
    record.user.save()
    with pytest.raises(ValidationError):
        staff_account_invite_again(staff=record, by=hr)


def test_hr_of_another_province_cannot_invite_again(provinces, mailoutbox):
    record = StaffRecordFactory(org_unit=provinces["ward"])
    with pytest.raises(PermissionDenied):
        staff_account_invite_again(staff=record, by=hr_officer_of(provinces["caobang"]))
    assert mailoutbox == []


def test_the_accounts_screen_lists_only_staff_in_scope_without_account(client, provinces):
    unlinked(provinces["ward"], full_name="Người Hà Nội Chưa Có", email="a@example.vn")
    StaffRecordFactory(org_unit=provinces["ward"], full_name="Người Hà Nội Đã Có")
    unlinked(provinces["commune"], full_name="Người Cao Bằng", email="c@example.vn")
    client.force_login(hr_officer_of(provinces["hanoi"]))
    content = client.get(reverse("staff_accounts")).content.decode()
    assert "Người Hà Nội Chưa Có" in content
    assert "Người Hà Nội Đã Có" not in content and "Người Cao Bằng" not in content

    response = client.get(reverse("staff_accounts"), {"unit": "04"})
    assert response.context["form"].errors["unit"]


def test_the_accounts_screen_creates_and_summarises(
    client, provinces, mailoutbox, django_capture_on_commit_callbacks
):
    ok = unlinked(provinces["ward"], full_name="Có Thư", email="a@example.vn")
    missing = unlinked(provinces["ward"], full_name="Không Thư", email="")
    client.force_login(hr_officer_of(provinces["hanoi"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("staff_accounts"), {"staff": [ok.pk, missing.pk]})
    assert response.status_code == 200
    result = response.context["result"]
    assert [r.pk for r in result.created] == [ok.pk]
    assert [(s.staff_id, s.reason) for s in result.skipped] == [(missing.pk, SkipReason.NO_EMAIL)]
    assert "Không Thư" in response.content.decode() and len(mailoutbox) == 1


def test_the_invite_again_button_answers_404_outside_the_scope(client, provinces, mailoutbox):
    record = StaffRecordFactory(org_unit=provinces["ward"])
    client.force_login(hr_officer_of(provinces["caobang"]))
    response = client.post(reverse("staff_account_invite_again", args=[record.pk]))
    assert response.status_code == 404 and mailoutbox == []


def test_a_trainer_cannot_create_accounts(client, provinces):
    record = unlinked(provinces["ward"], email="a@example.vn")
    trainer = UserFactory()
    user_role_grant(user=trainer, role=Role.TRAINER)
    client.force_login(trainer)
    response = client.post(reverse("staff_accounts"), {"staff": [record.pk]})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    record.refresh_from_db()
    assert record.user is None


def test_hr_finds_the_export_and_accounts_screens_in_the_admin_menu(client, provinces):
    client.force_login(hr_officer_of(provinces["hanoi"]))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("staff_export") in home and reverse("staff_accounts") in home

    trainer = UserFactory()
    user_role_grant(user=trainer, role=Role.TRAINER)
    client.force_login(trainer)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("staff_export") not in home and reverse("staff_accounts") not in home
