"""Behind the reverse proxy, the verification rate limit counts per client, with the same
client IP as allauth's login rate limits (ALLAUTH_TRUSTED_PROXY_COUNT)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.5"  # the nginx every request comes from


def lookup(client, forwarded_for=None):
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded_for:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded_for
    code = secrets.token_urlsafe(32)
    return client.get(reverse("certificates:verify", args=[code]), **headers).status_code


@pytest.fixture
def limit(settings):
    settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE = 3
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    return 3


@pytest.mark.django_db
def test_two_visitors_behind_one_proxy_have_their_own_budgets(client, limit):
    for _ in range(limit):
        assert lookup(client, "203.0.113.7") == 404
    assert lookup(client, "203.0.113.7") == 429
    assert lookup(client, "198.51.100.9") == 404  # someone else, same proxy


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_buy_a_new_budget(client, limit):
    # the proxy appends the address it saw; whatever the client wrote stays on the left
    for n in range(limit):
        assert lookup(client, f"1.2.3.{n}, 203.0.113.7") == 404
    assert lookup(client, "9.9.9.9, 203.0.113.7") == 429


@pytest.mark.django_db
def test_without_trusted_proxies_the_header_is_ignored(client, limit, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(limit):
        assert lookup(client, f"203.0.113.{n}") == 404
    assert lookup(client, "203.0.113.99") == 429  # all counted as the proxy's address


@pytest.mark.django_db
def test_a_proxy_count_longer_than_the_chain_counts_the_peer_not_an_error(client, limit, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2  # one proxy really in front: a misconfiguration
    for _ in range(limit):
        assert lookup(client, "203.0.113.7") == 404
    assert lookup(client, "198.51.100.9") == 429  # one shared budget, never a 500


def production_setting(**env_vars) -> str:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "ALLAUTH_")) and k != "SITE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="x7Jq!m2#pV9@rT4$wZ8&nB6^cF1*hK3(sD5)gL0_yU" * 2,
        DJANGO_ALLOWED_HOSTS="lms.example.gov.vn",
        SITE_URL="https://lms.example.gov.vn",
        **env_vars,
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.ALLAUTH_TRUSTED_PROXY_COUNT)",
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_trusts_one_proxy_unless_told_otherwise():
    assert production_setting() == "1"
    assert production_setting(ALLAUTH_TRUSTED_PROXY_COUNT="0") == "0"
    assert production_setting(ALLAUTH_TRUSTED_PROXY_COUNT="2") == "2"
