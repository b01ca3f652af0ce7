"""The staff screens HR uses read as words: "Đang công tác Có", "Ngày sinh —", dd/mm/yyyy dates,
never Wagtail's raw "True", "False" or "None"."""

from datetime import date

import pytest
from django.urls import reverse

from tests.screen_text import raw_words, screen_text
from tests.staff.factories import StaffRecordFactory, hr_officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr(provinces):
    return hr_officer_of(provinces["hanoi"])


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return screen_text(response.content.decode())


def test_a_record_without_birth_date_or_account_reads_as_words(client, hr, provinces):
    staff = StaffRecordFactory(org_unit=provinces["ward"], user=None, phone="", active=True)
    text = page(client, hr, reverse("staffrecord:inspect", args=[staff.pk]))
    assert "Đang công tác Có" in text
    assert "Ngày sinh —" in text
    assert "Tài khoản —" in text
    assert not raw_words(text), raw_words(text)


def test_dates_read_dd_mm_yyyy_and_a_former_officer_reads_khong(client, hr, provinces):
    staff = StaffRecordFactory(
        org_unit=provinces["ward"], date_of_birth=date(1990, 3, 7), active=False
    )
    text = page(client, hr, reverse("staffrecord:inspect", args=[staff.pk]))
    assert "Ngày sinh 07/03/1990" in text
    assert "Đang công tác Không" in text
    assert not raw_words(text)


def test_the_listing_says_co_and_khong(client, hr, provinces):
    StaffRecordFactory(org_unit=provinces["ward"], full_name="Lê Văn An", active=True)
    StaffRecordFactory(org_unit=provinces["ward"], full_name="Phạm Thị Bình", active=False)
    text = page(client, hr, reverse("staffrecord:index"))
    assert "Lê Văn An" in text and "Phạm Thị Bình" in text
    assert " Có " in f" {text} " and " Không " in f" {text} "
    assert not raw_words(text), raw_words(text)


def test_the_org_unit_listing_shows_empty_dates_as_a_dash(client, hr, provinces):
    text = page(client, hr, reverse("orgunit:index"))
    assert "Phường Ba Đình" in text and "—" in text
    assert not raw_words(text)
