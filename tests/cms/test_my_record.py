from datetime import date

import pytest
from django.urls import reverse

from staff.models import StaffHistory
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hanoi_ward():
    ministry = OrgUnitFactory(code="BKHCN", kind="ministry")
    hanoi = OrgUnitFactory(code="01", name="Hà Nội", parent=ministry)
    return OrgUnitFactory(code="01-BD", name="Phường Ba Đình", kind="ward", parent=hanoi)


def test_an_officer_sees_their_own_record_and_position_history(client, hanoi_ward):
    record = StaffRecordFactory(
        org_unit=hanoi_ward,
        full_name="Nguyễn Thị Thu Hương",
        personnel_number="HN-0007",
        date_of_birth=date(1990, 2, 3),
        phone="0912 345 678",
        position__name="Công chức văn hoá - xã hội",
    )
    old = OrgUnitFactory(
        code="01-HK", name="Phường Hoàn Kiếm", kind="ward", parent=hanoi_ward.get_parent()
    )
    StaffHistory.objects.create(
        staff=record, org_unit=hanoi_ward, position=record.position, started_on=date(2025, 7, 1)
    )
    StaffHistory.objects.create(
        staff=record,
        org_unit=old,
        position=record.position,
        started_on=date(2020, 1, 15),
        ended_on=date(2025, 6, 30),
    )
    StaffRecordFactory(org_unit=hanoi_ward, full_name="Người Khác")
    client.force_login(record.user)
    response = client.get(reverse("my_record"))
    assert response.status_code == 200
    content = response.content.decode()
    for text in [
        "HN-0007",
        "Nguyễn Thị Thu Hương",
        "03/02/1990",
        "Phường Ba Đình",
        "Hà Nội",
        "Công chức văn hoá - xã hội",
        "0912 345 678",
    ]:
        assert text in content, text
    assert "Người Khác" not in content
    assert [h.started_on for h in response.context["history"]] == [
        date(2020, 1, 15),
        date(2025, 7, 1),
    ]
    assert content.index("15/01/2020") < content.index("01/07/2025")


def test_an_account_without_a_staff_record_gets_a_message_not_an_error(client):
    client.force_login(UserFactory())
    response = client.get(reverse("my_record"))
    assert response.status_code == 200 and response.context["staff"] is None


def test_my_record_needs_a_login(client):
    response = client.get(reverse("my_record"))
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
