"""Rate limits trust X-Forwarded-For only from the configured proxies (issue 16, item 5): one
setting, ALLAUTH_TRUSTED_PROXY_COUNT, drives allauth's limits and the verification limit."""

import secrets

import pytest
from django.test import RequestFactory
from django.urls import reverse

from staff.adapters import client_ip
from tests.staff.factories import UserFactory

CLIENT = "203.0.113.50"  # a client reaching gunicorn directly
PROXY = "127.0.0.1"  # the documented nginx on the same machine


def verify(client, *, remote_addr, forwarded_for):
    return client.get(
        reverse("certificates:verify", args=[secrets.token_urlsafe(32)]),
        REMOTE_ADDR=remote_addr,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    ).status_code


def test_the_embedded_mode_ignores_forwarded_headers(settings):
    from lms.settings import base

    assert base.ALLAUTH_TRUSTED_PROXY_COUNT == 0


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1, 2])
def test_forty_lookups_with_forged_forwarded_for_from_one_client_hit_429(client, settings, proxies):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    assert settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE < 40
    statuses = [
        verify(client, remote_addr=CLIENT, forwarded_for=f"198.51.100.{n}, 192.0.2.{n}")
        for n in range(40)
    ]
    assert 429 in statuses
    assert statuses.index(429) == settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE


def test_with_one_proxy_the_right_most_forwarded_address_is_the_client(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "203.0.113.7"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7, 10.0.0.9"
    )
    assert client_ip(request) == "203.0.113.7"


def test_a_forwarded_header_from_a_public_peer_is_ignored(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get("/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == CLIENT


def test_a_garbled_or_short_chain_counts_the_peer(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    short = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(short) == PROXY
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    garbled = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(garbled) == PROXY


@pytest.mark.django_db
def test_forged_forwarded_for_buys_no_new_login_attempts(client, settings):
    from allauth.account.adapter import get_adapter

    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    UserFactory(username="canbo")
    for n in range(6):
        client.post(
            reverse("account_login"),
            {"login": f"someone{n}", "password": "wrong"},
            REMOTE_ADDR=CLIENT,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
    response = client.post(
        reverse("account_login"),
        {"login": "canbo", "password": "pw-12345-test"},
        REMOTE_ADDR=CLIENT,
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )
    assert "_auth_user_id" not in client.session
    too_many = str(get_adapter().error_messages["too_many_login_attempts"])
    assert too_many in response.context["form"].non_field_errors()
