"""Absolute links (QR code, badge, verification JSON, exports, e-mails) point where the site
is: SITE_URL when configured (required in production), else the address it is reached at."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certificates.badges import openbadge_credential
from certificates.models import Certificate
from certificates.services import (
    certificate_issue,
    certificate_render_pdf,
    certificates_send_expiry_reminders,
)
from lms import site_url as site_url_module
from tests.certificates.factories import CertificateTemplateFactory
from tests.certificates.helpers import pdf_bytes
from tests.staff.factories import StaffRecordFactory, hr_officer_of

ROOT = Path(__file__).resolve().parents[2]
LAN = "http://192.168.1.20:8000"


@pytest.fixture
def lan(settings):
    settings.ALLOWED_HOSTS = ["192.168.1.20", "testserver"]
    settings.SITE_URL = "http://127.0.0.1:8000"  # the default: wrong for everyone else
    settings.SITE_URL_FROM_REQUEST = True


def issue_during_request(provinces, base=LAN, **kwargs):
    token = site_url_module._current.set(base)  # what SiteUrlMiddleware does
    try:
        return certificate_issue(
            staff=StaffRecordFactory(org_unit=provinces["ward"], email="a@example.vn"),
            template=CertificateTemplateFactory(),
            basis="manual:1",
            competencies=[],
            render=False,
            **kwargs,
        )
    finally:
        site_url_module._current.reset(token)


def test_a_certificate_remembers_the_address_it_was_issued_from(lan, provinces):
    certificate = issue_during_request(provinces)
    assert certificate.site_url == LAN
    rendered = certificate_render_pdf(certificate_id=certificate.pk)  # later, no request
    verify = LAN + reverse("certificates:verify", args=[certificate.verification_code])
    assert verify.encode() in pdf_bytes(rendered)  # the document's subject, as the QR code
    assert openbadge_credential(certificate=rendered)["id"] == verify


def test_the_verification_json_follows_the_request(lan, client, provinces):
    certificate = issue_during_request(provinces)
    facts = client.get(
        reverse("certificates:verify", args=[certificate.verification_code]),
        HTTP_ACCEPT="application/json",
        HTTP_HOST="192.168.1.20:8000",
    ).json()
    assert facts["verify_url"].startswith(LAN + "/verify/")


def test_a_reissue_in_the_admin_takes_the_admins_address(
    lan, client, provinces, django_capture_on_commit_callbacks
):
    certificate = issue_during_request(provinces, base="")
    client.force_login(hr_officer_of(provinces["hanoi"]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("certificate:reissue", args=[certificate.pk]),
            {"reason": "Sửa họ tên"},
            HTTP_HOST="192.168.1.20:8000",
        )
    new = Certificate.objects.get(basis=f"reissue:{certificate.pk}")
    assert new.site_url == LAN
    assert (LAN + "/verify/" + new.verification_code).encode() in pdf_bytes(new)


def test_the_expiry_reminder_links_to_where_the_certificate_was_issued(lan, provinces):
    certificate = issue_during_request(provinces)
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() + timezone.timedelta(days=5)
    )
    assert certificates_send_expiry_reminders() == 1
    assert LAN + reverse("certificates:my_certificates") in mail.outbox[0].body


def test_with_site_url_configured_the_request_host_is_ignored(settings, client, provinces):
    settings.SITE_URL = "https://nangluc.example.gov.vn"
    settings.SITE_URL_FROM_REQUEST = False
    settings.ALLOWED_HOSTS = ["192.168.1.20", "testserver"]
    certificate = issue_during_request(provinces)
    assert certificate.site_url == ""
    facts = client.get(
        reverse("certificates:verify", args=[certificate.verification_code]),
        HTTP_ACCEPT="application/json",
        HTTP_HOST="192.168.1.20:8000",
    ).json()
    assert facts["verify_url"].startswith("https://nangluc.example.gov.vn/verify/")


def test_a_host_outside_allowed_hosts_is_never_printed(lan, rf):
    request = rf.get("/", HTTP_HOST="evil.example.com")
    assert site_url_module.site_url(request) == "http://127.0.0.1:8000"


def _production(**env_vars):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "ALLAUTH_")) and k != "SITE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="x7Jq!m2#pV9@rT4$wZ8&nB6^cF1*hK3(sD5)gL0_yU" * 2,
        DJANGO_ALLOWED_HOSTS="lms.example.gov.vn",
        **env_vars,
    )
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SITE_URL, settings.SITE_URL_FROM_REQUEST)",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_site_url():
    result = _production()
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr
    assert _production(SITE_URL="lms.example.gov.vn").returncode != 0  # not an address
    ok = _production(SITE_URL="https://lms.example.gov.vn/")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.split() == ["https://lms.example.gov.vn", "False"]
