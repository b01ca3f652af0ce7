"""Test settings: the environment still chooses the run mode (SQLite/eager by default,
PostgreSQL/Redis/worker when DATABASE_URL, CACHE_URL and CELERY_BROKER_URL are set)."""

import os

os.environ.setdefault("DJANGO_DEBUG", "false")
# off unless a test switches it on (tests/lms/test_csp.py, tests/browser/test_csp.py): Playwright
# injects axe-core as an inline script
os.environ.setdefault("CSP_ENABLED", "false")
# plain static files, no collectstatic, whatever the shell exports; a test that needs the
# compressed storage sets it (tests/lms/test_static_serving.py)
os.environ["STATIC_COMPRESSED"] = "false"

from .base import *  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT
WHITENOISE_AUTOREFRESH = True
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    # the database cache needs its table in the test database; local memory is equivalent here
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # a file, not ":memory:": concurrency tests and the live server need real WAL locking
    # (shared-cache memory databases fail with "table is locked" instead of waiting)
    (BASE_DIR / "var").mkdir(exist_ok=True)
    # TEST_SQLITE_NAME lets two test runs on one checkout use separate files
    DATABASES["default"]["TEST"] = {
        "NAME": str(BASE_DIR / env("TEST_SQLITE_NAME", default="var/test-db.sqlite3"))
    }

# Tasks run inline in tests so every test is deterministic in both run modes; the tests marked
# `worker` switch this off and go through the real broker to a real worker (see .ci/run).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
