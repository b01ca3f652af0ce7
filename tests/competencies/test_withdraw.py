"""Revoking a certificate withdraws the competency evidence it carried: the standing falls back
to the holder's other evidence (or becomes a gap), and the officer and HR see why."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_reissue, certificate_revoke
from competencies.models import CompetencyRecord
from competencies.selectors import (
    Status,
    requirement_statuses_for_staff,
    staff_requirement_statuses,
)
from competencies.services import competency_record_create, competency_records_withdraw
from competencies.signals import competency_records_changed
from staff.models import StaffRecord
from tests.certificates.factories import CertificateTemplateFactory
from tests.staff.factories import hr_officer_of

pytestmark = pytest.mark.django_db

BASIS = "attempt:4242"


def exam_certificate(world, basis=BASIS):
    """What a passed exam leaves: a competency record of the attempt and its certificate."""
    record = competency_record_create(
        staff=world.officer,
        competency=world.competency,
        level=world.level,
        source=CompetencyRecord.Source.EXAM,
        evidence_ref=basis,
    )
    certificate = certificate_issue(
        staff=world.officer,
        template=CertificateTemplateFactory(exam=world.exam),
        basis=basis,
        competencies=[{"code": "MET-01", "title": world.competency.title, "level": "2"}],
        render=False,
    )
    return record, certificate


def standing(world) -> str:
    (status,) = staff_requirement_statuses(staff=world.officer)
    bulk = requirement_statuses_for_staff(staff_ids=[world.officer.pk])[world.officer.pk]
    assert bulk[0].status == status.status  # the bulk selector applies the same rule
    return status.status


def revoke(certificate, reason="misconduct"):
    return certificate_revoke(
        certificate=certificate, by=None, public_reason=reason, reason="Thi hộ"
    )


def test_revoking_the_only_evidence_leaves_a_gap(world):
    record, certificate = exam_certificate(world)
    assert standing(world) == Status.MET
    revoke(certificate)
    record.refresh_from_db()
    assert record.withdrawn_at is not None
    assert certificate.serial in record.withdrawn_reason
    assert "Gian lận hoặc vi phạm quy chế" in record.withdrawn_reason
    assert "Thi hộ" not in record.withdrawn_reason  # HR's note stays in the admin
    assert standing(world) == Status.GAP


def test_the_standing_falls_back_to_other_evidence(world):
    other = competency_record_create(
        staff=world.officer,
        competency=world.competency,
        level=world.level,
        source=CompetencyRecord.Source.MANUAL,
        evidence_ref="manual:older",
        assessed_on=timezone.localdate() - timedelta(days=30),
    )
    _record, certificate = exam_certificate(world)
    revoke(certificate)
    (status,) = staff_requirement_statuses(staff=world.officer)
    assert status.status == Status.MET
    assert status.valid_until == other.valid_until  # the older evidence now decides


def test_revoking_a_reissued_certificate_withdraws_the_original_evidence(world):
    record, certificate = exam_certificate(world)
    new = certificate_reissue(certificate=certificate, by=None, reason="Sửa tên")
    assert standing(world) == Status.MET  # a re-issue withdraws nothing
    revoke(new, reason="issued_in_error")
    record.refresh_from_db()
    assert record.withdrawn_at is not None and new.serial in record.withdrawn_reason
    assert standing(world) == Status.GAP


def test_evidence_still_attested_by_another_valid_certificate_is_kept(world):
    record, certificate = exam_certificate(world)
    certificate_issue(  # a second template issued on the same exam attempt
        staff=world.officer,
        template=CertificateTemplateFactory(exam=world.exam),
        basis=BASIS,
        competencies=[],
        render=False,
    )
    revoke(certificate)
    record.refresh_from_db()
    assert record.withdrawn_at is None
    assert standing(world) == Status.MET


def test_only_the_holders_records_are_withdrawn_and_the_signal_is_sent(
    world, django_capture_on_commit_callbacks
):
    record, _certificate = exam_certificate(world)
    colleague = StaffRecord.objects.create(
        personnel_number="HN-99",
        full_name="Lê Văn Bình",
        org_unit=world.officer.org_unit,
        position=world.officer.position,
    )
    theirs = competency_record_create(
        staff=colleague,
        competency=world.competency,
        level=world.level,
        source=CompetencyRecord.Source.EXAM,
        evidence_ref=BASIS,  # the same text, another person: untouched
    )
    received = []

    def listener(sender, staff_ids, **kwargs):
        received.append(staff_ids)

    competency_records_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            count = competency_records_withdraw(
                staff_id=world.officer.pk, evidence_ref=BASIS, reason="x"
            )
        with django_capture_on_commit_callbacks(execute=True):
            again = competency_records_withdraw(
                staff_id=world.officer.pk, evidence_ref=BASIS, reason="y"
            )
    finally:
        competency_records_changed.disconnect(listener)
    assert (count, again) == (1, 0)
    assert received == [[world.officer.pk]]
    record.refresh_from_db()
    theirs.refresh_from_db()
    assert record.withdrawn_reason == "x" and theirs.withdrawn_at is None


def test_a_position_certificate_is_not_evidence_and_withdraws_nothing(world):
    record, _certificate = exam_certificate(world)
    position_certificate = certificate_issue(
        staff=world.officer,
        template=CertificateTemplateFactory(),
        basis="position:1:2030-01-01",
        competencies=[],
        render=False,
    )
    revoke(position_certificate, reason="other")
    record.refresh_from_db()
    assert record.withdrawn_at is None


def test_the_officer_sees_why_on_my_competencies_and_my_certificates(client, world):
    _record, certificate = exam_certificate(world)
    revoke(certificate)
    client.force_login(world.officer.user)
    html = client.get(reverse("cms:my_competencies")).content.decode()
    assert "data-withdrawn-evidence" in html
    assert f"Chứng chỉ {certificate.serial} bị thu hồi ngày" in html
    assert "Gian lận hoặc vi phạm quy chế" in html
    html = client.get(reverse("certificates:my_certificates")).content.decode()
    assert "Gian lận hoặc vi phạm quy chế" in html
    assert "không còn được tính" in html


def test_hr_sees_the_withdrawn_evidence_on_the_staff_record(client, world, roles):
    _record, certificate = exam_certificate(world)
    revoke(certificate)
    client.force_login(hr_officer_of(world.officer.org_unit.get_parent()))
    html = client.get(reverse("staffrecord:inspect", args=[world.officer.pk])).content.decode()
    assert "data-withdrawn-evidence" in html
    assert certificate.serial in html and "Minh chứng năng lực đã bị rút bỏ" in html
    assert Certificate.objects.get(pk=certificate.pk).status == Certificate.Status.REVOKED
