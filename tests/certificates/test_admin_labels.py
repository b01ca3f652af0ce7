"""The certificate's admin page and files speak Vietnamese: labels, dates, the basis in words,
no raw None, and a compact badge download instead of the whole JWT."""

import re

import pytest
from django.urls import reverse

from certificates.admin_views import basis_label
from certificates.services import certificate_issue, certificate_render_pdf, certificate_revoke
from tests.certificates.factories import CertificateTemplateFactory
from tests.staff.factories import StaffRecordFactory, hr_officer_of


@pytest.fixture
def certificate(provinces):
    issued = certificate_issue(
        staff=StaffRecordFactory(org_unit=provinces["ward"]),
        template=CertificateTemplateFactory(),
        basis="attempt:12",
        competencies=[],
    )
    return certificate_render_pdf(certificate_id=issued.pk)


def inspect_text(client, certificate, provinces) -> tuple[str, str]:
    client.force_login(hr_officer_of(provinces["hanoi"]))
    html = client.get(reverse("certificate:inspect", args=[certificate.pk])).content.decode()
    main = html[html.find("<main") :]
    text = " ".join(
        re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", main, flags=re.S)).split()
    )
    return html, text


def test_the_inspect_page_offers_the_badge_as_a_link_not_its_jwt(client, certificate, provinces):
    html, text = inspect_text(client, certificate, provinces)
    assert certificate.badge_jwt.split(".")[0] not in html
    assert certificate.verification_code not in text  # the button links to the page instead
    assert reverse("certificates:openbadge", args=[certificate.pk]) in html
    assert reverse("certificates:download", args=[certificate.pk]) in html


def test_the_inspect_page_has_no_raw_values(client, certificate, provinces):
    _html, text = inspect_text(client, certificate, provinces)
    for raw in ("None", "attempt:12", "Verification code", "Badge jwt", "Pdf sha256"):
        assert raw not in text, raw
    assert "Bài thi lần số 12" in text
    assert certificate.issued_on.strftime("%d/%m/%Y") in text


def test_a_revoked_certificate_shows_both_reasons_to_hr(client, certificate, provinces):
    certificate_revoke(
        certificate=certificate, by=None, public_reason="issued_in_error", reason="Nhầm người"
    )
    _html, text = inspect_text(client, certificate, provinces)
    assert "Cấp nhầm" in text and "Nhầm người" in text


def test_every_basis_reads_in_words(certificate):
    assert basis_label("course:3") == "Hoàn thành khóa học"
    assert basis_label(f"reissue:{certificate.pk}") == f"Cấp lại chứng chỉ {certificate.serial}"
    assert basis_label("batch:4") == "Đợt cấp hàng loạt số 4"
    assert basis_label("manual:abc") == "Cấp thủ công"
    assert basis_label("position:1:2030-01-01") == "Đáp ứng mọi yêu cầu của vị trí việc làm"
