"""Certificate PDFs through the real background path.

Embedded mode (no CELERY_BROKER_URL): the task runs inline. Scale mode (.ci/run sets a Redis
broker and starts `celery worker` on the test database): the task crosses the broker to that
separate worker process, and this test waits for its result in the database."""

import time

import pytest
from django.conf import settings

from certificates.models import Certificate
from lms.celery import app as celery_app
from tests.certificates.test_issuance import pass_exam

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def real_broker_when_configured():
    """Send tasks to the broker when one is configured (the test settings run them inline)."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = not settings.CELERY_BROKER_URL
    yield
    celery_app.conf.task_always_eager = eager


def test_passing_the_exam_gets_the_certificate_pdf_rendered_in_the_background(
    world, real_broker_when_configured
):
    pass_exam(world)  # commits: the task is sent after commit
    deadline = time.monotonic() + 90
    certificate = Certificate.objects.get()
    while not certificate.pdf_sha256 and time.monotonic() < deadline:
        time.sleep(0.5)
        certificate.refresh_from_db()
    assert certificate.pdf_sha256, "no Celery worker rendered the certificate PDF within 90 s"
    assert certificate.pdf.name.endswith(f"{certificate.serial}.pdf"), certificate.pdf.name
