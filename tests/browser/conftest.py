"""Browser tests: pytest-playwright driving Debian's Chromium against Django's live server."""

import io
import os
import shutil

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not on PATH: run bin/install-chromium")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN", "viewport": {"width": 360, "height": 740}}


@pytest.fixture(scope="module", autouse=True)
def _database_left_as_found(django_db_setup, django_db_blocker):
    """Puts back what the database held before each browser test module: the rows the
    migrations made (Wagtail's root page and locales, the root collection…). The flush that
    ends a transactional test removes them, and the next module seeds the demo on top of them.
    Module scope, so this runs around the flush of the test's own transactional database."""
    with django_db_blocker.unblock():
        snapshot = connection.creation.serialize_db_to_string()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        connection.creation.deserialize_db_from_string(snapshot)
        # the rows come back with their ids, but PostgreSQL's sequences stay where the flush
        # left them (1): move them past the restored ids, or the next insert collides
        models = apps.get_models(include_auto_created=True)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    ContentType.objects.clear_cache()  # ids as restored, not as re-created by the flush


@pytest.fixture
def demo_site(transactional_db, live_server):
    call_command("seed_demo", stdout=io.StringIO())
    return live_server
