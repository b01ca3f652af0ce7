"""The Content-Security-Policy header (django-csp, lms/csp.py): always sent under the production
settings, strict on the learner site, relaxed only where a library needs it (the Wagtail admin,
allauth's QR code), and never replacing a policy a response sets for itself."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "DJANGO_SECRET_KEY": "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "testserver",
    "SITE_URL": "https://nangluc.example.gov.vn",
    "DATABASE_URL": "sqlite://:memory:",
    "CACHE_URL": "locmemcache://",
}
REQUEST_HEALTHZ = (
    "import django, json; django.setup();"
    "from django.test import Client; from django.conf import settings;"
    "r = Client().get('/healthz', secure=True);"
    "print(json.dumps({'status': r.status_code, 'csp': r.get('Content-Security-Policy'),"
    " 'img': settings.CSP_LEARNER_DIRECTIVES['img-src']}))"
)


def run_production(**env) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "CACHE_", "CELERY_", "CSP_", "MEDIA_"))
    }
    result = subprocess.run(
        [sys.executable, "-c", REQUEST_HEALTHZ],
        env={**clean, **PRODUCTION_ENV, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def directives(header: str) -> dict[str, list[str]]:
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


def test_production_sends_the_strict_policy_even_when_the_environment_turns_it_off():
    answer = run_production(CSP_ENABLED="false")
    assert answer["status"] == 200
    policy = directives(answer["csp"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe" not in answer["csp"] and "data:" not in answer["csp"]


def test_a_media_host_of_its_own_is_allowed_for_images_and_nothing_else():
    answer = run_production(MEDIA_URL="https://media.nangluc.example.gov.vn/media/")
    assert answer["img"] == ["'self'", "https://media.nangluc.example.gov.vn"]
    policy = directives(answer["csp"])
    assert policy["img-src"] == ["'self'", "https://media.nangluc.example.gov.vn"]
    assert policy["script-src"] == ["'self'"]


@pytest.fixture
def csp_on(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_LEARNER_DIRECTIVES}


@pytest.mark.django_db
def test_learner_pages_get_the_strict_policy(csp_on, client):
    response = client.get("/verify/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_admin_gets_its_own_policy_and_only_the_admin(csp_on, client, django_user_model):
    trainer = django_user_model.objects.create_user("csp-admin", password="x")
    trainer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(trainer)
    response = client.get("/admin/")
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    # Wagtail renders inline scripts and styles and draws previews in a frame of itself
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    # the learner site is not relaxed by it
    learner = directives(client.get("/verify/")["Content-Security-Policy"])
    assert learner["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_the_authenticator_set_up_may_show_its_qr_code_as_a_data_image(csp_on, client):
    response = client.get("/accounts/2fa/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["script-src"] == ["'self'"]


@pytest.mark.django_db
def test_a_response_with_a_policy_of_its_own_keeps_it(csp_on, client):
    document = Document.objects.create(
        title="Quy định", file=ContentFile(b"%PDF-1.4 test", name="quy-dinh.pdf")
    )
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'"


@pytest.mark.django_db
def test_without_the_setting_no_header_is_sent(settings, client):
    settings.CONTENT_SECURITY_POLICY = None
    assert "Content-Security-Policy" not in client.get("/verify/")
