"""A large staff import through the real background path.

Embedded mode (no CELERY_BROKER_URL): the task runs inline. Scale mode (.ci/run sets a Redis
broker and starts `celery worker` on the test database): the task crosses the broker to that
separate worker process, which reads the uploaded file from the private storage of the test
settings, and this test waits for the job to finish in the database."""

import time

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.celery import app as celery_app
from staff import services
from staff.models import ImportJob, StaffHistory, StaffRecord
from tests.staff import import_files
from tests.staff.import_files import STAFF_HEADER, csv_bytes

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
org = import_files.org  # fixture


@pytest.fixture
def real_broker_when_configured(settings):
    """Send tasks to the broker when one is configured, and keep uploads where the worker
    process looks for them (the suite otherwise gives each test its own folder)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": django_settings.PRIVATE_MEDIA_ROOT},
        },
    }
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = not django_settings.CELERY_BROKER_URL
    yield
    celery_app.conf.task_always_eager = eager


def test_a_confirmed_large_file_is_applied_in_the_background(
    org, real_broker_when_configured, monkeypatch
):
    monkeypatch.setattr(services, "IMPORT_SYNC_MAX_ROWS", 1)
    rows = [[f"HN-{i}", f"Người {i}", "", "01-BD", "XA-KHCN", ""] for i in range(30)]
    job = services.import_job_preview(
        kind=ImportJob.Kind.STAFF,
        uploaded_file=SimpleUploadedFile("staff.csv", csv_bytes([STAFF_HEADER, *rows])),
        user=org.hr_hanoi,
    )
    job = services.import_job_confirm(job=job)  # autocommit: the task is sent at once
    deadline = time.monotonic() + 90
    while job.status not in {ImportJob.Status.DONE, ImportJob.Status.FAILED}:
        assert time.monotonic() < deadline, f"no worker finished the import: {job.status}"
        time.sleep(0.5)
        job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert job.processed_rows == 30
    assert StaffRecord.objects.count() == 30 and StaffHistory.objects.count() == 30
    job.file.delete(save=False)
