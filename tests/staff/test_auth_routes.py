"""Every sign-in goes through allauth, and an administrator reaches the admin only from a session
that passed the second factor (issue 16, item 1)."""

import re
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import LocalePrefixPattern, RegexPattern

from staff.roles import Role
from staff.services import user_role_grant
from tests.conftest import force_login_password_only
from tests.staff.factories import UserFactory

PASSWORD = "pw-12345-test"
SECRET = "JBSWY3DPEHPK3PXP"
LOGIN_LOOKING = re.compile(r"login|log-in|signin|sign-in|auth|passw|signup", re.IGNORECASE)
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")


def _route_samples(pattern) -> list[str]:
    """The concrete prefixes a pattern stands for (a locale prefix: one per language)."""
    if isinstance(pattern, LocalePrefixPattern):
        prefixes = []
        for code, _name in settings.LANGUAGES:
            if code == settings.LANGUAGE_CODE and not pattern.prefix_default_language:
                prefixes.append("")
            else:
                prefixes.append(f"{code}/")
        return prefixes
    text = str(pattern)
    if isinstance(pattern, RegexPattern):
        text = REGEX_GROUP.sub("x1", text).lstrip("^").rstrip("$")
    else:
        text = CONVERTER.sub(lambda m: "1" if m["kind"] == "int" else "x1", text)
    return [text]


def _walk(patterns, prefixes=("",)):
    for entry in patterns:
        here = [p + s for p in prefixes for s in _route_samples(entry.pattern)]
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, here)
        elif isinstance(entry, URLPattern):
            for path in here:
                yield "/" + path, entry.name or ""


def login_looking_urls() -> list[str]:
    urls = sorted(
        {path for path, name in _walk(get_resolver().url_patterns) if LOGIN_LOOKING.search(path)}
        | {path for path, name in _walk(get_resolver().url_patterns) if LOGIN_LOOKING.search(name)}
    )
    for url in urls:
        resolve(url)  # every sample is a real address of the URLconf
    return urls


def credentials(user) -> dict:
    return {
        "login": user.username,
        "username": user.username,
        "email": user.email,
        "password": PASSWORD,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "oldpassword": PASSWORD,
        "next": "/admin/",
    }


@pytest.fixture
def quantri(roles):
    user = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    user_role_grant(user=user, role=Role.ADMINISTRATOR)
    TOTP.activate(user, SECRET)
    return user


def current_code() -> str:
    return format_hotp_value(hotp_value(SECRET, int(time.time()) // 30))


def opens_the_admin(client) -> bool:
    response = client.get("/admin/")
    return response.status_code == 200


def test_the_walk_finds_the_wagtail_and_allauth_login_pages():
    urls = login_looking_urls()
    for expected in ("/_util/login/", "/en/_util/login/", "/admin/login/", "/accounts/login/"):
        assert expected in urls
    assert "/admin/password_reset/" in urls


def test_no_login_looking_url_opens_the_admin_without_the_second_factor(quantri):
    urls = login_looking_urls()
    assert len(urls) > 10
    for url in urls:
        client = Client()
        client.get(url)
        client.post(url, credentials(quantri))
        assert not opens_the_admin(client), url
        # whatever the route left in the session, it holds no second factor
        assert not any(
            r.get("method") == "mfa"
            for r in client.session.get("account_authentication_methods", [])
        ), url


def test_wagtail_login_pages_lead_to_the_allauth_login_keeping_next(client):
    for url in ("/_util/login/", "/en/_util/login/", "/admin/login/"):
        response = client.post(f"{url}?next=/admin/pages/", {"username": "x", "password": "y"})
        assert response.status_code == 302, url
        assert response.url == reverse("account_login") + "?next=/admin/pages/", url


def test_wagtail_password_reset_pages_lead_to_the_allauth_reset(client):
    for url in ("/admin/password_reset/", "/admin/password_reset/confirm/x1/x1/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("account_reset_password")


def test_the_allauth_sign_in_with_the_totp_code_opens_the_admin(client, quantri):
    response = client.post(reverse("account_login"), credentials(quantri))
    assert response.url.startswith(reverse("mfa_authenticate"))
    assert not opens_the_admin(client)
    client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert opens_the_admin(client)


def test_an_enrolled_administrator_whose_session_skipped_the_code_must_confirm_it(client, quantri):
    force_login_password_only(client, quantri)
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response.url == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2Fpages%2F"
    # the rest of the account pages wait too: a password alone must not remove the device
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.url.startswith(reverse("mfa_reauthenticate"))
    # the code prompt works, and leads back to where the administrator was going
    response = client.post(
        reverse("mfa_reauthenticate") + "?next=/admin/pages/", {"code": current_code()}
    )
    assert response.status_code == 302 and response.url == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_an_administrator_without_a_device_is_still_sent_to_set_one_up(client, roles):
    admin = UserFactory(is_superuser=True, is_staff=True)
    force_login_password_only(client, admin)
    response = client.get("/admin/")
    assert response.url == reverse("mfa_activate_totp")


def _page_tree_after_a_flush() -> None:
    """A transactional test starts from a flushed database: the Wagtail root and locale that
    migrations create are gone, and the admin dashboard needs them."""
    from django.conf import settings as django_settings
    from wagtail.models import Locale, Page

    from tests.courses.factories import site_home

    Locale.objects.get_or_create(language_code=django_settings.LANGUAGE_CODE)
    if not Page.objects.exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    site_home()


# transaction=True: allauth announces the new device on commit, as in a real request
@pytest.mark.django_db(transaction=True)
def test_setting_up_totp_counts_as_passing_the_second_factor_in_that_session(client, roles):
    _page_tree_after_a_flush()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.post(reverse("account_login"), {"login": admin.username, "password": PASSWORD})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    assert opens_the_admin(client)


def test_many_wrong_passwords_keep_every_route_throttled(quantri):
    urls = login_looking_urls()
    client = Client()
    for attempt in range(25):
        url = urls[attempt % len(urls)]
        client.post(url, {**credentials(quantri), "login": "quantri", "password": "wrong"})
        client.post(reverse("account_login"), {"login": "quantri", "password": "wrong"})
    for url in urls:
        attacker = Client()
        attacker.post(url, credentials(quantri))
        assert "_auth_user_id" not in attacker.session, url
        assert not opens_the_admin(attacker), url
    # allauth says why, rather than taking the right password
    response = Client().post(reverse("account_login"), credentials(quantri))
    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session
