"""Static files in the embedded mode that `make run` starts (STATIC_COMPRESSED=true, DEBUG on):
hashed names from `{% static %}`, served by WhiteNoise from what collectstatic wrote, brotli or
gzip as the browser accepts, cacheable for a year. The tests' own default stays the plain
storage, which needs no collectstatic."""

import gzip
import re
import runpy
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
YEAR = 365 * 24 * 3600
HASHED = r"^/static/{stem}\.[0-9a-f]{{12}}\.{ext}$"


def static_url(name: str) -> str:
    return Template("{% load static %}{% static name %}").render(Context({"name": name}))


@pytest.fixture
def compressed_static(settings, tmp_path):
    """The settings STATIC_COMPRESSED=true gives, collected into a temporary STATIC_ROOT."""
    settings.DEBUG = True  # the embedded mode's
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": settings.STATICFILES_STORAGE_COMPRESSED,
    }
    settings.STATIC_ROOT = tmp_path / "static"
    # only the project's own files: what the learner pages use, and quick to collect
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_static_tag_gives_the_hashed_name_even_under_debug(compressed_static):
    url = static_url("js/attempt.js")
    assert re.match(HASHED.format(stem="js/attempt", ext="js"), url), url
    collected = compressed_static / url.removeprefix("/static/")
    for suffix in ("", ".gz", ".br"):
        assert Path(f"{collected}{suffix}").is_file(), suffix
    assert re.match(HASHED.format(stem="css/site", ext="css"), static_url("css/site.css"))


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("br", "br", brotli.decompress), ("gzip, deflate", "gzip", gzip.decompress)],
)
@pytest.mark.parametrize("name", ["js/attempt.js", "css/site.css"])
def test_hashed_assets_go_out_compressed_and_cached_for_a_year(
    db, compressed_static, name, accept, encoding, decode
):
    raw = (ROOT / "static" / name).read_bytes()
    response = Client().get(static_url(name), HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    response.close()
    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]
    assert len(body) < len(raw) / 2, (len(body), len(raw))
    assert decode(body) == raw
    cache_control = response["Cache-Control"]
    assert "immutable" in cache_control, cache_control
    assert int(re.search(r"max-age=(\d+)", cache_control)[1]) >= YEAR


def test_a_client_without_compression_gets_the_file_as_it_is(db, compressed_static):
    raw = (ROOT / "static" / "js" / "attempt.js").read_bytes()
    response = Client().get(static_url("js/attempt.js"))
    body = b"".join(response.streaming_content)
    response.close()
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert body == raw


def test_tests_use_the_plain_storage_without_collectstatic(settings):
    assert settings.STORAGES["staticfiles"] == settings.STATICFILES_STORAGE_PLAIN
    assert static_url("js/attempt.js") == "/static/js/attempt.js"


def test_the_variable_make_run_sets_switches_runserver_to_whitenoise(monkeypatch):
    monkeypatch.setenv("STATIC_COMPRESSED", "true")
    base = runpy.run_path(str(ROOT / "lms" / "settings" / "base.py"))
    assert base["STORAGES"]["staticfiles"] == base["STATICFILES_STORAGE_COMPRESSED"]
    apps = base["INSTALLED_APPS"]
    # before staticfiles, so its runserver (without the static view) is the one run
    assert apps.index("whitenoise.runserver_nostatic") < apps.index("django.contrib.staticfiles")
    assert base["WHITENOISE_USE_FINDERS"] is False
    assert base["WHITENOISE_AUTOREFRESH"] is False
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "run: export STATIC_COMPRESSED ?= true" in makefile
    assert "collectstatic --noinput" in makefile

    monkeypatch.setenv("STATIC_COMPRESSED", "false")
    plain = runpy.run_path(str(ROOT / "lms" / "settings" / "base.py"))
    assert plain["STORAGES"]["staticfiles"] == plain["STATICFILES_STORAGE_PLAIN"]
    assert "whitenoise.runserver_nostatic" not in plain["INSTALLED_APPS"]
