"""Reminders before expiry (90, 30, 7 days by default) to the holder and their HR officer, by
email and on their dashboards; a second run sends nothing twice."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate, ExpiryReminder
from certificates.services import (
    certificate_issue,
    certificate_revoke,
    certificates_send_expiry_reminders,
    reminder_threshold,
)
from tests.certificates.factories import CertificateTemplateFactory
from tests.staff.factories import StaffRecordFactory, hr_officer_of


def expiring_in(staff, days: int, basis="manual:1"):
    certificate = certificate_issue(
        staff=staff, template=CertificateTemplateFactory(), basis=basis, competencies=[]
    )
    today = timezone.localdate()
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=today - timedelta(days=365), valid_until=today + timedelta(days=days)
    )
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def holder(provinces):
    return StaffRecordFactory(
        full_name="Vũ Thị Lan", email="lan@xa.gov.vn", org_unit=provinces["ward"]
    )


@pytest.mark.parametrize(
    ("days_left", "threshold"), [(100, None), (90, 90), (45, 90), (30, 30), (8, 30), (7, 7), (0, 7)]
)
def test_the_threshold_reached(days_left, threshold):
    assert reminder_threshold(days_left=days_left, thresholds=[7, 30, 90]) == threshold


def test_the_holder_and_their_hr_officer_are_reminded_once(holder, provinces):
    hr = hr_officer_of(provinces["hanoi"])
    hr.email = "nhansu@hanoi.gov.vn"
    hr.save()
    national = hr_officer_of(provinces["hanoi"].get_parent())  # further up: not mailed
    certificate = expiring_in(holder, 30)
    assert certificates_send_expiry_reminders() == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["lan@xa.gov.vn", "nhansu@hanoi.gov.vn"]
    assert national.email not in recipients
    to_holder = next(m for m in mail.outbox if m.to == ["lan@xa.gov.vn"])
    assert certificate.serial in to_holder.body
    assert certificate.valid_until.strftime("%d/%m/%Y") in to_holder.subject
    to_hr = next(m for m in mail.outbox if m.to == ["nhansu@hanoi.gov.vn"])
    assert "Vũ Thị Lan" in to_hr.body and holder.personnel_number in to_hr.body
    assert ExpiryReminder.objects.get().days_before == 30
    mail.outbox.clear()
    assert certificates_send_expiry_reminders() == 0
    assert mail.outbox == []


def test_each_threshold_is_reminded_as_time_passes(holder):
    certificate = expiring_in(holder, 95)
    today = timezone.localdate()
    sent = []
    for day in range(0, 96):
        sent.append(certificates_send_expiry_reminders(today=today + timedelta(days=day)))
    assert sum(sent) == 3
    assert sorted(
        ExpiryReminder.objects.filter(certificate=certificate).values_list("days_before", flat=True)
    ) == [7, 30, 90]


def test_the_thresholds_are_configurable(holder, settings):
    settings.CERTIFICATE_EXPIRY_REMINDER_DAYS = [60, 14]
    expiring_in(holder, 50)
    assert certificates_send_expiry_reminders() == 1
    assert ExpiryReminder.objects.get().days_before == 60


def test_revoked_superseded_and_expired_certificates_are_not_reminded(
    holder, provinces, admin_user
):
    revoked = expiring_in(holder, 20, basis="a")
    certificate_revoke(
        public_reason="issued_in_error", certificate=revoked, by=admin_user, reason="Sai"
    )
    expiring_in(holder, -1, basis="b")
    assert certificates_send_expiry_reminders() == 0


def test_a_mail_that_fails_is_sent_by_the_next_run(holder, monkeypatch):
    expiring_in(holder, 30)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("certificates.services.send_mail", broken)
    assert certificates_send_expiry_reminders() == 0
    assert not ExpiryReminder.objects.exists()
    monkeypatch.undo()
    assert certificates_send_expiry_reminders() == 1


def test_the_command_runs_the_same_job(holder):
    expiring_in(holder, 7)
    out = io.StringIO()
    call_command("send_expiry_reminders", stdout=out)
    call_command("send_expiry_reminders", stdout=out)
    assert out.getvalue().splitlines() == ["1 expiry reminder(s) sent", "0 expiry reminder(s) sent"]


def test_the_periodic_task_is_in_beat(settings):
    from lms.celery import app

    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "certificates.tasks.certificates_send_expiry_reminders_task" in tasks
    assert "certificates.tasks.certificates_send_expiry_reminders_task" in app.tasks


def test_the_officer_sees_the_reminder_on_their_pages(client, holder):
    certificate = expiring_in(holder, 12)
    client.force_login(holder.user)
    for url in (reverse("dashboard"), reverse("certificates:my_certificates")):
        html = client.get(url).content.decode()
        assert "data-expiry-reminder" in html, url
        assert certificate.serial in html


def test_hr_sees_the_expiring_certificates_on_the_admin_home(client, holder, provinces):
    soon = expiring_in(holder, 12)
    later = expiring_in(holder, 200, basis="later")
    far = expiring_in(StaffRecordFactory(org_unit=provinces["commune"]), 12, basis="far")
    client.force_login(hr_officer_of(provinces["hanoi"]))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'data-expiring-count="1"' in html
    assert soon.serial in html and later.serial not in html and far.serial not in html
    listing = client.get(reverse("certificate:index"), {"expiring_within": 90}).content.decode()
    assert soon.serial in listing and later.serial not in listing


def test_an_exam_certificate_does_not_outlive_the_evidence(world):
    """Compliance reads the competency records (competencies.selectors), never certificates:
    the certificate is capped at the records' expiry so the two never disagree."""
    from competencies.models import CompetencyRecord
    from competencies.services import add_months
    from tests.certificates.test_issuance import pass_exam

    attempt = pass_exam(world)
    certificate = Certificate.objects.get(basis=f"attempt:{attempt.pk}")
    record = CompetencyRecord.objects.get(evidence_ref=f"attempt:{attempt.pk}")
    assert certificate.valid_until == min(
        record.valid_until, add_months(certificate.issued_on, certificate.template.validity_months)
    )
