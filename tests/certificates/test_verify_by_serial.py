"""The serial printed on a certificate verifies it together with the holder's full name (both
required; case, spacing and diacritics ignored), under the same rate limit, with one answer for
every mismatch; the home page offers the code and the serial forms, without JavaScript."""

import re

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.selectors import name_fold, serial_normalise
from certificates.services import certificate_issue
from tests.certificates.factories import CertificateTemplateFactory
from tests.courses.factories import site_home
from tests.staff.factories import StaffRecordFactory

URL = reverse("certificates:verify_start")


@pytest.fixture
def certificate(db):
    return certificate_issue(
        staff=StaffRecordFactory(full_name="Nguyễn Thị Hương Đào"),
        template=CertificateTemplateFactory(),
        basis="manual:1",
        competencies=[],
        render=False,
    )


def same_page(response) -> str:
    """The page without what differs per response anyway (CSRF tokens, CSP nonces)."""
    html = response.content.decode()
    return re.sub(r'(value|nonce|content)="[A-Za-z0-9+/=_-]{20,}"', "", html)


def lookup(client, serial, name, **extra):
    return client.post(URL, {"serial": serial, "name": name}, **extra)


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Thị Hương Đào",
        "nguyen thi huong dao",
        "  NGUYỄN   THỊ  hương  đào ",
        "Nguyen Thi Huong Dao",
    ],
)
def test_the_serial_and_the_name_find_the_certificate(client, certificate, name):
    response = lookup(client, certificate.serial.lower(), name)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-status="valid"' in html and certificate.serial in html


def test_a_wrong_name_and_an_unknown_serial_get_the_same_answer(client, certificate):
    wrong_name = lookup(client, certificate.serial, "Nguyễn Thị Hương")
    unknown = lookup(client, "CC-2026-999999", "Nguyễn Thị Hương Đào")
    assert wrong_name.status_code == unknown.status_code == 404
    assert same_page(wrong_name) == same_page(unknown)
    assert certificate.serial not in wrong_name.content.decode()


@pytest.mark.parametrize(
    ("serial", "name"), [("", "Nguyễn Thị Hương Đào"), ("CC-2026-000001", ""), ("", "")]
)
def test_both_fields_are_required(client, certificate, serial, name):
    response = lookup(client, serial, name)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert "Hãy nhập" in html  # a clear Vietnamese message
    assert 'data-status="' not in html  # nothing is looked up


@pytest.mark.parametrize(
    ("serial", "name"),
    [
        ("C" * 10_000, "Nguyễn Thị Hương Đào"),
        ("CC-2026-000001", "x" * 100_000),
        ("CC-2026-000001\x00", "Nguyễn\x00"),
        ("ＣＣ－２０２６", "\u202eoad gnouH\u200b"),
        ("' OR 1=1 --", "<script>alert(1)</script>"),
        ("🙂🙂", "𝕹𝖌𝖚𝖞𝖊̂̃𝖓"),
    ],
)
def test_hostile_input_gets_a_clear_answer_never_an_error(client, certificate, serial, name):
    response = lookup(client, serial, name)
    assert response.status_code in (400, 404)
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_lookups_by_serial_count_against_the_same_rate_limit(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE = 3
    for _ in range(3):
        assert lookup(client, "CC-2026-999999", "Ai đó").status_code == 404
    assert lookup(client, certificate.serial, certificate.holder_name).status_code == 429
    # and the code lookups share the budget
    code_url = reverse("certificates:verify", args=[certificate.verification_code])
    assert client.get(code_url).status_code == 429


def test_a_revoked_certificate_found_by_serial_says_revoked(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED, public_reason="issued_in_error"
    )
    html = lookup(client, certificate.serial, certificate.holder_name).content.decode()
    assert 'data-status="revoked"' in html and "Cấp nhầm" in html


def test_the_start_page_offers_the_serial_form(client, db):
    html = client.get(URL).content.decode()
    assert 'name="serial"' in html and 'name="name"' in html and "data-serial-form" in html


def test_a_code_field_of_slashes_only_shows_the_form_again(client, db):
    assert client.get(URL, {"code": "///"}).status_code == 200


def test_the_home_page_has_working_verification_forms(client, certificate):
    home = site_home()
    response = client.get(home.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-home-verify" in html
    assert 'name="code"' in html and 'name="serial"' in html and 'name="name"' in html
    assert f'action="{URL}"' in html
    assert "csrfmiddlewaretoken" in html


def test_names_fold_for_comparison_and_serials_normalise():
    assert name_fold("  ĐẶNG   Văn Ơn ") == name_fold("dang van on") == "dang van on"
    assert serial_normalise(" cc 2026–000001 ") == "CC-2026-000001"
