"""The HR import screens in the Wagtail admin: upload → preview → confirm, background jobs with
progress, and who may see which job."""

from datetime import date

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from staff import services
from staff.importing import readers
from staff.models import ImportJob, OrgUnit, StaffHistory, StaffRecord
from staff.roles import Role
from staff.selectors import import_progress_key
from staff.services import hr_assignment_grant, import_job_apply, org_unit_merge, user_role_grant
from staff.tasks import import_job_apply_task
from tests.staff import import_files
from tests.staff.factories import UserFactory
from tests.staff.import_files import STAFF_HEADER, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db
org = import_files.org  # fixture

UPLOAD = "staff_imports:upload"
GOOD = csv_bytes(
    [
        STAFF_HEADER,
        ["HN-1", "Nguyễn Thị Thu Hương", "17/05/1990", "01-BD", "XA-KHCN", ""],
        ["HN-2", "Trần Văn Bình", "02/01/1985", "01-SS", "XA-VHXH", ""],
    ],
    bom=True,
)


def english_client(user) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def hr(org):
    return english_client(org.hr_hanoi)


@pytest.fixture
def admin(org):
    Authenticator.objects.create(user=org.admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return english_client(org.admin)


def upload(client, data, *, name="staff.csv", kind="staff"):
    return client.post(reverse(UPLOAD), {"kind": kind, "file": SimpleUploadedFile(name, data)})


def last_job() -> ImportJob:
    return ImportJob.objects.latest("pk")


def page(client, job) -> str:
    response = client.get(reverse("staff_imports:job", args=[job.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_hr_officers_see_the_upload_form_and_the_menu_item(hr):
    response = hr.get(reverse(UPLOAD))
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()
    assert reverse(UPLOAD) in hr.get(reverse("wagtailadmin_home")).content.decode()


def test_people_without_the_staff_permission_are_turned_away(org):
    trainer = UserFactory()
    user_role_grant(user=trainer, role=Role.TRAINER)
    client = english_client(trainer)
    response = client.get(reverse(UPLOAD))
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert reverse(UPLOAD) not in client.get(reverse("wagtailadmin_home")).content.decode()
    assert upload(client, GOOD).status_code == 302
    assert not ImportJob.objects.exists()


def test_an_upload_is_previewed_with_counts_and_nothing_is_written(hr, org):
    response = upload(hr, GOOD)
    job = last_job()
    assert response.status_code == 302
    assert response.url == reverse("staff_imports:job", args=[job.pk])
    assert (job.status, job.kind, job.uploaded_by, job.total_rows) == (
        ImportJob.Status.PREVIEWED,
        ImportJob.Kind.STAFF,
        org.hr_hanoi,
        2,
    )
    assert job.counts["create"] == 2 and job.errors == []
    assert job.file.read() == GOOD and job.original_name == "staff.csv"
    assert not StaffRecord.objects.exists()
    html = page(hr, job)
    assert 'data-count="create">2<' in html and "data-import-confirm" in html
    assert 'http-equiv="refresh"' not in html


def test_a_file_with_errors_shows_each_error_and_cannot_be_confirmed(hr):
    data = csv_bytes([STAFF_HEADER, ["HN-1", "A", "", "04-TN", "XA-KHCN", ""]])
    upload(hr, data)
    job = last_job()
    html = page(hr, job)
    assert "data-import-errors" in html and "data-import-confirm" not in html
    assert "<td>2</td>" in html and "<td>Mã đơn vị</td>" in html
    assert "Unit 04-TN is not among the units you manage." in html
    response = hr.post(reverse("staff_imports:confirm", args=[job.pk]), follow=True)
    assert "cannot be imported" in response.content.decode()
    assert not StaffRecord.objects.exists()
    assert last_job().status == ImportJob.Status.PREVIEWED


def test_confirming_a_small_file_imports_it_at_once_and_a_second_confirm_changes_nothing(hr):
    upload(hr, GOOD)
    job = last_job()
    confirm = reverse("staff_imports:confirm", args=[job.pk])
    response = hr.post(confirm, follow=True)
    assert "The file was imported." in response.content.decode()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.processed_rows == 2
    assert job.finished_at is not None
    assert StaffRecord.objects.count() == 2 and StaffHistory.objects.count() == 2
    response = hr.post(confirm, follow=True)
    assert "This file has already been imported; nothing was done again." in (
        response.content.decode()
    )
    assert StaffRecord.objects.count() == 2 and StaffHistory.objects.count() == 2
    assert "data-import-confirm" not in page(hr, job)


def test_confirm_only_accepts_post(hr):
    upload(hr, GOOD)
    assert hr.get(reverse("staff_imports:confirm", args=[last_job().pk])).status_code == 405


def test_a_large_file_runs_in_the_background_with_a_progress_page(
    hr, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "IMPORT_SYNC_MAX_ROWS", 1)
    upload(hr, GOOD)
    job = last_job()
    with django_capture_on_commit_callbacks() as callbacks:
        hr.post(reverse("staff_imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and len(callbacks) == 1
    assert not StaffRecord.objects.exists()
    html = page(hr, job)
    assert '<meta http-equiv="refresh" content="3">' in html and "data-import-progress" in html

    callbacks[0]()  # the task, eager in tests
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and StaffRecord.objects.count() == 2
    assert 'http-equiv="refresh"' not in page(hr, job)


def test_a_large_upload_is_checked_in_the_background_before_its_preview(
    hr, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "IMPORT_SYNC_PREVIEW_MAX_BYTES", 10)
    with django_capture_on_commit_callbacks() as callbacks:
        upload(hr, GOOD)
    job = last_job()
    assert job.status == ImportJob.Status.CHECKING and len(callbacks) == 1
    html = page(hr, job)
    assert 'http-equiv="refresh"' in html and "data-import-confirm" not in html
    assert hr.post(reverse("staff_imports:confirm", args=[job.pk])).status_code == 302
    assert last_job().status == ImportJob.Status.CHECKING  # nothing to confirm yet

    callbacks[0]()  # the check task, eager in tests
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.counts["create"] == 2
    assert "data-import-confirm" in page(hr, job)
    assert not StaffRecord.objects.exists()


def test_the_progress_page_shows_rows_written_so_far(hr, org):
    upload(hr, GOOD)
    job = last_job()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    cache.set(import_progress_key(job.pk), 1)
    html = page(hr, job)
    assert "Writing: 1 of 2 rows." in html and 'value="50"' in html


def test_a_job_is_applied_once_however_often_the_task_runs(hr):
    upload(hr, GOOD)
    job = last_job()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED)
    import_job_apply_task.delay(job.pk)
    before = list(StaffHistory.objects.values_list())
    import_job_apply_task.delay(job.pk)
    import_job_apply(job_id=job.pk)
    assert list(StaffHistory.objects.values_list()) == before
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.counts["create"] == 2


def test_a_previewed_job_is_not_applied_without_a_confirm(hr):
    upload(hr, GOOD)
    import_job_apply(job_id=last_job().pk)
    assert not StaffRecord.objects.exists()


def test_a_file_that_became_invalid_since_the_preview_fails_without_writing(hr, org):
    upload(hr, GOOD)
    job = last_job()
    org_unit_merge(units=[org.commune], into=org.ward, on=date(2025, 7, 1))
    hr.post(reverse("staff_imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["row"] == 3 and "closed" in job.errors[0]["message"]
    assert not StaffRecord.objects.exists()


def test_an_unexpected_failure_marks_the_job_failed_and_writes_nothing(hr, monkeypatch):
    from staff.importing import staff as staff_importer

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(staff_importer, "history_moves_apply", explode)
    upload(hr, GOOD)
    job = last_job()
    hr.post(reverse("staff_imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "unexpected error" in job.errors[0]["message"]
    assert not StaffRecord.objects.exists()


def test_jobs_are_visible_only_to_their_uploader_and_administrators(hr, admin, org):
    upload(hr, GOOD)
    job = last_job()
    other_hr = UserFactory()
    user_role_grant(user=other_hr, role=Role.HR_OFFICER)
    hr_assignment_grant(user=other_hr, org_unit=org.hanoi)
    other = english_client(other_hr)
    assert other.get(reverse("staff_imports:job", args=[job.pk])).status_code == 404
    assert other.post(reverse("staff_imports:confirm", args=[job.pk])).status_code == 404
    assert "staff.csv" not in other.get(reverse(UPLOAD)).content.decode()
    assert "staff.csv" in hr.get(reverse(UPLOAD)).content.decode()
    assert admin.get(reverse("staff_imports:job", args=[job.pk])).status_code == 200
    assert not StaffRecord.objects.exists()


def test_hr_officers_cannot_import_org_units(hr):
    assert 'value="org_units"' not in hr.get(reverse(UPLOAD)).content.decode()
    response = upload(hr, b"code,name\n", kind="org_units")
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_administrators_import_org_units_from_a_workbook(admin, org):
    data = xlsx_bytes(
        [
            ["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên"],
            ["01-NEW", "Phường Mới", "Phường", "01"],
        ]
    )
    assert 'value="org_units"' in admin.get(reverse(UPLOAD)).content.decode()
    upload(admin, data, name="don-vi.xlsx", kind="org_units")
    job = last_job()
    assert job.kind == ImportJob.Kind.ORG_UNITS and job.counts["create"] == 1
    admin.post(reverse("staff_imports:confirm", args=[job.pk]))
    assert OrgUnit.objects.get(code="01-NEW").get_parent() == org.hanoi


def test_an_oversized_upload_is_refused_without_being_kept(hr, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 50)
    upload(hr, GOOD)
    job = last_job()
    assert "larger than" in job.errors[0]["message"] and not job.file
    assert "data-import-confirm" not in page(hr, job)


def test_a_hostile_file_gets_a_clean_error_page(hr):
    upload(hr, b"\x00\x01\x02garbage\xff" * 100, name="evil.xlsx")
    job = last_job()
    assert job.errors and "data-import-errors" in page(hr, job)


def test_a_legacy_encoding_is_shown_as_a_notice(hr):
    upload(
        hr,
        csv_bytes(
            [STAFF_HEADER, ["HN-1", "Nguyễn Văn Ơn", "", "01-BD", "XA-KHCN", ""]], encoding="cp1258"
        ),
    )
    assert "Windows-1258" in page(hr, last_job())
