"""Certificate templates in the Wagtail admin: placeholders, logo and signature images, and a
preview with sample data."""

import io

import pytest
import wagtail_factories
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from certificates.models import CertificateTemplate
from certificates.services import certificate_body_html, certificate_issue, certificate_render_pdf
from staff.roles import Role
from staff.services import user_role_grant
from tests.certificates.factories import CertificateTemplateFactory
from tests.certificates.helpers import pdf_bytes, pdf_text
from tests.staff.factories import StaffRecordFactory, UserFactory


@pytest.fixture
def trainer(roles):
    user = UserFactory(username="giangvien")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


def test_the_body_fills_every_placeholder_with_levels(db):
    certificate = certificate_issue(
        staff=StaffRecordFactory(full_name="Đỗ Văn Nam", position__name="Công chức Địa chính"),
        template=CertificateTemplateFactory(
            body="Ông/bà {holder} ({position}, {unit}) đạt: {competencies}.\n"
            "Cấp ngày {issued_on}, hiệu lực đến {valid_until}. Số {serial}."
        ),
        basis="manual:1",
        competencies=[{"code": "MET-01", "title": "Đo lường", "level": "2. Vận dụng"}],
    )
    html = certificate_body_html(certificate=certificate)
    assert "Đỗ Văn Nam (Công chức Địa chính," in html
    assert "MET-01 Đo lường (2. Vận dụng)" in html
    assert certificate.issued_on.strftime("%d/%m/%Y") in html and certificate.serial in html
    assert "<br>" in html and "{" not in html


def test_the_body_is_escaped(db):
    certificate = certificate_issue(
        staff=StaffRecordFactory(full_name="<script>alert(1)</script>"),
        template=CertificateTemplateFactory(body="<b>{holder}</b>"),
        basis="manual:1",
        competencies=[],
    )
    html = certificate_body_html(certificate=certificate)
    assert "<script>" not in html and "<b>" not in html


def test_an_unknown_placeholder_is_refused_with_the_known_ones_listed(db):
    template = CertificateTemplateFactory.build(body="Chúc mừng {ho_ten} đạt {competencies}")
    with pytest.raises(ValidationError) as error:
        template.clean()
    message = " ".join(error.value.message_dict["body"])
    assert "{ho_ten}" in message and "{holder}" in message


def test_logo_and_signature_images_are_printed(db):
    template = CertificateTemplateFactory(
        logo=wagtail_factories.ImageFactory(file__color="blue", file__width=300),
        signature_image=wagtail_factories.ImageFactory(file__color="red", file__width=200),
    )
    certificate = certificate_issue(
        staff=StaffRecordFactory(), template=template, basis="manual:1", competencies=[]
    )
    data = pdf_bytes(certificate_render_pdf(certificate_id=certificate.pk))
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 3  # logo, signature, QR code


def test_a_missing_image_file_does_not_stop_issuance(db):
    image = wagtail_factories.ImageFactory()
    image.file.storage.delete(image.file.name)
    template = CertificateTemplateFactory(logo=image)
    certificate = certificate_issue(
        staff=StaffRecordFactory(), template=template, basis="manual:1", competencies=[]
    )
    assert certificate_render_pdf(certificate_id=certificate.pk).signed_at is not None


def test_a_trainer_previews_a_template_as_a_sample_pdf(client, trainer):
    template = CertificateTemplateFactory(
        title="Chứng chỉ Bức xạ", body="Chứng nhận {holder} đạt {competencies}."
    )
    client.force_login(trainer)
    response = client.get(reverse("certificatetemplate:preview", args=[template.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    text = pdf_text(response.content)
    assert "MẪU – SAMPLE" in text
    assert "Chứng chỉ Bức xạ" in text
    assert "Nguyễn Thị Mẫu" in text and "MET-01 Quản lý phương tiện đo nhóm 2" in text


def test_the_preview_uses_the_course_competencies_when_the_template_has_a_course(client, trainer):
    from tests.competencies.factories import CompetencyFactory, ProficiencyLevelFactory
    from tests.courses.factories import (
        CourseIndexPageFactory,
        CoursePageFactory,
        site_home,
        teach,
    )

    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=site_home()))
    teach(
        course, CompetencyFactory(code="RAD-03", title="An toàn bức xạ"), ProficiencyLevelFactory()
    )
    template = CertificateTemplateFactory(course=course, body="{competencies}")
    client.force_login(trainer)
    text = pdf_text(client.get(reverse("certificatetemplate:preview", args=[template.pk])).content)
    assert "RAD-03 An toàn bức xạ" in text and "MET-01" not in text


def test_the_edit_page_offers_the_preview_and_the_image_choosers(client, trainer):
    template = CertificateTemplateFactory()
    client.force_login(trainer)
    html = client.get(reverse("certificatetemplate:edit", args=[template.pk])).content.decode()
    assert reverse("certificatetemplate:preview", args=[template.pk]) in html
    assert 'name="logo"' in html and 'name="signature_image"' in html
    assert "{competencies}" in html  # the placeholders are documented in the help text


def test_saving_a_template_with_two_rules_shows_the_error(client, trainer):
    from tests.staff.factories import PositionFactory

    template = CertificateTemplateFactory()
    position = PositionFactory()
    client.force_login(trainer)
    data = {
        "title": template.title,
        "body": template.body,
        "issuer": template.issuer,
        "signatory_name": template.signatory_name,
        "signatory_title": template.signatory_title,
        "validity_months": 36,
        "exam": "",
        "course": "",
        "position": position.pk,
        "active": "on",
    }
    assert (
        client.post(reverse("certificatetemplate:edit", args=[template.pk]), data).status_code
        == 302
    )
    data["body"] = "Xin chào {ten}"
    response = client.post(reverse("certificatetemplate:edit", args=[template.pk]), data)
    assert response.status_code == 200
    assert CertificateTemplate.objects.get(pk=template.pk).body == template.body
