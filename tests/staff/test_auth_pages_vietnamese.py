"""Every allauth screen an officer or a member of staff can reach speaks Vietnamese
(issue 16, item 14): each allauth URL is rendered, anonymous and signed in, and no text of the
page is one of allauth's English interface strings."""

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import allauth
import polib
import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from tests.staff.factories import UserFactory

PROJECT_PO = Path(settings.LOCALE_PATHS[0]) / "vi" / "LC_MESSAGES" / "django.po"
ALLAUTH_PO = Path(allauth.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{[^}]*\}\}")
CONVERTER = re.compile(r"<(?:(?P<kind>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<\w+>[^)]*\)")
# attributes whose text a user reads or hears
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "value"}


@cache
def english_interface_strings() -> list[tuple[str, re.Pattern]]:
    """allauth's msgids, as patterns over one text of a page (placeholders match anything),
    except those our catalogue deliberately keeps as they are ("Email" is Vietnamese too)."""
    ours = polib.pofile(str(PROJECT_PO))
    kept_as_is = {e.msgid for e in ours if e.msgstr and e.msgstr == e.msgid}
    patterns = []
    for entry in polib.pofile(str(ALLAUTH_PO)):
        msgid = " ".join(entry.msgid.split())
        if entry.msgid in kept_as_is or not re.search(r"[A-Za-z]{2}", msgid):
            continue
        pieces = [re.escape(p) for p in PLACEHOLDER.split(msgid)]
        patterns.append((msgid, re.compile(r"\s*" + r".+?".join(pieces) + r"\s*", re.I)))
    return patterns


class _Texts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and not (tag == "input" and name == "value"):
                self.texts.append(value)
            if tag == "input" and name == "value" and value and ("type", "submit") in attrs:
                self.texts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def english_left(content: str) -> list[str]:
    parser = _Texts()
    parser.feed(content)
    found = []
    texts = parser.texts
    for text in texts:
        for msgid, pattern in english_interface_strings():
            if pattern.fullmatch(text):
                found.append(f"{text!r} (allauth: {msgid!r})")
    # whole sentences split by inline tags are checked on the page's joined text too
    joined = " ".join(texts)
    for msgid, _pattern in english_interface_strings():
        if len(msgid.split()) >= 4 and "%" not in msgid and msgid in joined:
            found.append(f"... {msgid!r} ...")
    return sorted(set(found))


def _samples(pattern) -> str:
    text = str(pattern)
    if text.startswith("^") or "(?P<" in text:
        return REGEX_GROUP.sub("x1", text).lstrip("^").rstrip("$")
    return CONVERTER.sub(lambda m: "1" if m["kind"] == "int" else "x1", text)


def allauth_urls() -> list[tuple[str, str]]:
    def walk(patterns, prefix):
        for entry in patterns:
            here = prefix + _samples(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, here)
            elif isinstance(entry, URLPattern):
                module = getattr(entry.callback, "__module__", "") or ""
                if module.startswith("allauth") or here.startswith("accounts/"):
                    yield "/" + here, entry.name or ""

    return sorted(set(walk(get_resolver().url_patterns, "")))


@pytest.fixture
def officer(db):
    user = UserFactory(username="canbo", email="canbo@example.vn")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@pytest.fixture
def officer_with_totp(officer):
    TOTP.activate(officer, "JBSWY3DPEHPK3PXP")
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    RecoveryCodes.activate(officer)
    return officer


def render_all(client, follow=False) -> dict[str, list[str]]:
    problems = {}
    for url, name in allauth_urls():
        response = client.get(url, follow=follow)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        left = english_left(response.content.decode())
        if left:
            problems[f"{url} ({name})"] = left
    return problems


def test_the_walk_covers_allauth_screens():
    names = {name for _url, name in allauth_urls()}
    assert {"account_login", "account_signup", "account_email", "mfa_index"} <= names


def test_the_check_sees_english():
    assert english_left("<p>Forgot your password?</p>")
    assert english_left('<input type="submit" value="Sign In">')
    assert not english_left("<p>Quên mật khẩu?</p>")


@pytest.mark.django_db
def test_every_allauth_screen_is_vietnamese_for_the_anonymous(client):
    assert settings.LANGUAGE_CODE == "vi"
    assert render_all(client) == {}


@pytest.mark.django_db
def test_every_allauth_screen_is_vietnamese_for_an_officer(client, officer):
    client.force_login(officer)
    assert render_all(client) == {}


@pytest.mark.django_db
def test_every_allauth_screen_is_vietnamese_for_an_officer_with_two_factor(
    client, officer_with_totp
):
    client.force_login(officer_with_totp)
    client.post("/accounts/reauthenticate/", {"password": "pw-12345-test"})
    assert Authenticator.objects.filter(user=officer_with_totp).count() == 2
    assert render_all(client) == {}


@pytest.mark.django_db
def test_the_closed_sign_up_page_says_so_in_vietnamese(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sign Up Closed" not in page and "We are sorry" not in page
    assert "cán bộ nhân sự" in page
