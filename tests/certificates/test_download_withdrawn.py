"""A revoked or superseded certificate is not handed out as a clean file: the holder and HR get
its status and published reason instead (410), and a replaced one leads to its successor."""

import pytest
from django.urls import reverse

from certificates.models import Certificate
from certificates.services import (
    certificate_issue,
    certificate_reissue,
    certificate_render_pdf,
    certificate_revoke,
)
from tests.certificates.factories import CertificateTemplateFactory
from tests.staff.factories import StaffRecordFactory, hr_officer_of


@pytest.fixture
def certificate(provinces):
    issued = certificate_issue(
        staff=StaffRecordFactory(full_name="Nông Thị Hoa", org_unit=provinces["ward"]),
        template=CertificateTemplateFactory(),
        basis="manual:1",
        competencies=[],
    )
    return certificate_render_pdf(certificate_id=issued.pk)


def urls(certificate):
    return [
        reverse("certificates:download", args=[certificate.pk]),
        reverse("certificates:openbadge", args=[certificate.pk]),
    ]


def test_a_valid_certificate_downloads(client, certificate):
    client.force_login(certificate.staff.user)
    for url in urls(certificate):
        assert client.get(url).status_code == 200


def test_the_holder_and_hr_are_refused_a_revoked_certificate_with_its_reason(
    client, certificate, provinces
):
    certificate_revoke(
        certificate=certificate,
        by=None,
        public_reason=Certificate.PublicReason.ISSUED_IN_ERROR,
        reason="Nhầm người",
    )
    for user in (certificate.staff.user, hr_officer_of(provinces["hanoi"])):
        client.force_login(user)
        for url in urls(certificate):
            response = client.get(url)
            assert response.status_code == 410
            assert response["Content-Type"].startswith("text/html")
            html = response.content.decode()
            assert 'data-status="revoked"' in html and "Cấp nhầm" in html
            assert "Nhầm người" not in html
            assert b"%PDF" not in response.content
    client.force_login(certificate.staff.user)
    page = client.get(reverse("certificates:my_certificates")).content.decode()
    assert reverse("certificates:download", args=[certificate.pk]) not in page


def test_a_superseded_certificate_leads_to_its_successor(
    client, certificate, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = certificate_reissue(certificate=certificate, by=None, reason="Sửa tên")
    client.force_login(certificate.staff.user)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == 410
    assert reverse("certificates:download", args=[new.pk]) in response.content.decode()
    assert client.get(reverse("certificates:download", args=[new.pk])).status_code == 200


def test_someone_else_still_gets_404_not_the_status(client, certificate):
    certificate_revoke(certificate=certificate, by=None, public_reason="other", reason="Khác")
    client.force_login(StaffRecordFactory().user)
    for url in urls(certificate):
        assert client.get(url).status_code == 404


def test_the_admin_offers_no_download_of_a_revoked_certificate(client, certificate, provinces):
    certificate_revoke(certificate=certificate, by=None, public_reason="other", reason="Khác")
    client.force_login(hr_officer_of(provinces["hanoi"]))
    html = client.get(reverse("certificate:inspect", args=[certificate.pk])).content.decode()
    for url in urls(certificate):
        assert url not in html
