"""Admin list search ignores case and Vietnamese diacritics (đ → d included) on every database,
stays inside the HR scope, and survives hostile queries."""

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.exporting import staff_export_rows
from tests.staff.factories import PositionFactory, StaffRecordFactory, UserFactory, hr_officer_of

pytestmark = pytest.mark.django_db

HOSTILE = ["x" * 5000, "%", "_", "%_%", "!!!", "'; --", "\\", "“”…", "a " * 300, "\x00"]


@pytest.fixture
def administrator(roles):
    user = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


@pytest.fixture
def world(provinces):
    huong = StaffRecordFactory(
        full_name="Nguyễn Thị Thu Hương", personnel_number="HN-0001", org_unit=provinces["ward"]
    )
    other = StaffRecordFactory(
        full_name="Trần Văn Đức", personnel_number="HN-0002", org_unit=provinces["ward"]
    )
    return {**provinces, "huong": huong, "other": other}


def _found(client, url_name, query, *names):
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    return {name for name in names if name in page}


@pytest.mark.parametrize(
    "query", ["Nguyen", "HƯƠNG", "huong", "nguyễn hương", "THU huong", "hn-0001"]
)
def test_staff_search_ignores_case_and_diacritics(client, world, query):
    client.force_login(hr_officer_of(world["hanoi"]))
    found = _found(client, "staffrecord:index", query, "Nguyễn Thị Thu Hương", "Trần Văn Đức")
    assert found == {"Nguyễn Thị Thu Hương"}


def test_d_with_stroke_folds_to_d(client, world):
    client.force_login(hr_officer_of(world["hanoi"]))
    for query in ("duc", "ĐỨC", "đức"):
        found = _found(client, "staffrecord:index", query, "Nguyễn Thị Thu Hương", "Trần Văn Đức")
        assert found == {"Trần Văn Đức"}


def test_staff_search_stays_inside_the_hr_scope(client, world):
    client.force_login(hr_officer_of(world["caobang"]))
    for query in ("Nguyen", "HƯƠNG", "huong"):
        assert _found(client, "staffrecord:index", query, "Nguyễn Thị Thu Hương") == set()


def test_org_unit_and_position_searches_fold_too(client, world, administrator):
    PositionFactory(code="CC-TC", name="Công chức Tài chính")
    client.force_login(administrator)
    assert _found(client, "orgunit:index", "ha noi", "Hà Nội", "Cao Bằng") == {"Hà Nội"}
    assert _found(client, "orgunit:index", "CAO BANG", "Hà Nội", "Cao Bằng") == {"Cao Bằng"}
    assert _found(client, "position:index", "tai chinh", "Công chức Tài chính") == {
        "Công chức Tài chính"
    }


def test_the_org_unit_search_stays_inside_the_hr_scope(client, world):
    client.force_login(hr_officer_of(world["caobang"]))
    assert _found(client, "orgunit:index", "ba dinh", "Phường Ba Đình") == set()
    client.force_login(hr_officer_of(world["hanoi"]))
    assert _found(client, "orgunit:index", "ba dinh", "Phường Ba Đình") == {"Phường Ba Đình"}


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_do_not_fail(client, world, query):
    client.force_login(hr_officer_of(world["hanoi"]))
    for url_name in ("staffrecord:index", "orgunit:index"):
        response = client.get(reverse(url_name), {"q": query})
        assert response.status_code == 200


def test_percent_and_underscore_are_literal(client, world):
    StaffRecordFactory(full_name="Lê 100% Đạt", org_unit=world["ward"])
    client.force_login(hr_officer_of(world["hanoi"]))
    names = ("Nguyễn Thị Thu Hương", "Trần Văn Đức", "Lê 100% Đạt")
    assert _found(client, "staffrecord:index", "%", *names) == {"Lê 100% Đạt"}
    assert _found(client, "staffrecord:index", "_", *names) == set()


def test_the_export_searches_as_the_listing_does(world):
    hr = hr_officer_of(world["hanoi"])
    rows = staff_export_rows(user=hr, query="nguyen HUONG")
    assert [row[1] for row in rows[1:]] == ["Nguyễn Thị Thu Hương"]
    assert len(staff_export_rows(user=hr_officer_of(world["caobang"]), query="huong")) == 1


def test_searching_costs_no_query_of_its_own(client, world):
    client.force_login(hr_officer_of(world["hanoi"]))
    url = reverse("staffrecord:index")
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with CaptureQueriesContext(connection) as searched:
        client.get(url, {"q": "Nguyen Huong"})
    assert len(searched) <= len(plain)
