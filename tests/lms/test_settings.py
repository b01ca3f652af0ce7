"""The run mode is chosen by environment variables only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]

PRINT_MODE = (
    "from django.conf import settings as s;"
    "print(s.DATABASES['default']['ENGINE']);"
    "print(s.CACHES['default']['BACKEND']);"
    "print(s.CELERY_TASK_ALWAYS_EAGER);"
    "print(s.EMAIL_BACKEND)"
)


def settings_under(env: dict, module="lms.settings.base") -> list[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CACHE_", "CELERY_", "EMAIL_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{PRINT_MODE}"],
        env={**clean, "DJANGO_SETTINGS_MODULE": module, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_without_variables_the_embedded_mode_needs_no_service():
    assert settings_under({}) == [
        "django.db.backends.sqlite3",
        "django.core.cache.backends.db.DatabaseCache",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_the_scale_mode_comes_from_the_environment():
    engine, cache, eager, _ = settings_under(
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lms",
            "CACHE_URL": "redis://127.0.0.1:6379/1",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        }
    )
    assert engine == "django.db.backends.postgresql"
    assert cache == "django.core.cache.backends.redis.RedisCache"
    assert eager == "False"


def test_production_settings_pass_check_deploy_without_warnings():
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CACHE_", "CELERY_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="x7Jq!m2#pV9@rT4$wZ8&nB6^cF1*hK3(sD5)gL0_yU" * 2,
        DJANGO_ALLOWED_HOSTS="lms.example.gov.vn",
        SITE_URL="https://lms.example.gov.vn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", "import django;django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "lms.settings.production"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_is_reachable(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise Exception("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    assert client.get(reverse("healthz")).status_code == 503
