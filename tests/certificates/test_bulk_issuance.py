"""Bulk issuance: one template to many staff, in chunks in the background, with progress."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, IssuanceJob
from certificates.services import (
    IssuanceError,
    issuance_job_chunk,
    issuance_job_create,
)
from staff.models import StaffRecord
from tests.certificates.factories import CertificateTemplateFactory
from tests.certificates.helpers import pdf_bytes, signature_status
from tests.staff.factories import StaffRecordFactory, hr_officer_of


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(services, "ISSUANCE_CHUNK", 4)


def test_a_bulk_issuance_gives_each_holder_one_signed_certificate_and_finishes(
    provinces, admin_user, small_chunks, django_capture_on_commit_callbacks
):
    template = CertificateTemplateFactory()
    StaffRecordFactory.create_batch(9, org_unit=provinces["ward"])
    StaffRecordFactory(org_unit=provinces["ward"], active=False)
    with django_capture_on_commit_callbacks(execute=True):
        job = issuance_job_create(template=template, staff=StaffRecord.objects.all(), by=admin_user)
    job.refresh_from_db()
    assert (job.status, job.total, job.processed, job.percent) == ("done", 9, 9, 100)
    certificates = Certificate.objects.filter(basis=f"batch:{job.pk}")
    assert certificates.count() == 9
    assert not certificates.filter(staff__active=False).exists()
    assert all(c.signed_at for c in certificates)
    assert signature_status(pdf_bytes(certificates.first())).intact


def test_a_chunk_run_twice_issues_nothing_twice_and_counts_once(provinces, admin_user):
    template = CertificateTemplateFactory()
    StaffRecordFactory.create_batch(3, org_unit=provinces["ward"])
    job = issuance_job_create(
        template=template, staff=StaffRecord.objects.all(), by=admin_user, start=False
    )
    IssuanceJob.objects.filter(pk=job.pk).update(status=IssuanceJob.Status.RUNNING)
    issuance_job_chunk(job_id=job.pk, start=0)
    job = issuance_job_chunk(job_id=job.pk, start=0)
    assert Certificate.objects.count() == 3
    assert (job.processed, job.status) == (3, "done")


def test_hr_issues_only_inside_their_scope(provinces):
    template = CertificateTemplateFactory()
    StaffRecordFactory.create_batch(2, org_unit=provinces["ward"])
    StaffRecordFactory.create_batch(2, org_unit=provinces["commune"])
    job = issuance_job_create(
        template=template,
        staff=StaffRecord.objects.all(),
        by=hr_officer_of(provinces["hanoi"]),
        start=False,
    )
    assert job.total == 2
    assert set(
        StaffRecord.objects.filter(pk__in=job.staff_ids).values_list("org_unit__code", flat=True)
    ) == {"01-BD"}


def test_selecting_nobody_in_scope_is_refused(provinces):
    StaffRecordFactory(org_unit=provinces["commune"])
    with pytest.raises(IssuanceError):
        issuance_job_create(
            template=CertificateTemplateFactory(),
            staff=StaffRecord.objects.all(),
            by=hr_officer_of(provinces["hanoi"]),
        )
    assert not IssuanceJob.objects.exists()


def test_the_admin_form_starts_a_job_and_its_page_shows_the_progress(
    client, provinces, admin_user, django_capture_on_commit_callbacks
):
    template = CertificateTemplateFactory()
    StaffRecordFactory.create_batch(3, org_unit=provinces["ward"])
    StaffRecordFactory(org_unit=provinces["commune"], personnel_number="CB-1")
    client.force_login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates_admin:issue"),
            {
                "template": template.pk,
                "org_unit": provinces["hanoi"].pk,
                "personnel_numbers": "CB-1, NOPE",
            },
        )
    job = IssuanceJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("certificates_admin:issue_job", args=[job.pk])
    page = client.get(response.url).content.decode()
    assert 'data-issuance-status="done"' in page
    assert "4 / 4" in client.get(reverse("certificates_admin:issue")).content.decode()


def test_the_admin_form_needs_a_criterion(client, provinces, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("certificates_admin:issue"), {"template": CertificateTemplateFactory().pk}
    )
    assert response.status_code == 200
    assert not IssuanceJob.objects.exists()


def test_a_job_is_seen_by_its_creator_and_administrators_only(client, provinces, admin_user):
    StaffRecordFactory(org_unit=provinces["ward"])
    job = issuance_job_create(
        template=CertificateTemplateFactory(),
        staff=StaffRecord.objects.all(),
        by=admin_user,
        start=False,
    )
    other = hr_officer_of(provinces["hanoi"])
    other.user_permissions.add(Permission.objects.get(codename="add_issuancejob"))
    client.force_login(other)
    assert client.get(reverse("certificates_admin:issue_job", args=[job.pk])).status_code == 404


def test_the_command_issues_and_prints_the_progress(provinces, small_chunks):
    template = CertificateTemplateFactory()
    StaffRecordFactory.create_batch(6, org_unit=provinces["ward"])
    out = io.StringIO()
    call_command("issue_certificates", template=template.pk, unit="01", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[:2] == ["4/6", "6/6"]
    assert "6 of 6 certificates issued and signed" in lines[-1]
    job = IssuanceJob.objects.get()
    out = io.StringIO()
    call_command("issue_certificates", job=job.pk, stdout=out)  # resumed: nothing new
    assert Certificate.objects.count() == 6
