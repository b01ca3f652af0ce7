"""Certificate e-mails are plain text: a unit "Sở KH&CN" or a title with quotes reads as
written, never as HTML entities ("KH&amp;CN", "&quot;")."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_issue, certificates_send_expiry_reminders
from tests.certificates.factories import CertificateTemplateFactory
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory, hr_officer_of

pytestmark = pytest.mark.django_db


def test_reminders_carry_names_as_written(provinces):
    unit = OrgUnitFactory(code="01-KHCN", name="Sở KH&CN Hà Nội", parent=provinces["hanoi"])
    hr = hr_officer_of(unit)
    hr.email = "nhansu@khcn.gov.vn"
    hr.save()
    holder = StaffRecordFactory(full_name="Đỗ Thị O'Hara", email="o@khcn.gov.vn", org_unit=unit)
    template = CertificateTemplateFactory(title='Chứng chỉ "Đo lường" & chất lượng')
    certificate = certificate_issue(
        staff=holder, template=template, basis="manual:1", competencies=[]
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() + timedelta(days=7)
    )
    assert certificates_send_expiry_reminders() == 1
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        text = message.subject + message.body
        assert "&amp;" not in text and "&quot;" not in text and "&#x27;" not in text
        assert 'Chứng chỉ "Đo lường" & chất lượng' in text
    to_hr = next(m for m in mail.outbox if m.to == ["nhansu@khcn.gov.vn"])
    assert "Đỗ Thị O'Hara" in to_hr.body and "Sở KH&CN Hà Nội" in to_hr.body
