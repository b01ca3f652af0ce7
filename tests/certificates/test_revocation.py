"""Revocation and re-issue: HR in scope and administrators, with a reason, audited; the
superseded certificate's page points to its successor."""

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates.models import Certificate
from certificates.services import (
    CertificateActionError,
    certificate_issue,
    certificate_reissue,
    certificate_revoke,
)
from tests.certificates.factories import CertificateTemplateFactory
from tests.staff.factories import StaffRecordFactory, hr_officer_of


@pytest.fixture
def certificate(provinces):
    staff = StaffRecordFactory(full_name="Phạm Văn Đức", org_unit=provinces["ward"])
    return certificate_issue(
        staff=staff,
        template=CertificateTemplateFactory(),
        basis="manual:1",
        competencies=[{"code": "MET-01", "title": "Đo lường", "level": "2"}],
    )


def test_hr_in_scope_revokes_with_a_reason_and_it_is_audited(certificate, provinces):
    hr = hr_officer_of(provinces["hanoi"])
    revoked = certificate_revoke(
        public_reason="issued_in_error",
        certificate=certificate,
        by=hr,
        reason="  Gian lận  khi thi ",
    )
    assert revoked.status == Certificate.Status.REVOKED
    assert revoked.status_reason == "Gian lận khi thi"
    assert revoked.status_changed_at is not None
    entry = ModelLogEntry.objects.for_instance(revoked).get()
    assert (entry.action, entry.user, entry.data["reason"]) == (
        "certificates.certificate.revoke",
        hr,
        "Gian lận khi thi",
    )


def test_hr_of_another_province_cannot_revoke(certificate, provinces):
    with pytest.raises(PermissionDenied):
        certificate_revoke(
            public_reason="issued_in_error",
            certificate=certificate,
            by=hr_officer_of(provinces["caobang"]),
            reason="x",
        )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_a_trainer_cannot_revoke(certificate):
    from staff.roles import Role
    from staff.services import user_role_grant
    from tests.staff.factories import UserFactory

    trainer = UserFactory()
    user_role_grant(user=trainer, role=Role.TRAINER)
    with pytest.raises(PermissionDenied):
        certificate_revoke(
            public_reason="issued_in_error", certificate=certificate, by=trainer, reason="x"
        )


def test_a_reason_is_required(certificate, admin_user):
    with pytest.raises(CertificateActionError):
        certificate_revoke(
            public_reason="issued_in_error", certificate=certificate, by=admin_user, reason="   "
        )
    assert not ModelLogEntry.objects.exists()


def test_revoking_twice_is_refused(certificate, admin_user):
    certificate_revoke(
        public_reason="issued_in_error", certificate=certificate, by=admin_user, reason="Sai sót"
    )
    with pytest.raises(CertificateActionError):
        certificate_revoke(
            public_reason="issued_in_error",
            certificate=certificate,
            by=admin_user,
            reason="Lần hai",
        )
    assert ModelLogEntry.objects.count() == 1


def test_reissue_gives_a_new_serial_and_code_and_supersedes_the_old_one(
    certificate, provinces, django_capture_on_commit_callbacks
):
    staff = certificate.staff
    staff.full_name = "Phạm Văn Đức Anh"  # the name was corrected
    staff.save()
    hr = hr_officer_of(provinces["hanoi"])
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(certificate=certificate, by=hr, reason="Sửa họ tên")
    certificate.refresh_from_db()
    new.refresh_from_db()
    assert new.serial != certificate.serial
    assert new.verification_code != certificate.verification_code
    assert new.holder_name == "Phạm Văn Đức Anh"
    assert (new.competencies, new.valid_until, new.template_id) == (
        certificate.competencies,
        certificate.valid_until,
        certificate.template_id,
    )
    assert new.status == Certificate.Status.VALID and new.signed_at is not None
    assert certificate.status == Certificate.Status.SUPERSEDED
    assert certificate.superseded_by == new
    assert certificate.status_reason == "Sửa họ tên"
    actions = {e.action: e for e in ModelLogEntry.objects.all()}
    assert actions["certificates.certificate.reissue"].object_id == str(certificate.pk)
    assert actions["certificates.certificate.reissue"].data["successor"] == new.serial
    assert actions["certificates.certificate.replacement"].object_id == str(new.pk)
    assert actions["certificates.certificate.replacement"].user == hr


def test_a_superseded_or_expired_certificate_is_not_reissued(certificate, admin_user):
    certificate_reissue(certificate=certificate, by=admin_user, reason="Sửa")
    with pytest.raises(CertificateActionError):
        certificate_reissue(certificate=certificate, by=admin_user, reason="Lại")
    expired = certificate_issue(
        staff=certificate.staff, template=certificate.template, basis="old", competencies=[]
    )
    Certificate.objects.filter(pk=expired.pk).update(
        issued_on=date(2020, 1, 1), valid_until=date(2021, 1, 1)
    )
    expired.refresh_from_db()
    with pytest.raises(CertificateActionError):
        certificate_reissue(certificate=expired, by=admin_user, reason="Gia hạn")


@pytest.mark.django_db(transaction=True)
def test_concurrent_reissues_produce_one_successor(provinces, roles):
    from django.db import connection

    staff = StaffRecordFactory(org_unit=provinces["ward"])
    certificate = certificate_issue(
        staff=staff, template=CertificateTemplateFactory(), basis="manual:1", competencies=[]
    )
    admin = __import__("tests.staff.factories", fromlist=["UserFactory"]).UserFactory(
        is_superuser=True
    )

    def reissue(_):
        try:
            return certificate_reissue(certificate=certificate, by=admin, reason="Sửa").pk
        except CertificateActionError:
            return None
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(reissue, range(5)))
    assert len([r for r in results if r]) == 1
    assert Certificate.objects.filter(basis=f"reissue:{certificate.pk}").count() == 1


def test_the_superseded_certificate_page_points_to_its_successor(client, certificate, admin_user):
    new = certificate_reissue(certificate=certificate, by=admin_user, reason="Đổi đơn vị")
    html = client.get(
        reverse("certificates:verify", args=[certificate.verification_code])
    ).content.decode()
    assert 'data-status="superseded"' in html
    assert reverse("certificates:verify", args=[new.verification_code]) in html
    assert "Đổi đơn vị" not in html  # HR's note is internal
    assert "Điều chỉnh thông tin" in html  # the published reason
    facts = client.get(
        reverse("certificates:verify", args=[certificate.verification_code]),
        HTTP_ACCEPT="application/json",
    ).json()
    assert facts["superseded_by"].endswith(
        reverse("certificates:verify", args=[new.verification_code])
    )
    assert facts["status_changed_on"] == timezone.localdate().isoformat()


# --- admin ----------------------------------------------------------------------------------


def test_hr_revokes_from_the_admin_and_sees_the_history(client, certificate, provinces):
    hr = hr_officer_of(provinces["hanoi"])
    client.force_login(hr)
    inspect = client.get(reverse("certificate:inspect", args=[certificate.pk])).content.decode()
    assert reverse("certificate:revoke", args=[certificate.pk]) in inspect
    response = client.post(
        reverse("certificate:revoke", args=[certificate.pk]),
        {"public_reason": "misconduct", "reason": "Bằng giả"},
    )
    assert response.url == reverse("certificate:inspect", args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    inspect = client.get(response.url).content.decode()
    assert "data-certificate-audit" in inspect and "Bằng giả" in inspect
    assert reverse("certificate:revoke", args=[certificate.pk]) not in inspect


def test_the_admin_reissue_shows_the_new_certificate(client, certificate, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("certificate:reissue", args=[certificate.pk]), {"reason": "Sửa chức vụ"}
    )
    new = Certificate.objects.get(basis=f"reissue:{certificate.pk}")
    assert response.url == reverse("certificate:inspect", args=[new.pk])
    assert certificate.serial in client.get(response.url).content.decode()  # "replaces"


def test_an_empty_reason_in_the_admin_changes_nothing(client, certificate, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("certificate:revoke", args=[certificate.pk]), {"reason": ""})
    assert response.status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_nobody_edits_a_certificate_directly(client, certificate, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("certificate:edit", args=[certificate.pk]))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    listing = client.get(reverse("certificate:index")).content.decode()
    assert reverse("certificate:edit", args=[certificate.pk]) not in listing
    assert reverse("certificate:revoke", args=[certificate.pk]) in listing


def test_an_expiring_certificate_can_be_revoked_but_not_after_expiry_reissued(
    client, certificate, admin_user
):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() - timedelta(days=1),
        issued_on=timezone.localdate() - timedelta(days=400),
    )
    client.force_login(admin_user)
    inspect = client.get(reverse("certificate:inspect", args=[certificate.pk])).content.decode()
    assert reverse("certificate:revoke", args=[certificate.pk]) in inspect
    assert reverse("certificate:reissue", args=[certificate.pk]) not in inspect


# --- the published reason ---------------------------------------------------------------------


def test_revoking_requires_a_published_reason_from_the_list(certificate, admin_user):
    for bad in ("", "made-up", "data_corrected", "recertified", "<script>"):
        with pytest.raises(CertificateActionError):
            certificate_revoke(
                certificate=certificate, by=admin_user, public_reason=bad, reason="Ghi chú"
            )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID
    assert not ModelLogEntry.objects.exists()


def test_the_admin_refuses_a_revocation_without_a_listed_reason(client, certificate, admin_user):
    client.force_login(admin_user)
    url = reverse("certificate:revoke", args=[certificate.pk])
    form = client.get(url).content.decode()
    assert 'name="public_reason"' in form
    assert "Cấp nhầm" in form  # the choices read in Vietnamese
    for data in ({"reason": "Ghi chú"}, {"public_reason": "bogus", "reason": "Ghi chú"}):
        assert client.post(url, data).status_code == 200
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_the_verification_page_and_json_publish_only_the_listed_reason(
    client, certificate, admin_user
):
    certificate_revoke(
        certificate=certificate,
        by=admin_user,
        public_reason=Certificate.PublicReason.MISCONDUCT,
        reason="Anh Đức nhờ người thi hộ, phòng thi số 3",
    )
    url = reverse("certificates:verify", args=[certificate.verification_code])
    html = client.get(url).content.decode()
    assert "Gian lận hoặc vi phạm" in html
    assert "thi hộ" not in html
    facts = client.get(url, HTTP_ACCEPT="application/json").json()
    assert facts["reason_code"] == "misconduct"
    assert facts["reason"] == "Gian lận hoặc vi phạm quy chế"
    assert "thi hộ" not in str(facts)
    # HR still reads its own words in the admin
    client.force_login(admin_user)
    inspect = client.get(reverse("certificate:inspect", args=[certificate.pk])).content.decode()
    assert "thi hộ" in inspect


def test_a_reissue_and_a_recertification_publish_their_own_reason(certificate, admin_user):
    certificate_reissue(certificate=certificate, by=admin_user, reason="Sai ngày sinh")
    certificate.refresh_from_db()
    assert certificate.public_reason == Certificate.PublicReason.DATA_CORRECTED


def test_existing_revocations_get_a_neutral_published_reason(certificate):
    """The migration: free text once published stays only as the internal note."""
    from importlib import import_module

    from django.apps import apps

    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED, status_reason="Lý do cũ", public_reason=""
    )
    migration = import_module("certificates.migrations.0010_public_reason_and_site_url")
    migration.public_reasons_fill(apps, None)
    certificate.refresh_from_db()
    assert certificate.public_reason == Certificate.PublicReason.OTHER
    assert certificate.status_reason == "Lý do cũ"
