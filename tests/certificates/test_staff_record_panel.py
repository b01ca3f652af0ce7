"""The staff record's admin pages (inspect and edit) list the person's certificates, through the
`lms_staff_record_panels` hook (staff never imports certificates)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certificates.admin_views import staff_record_certificates_panel
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_reissue, certificate_revoke
from staff.wagtail_hooks import STAFF_RECORD_PANELS_HOOK, staff_record_panels
from tests.certificates.factories import CertificateTemplateFactory
from tests.staff.factories import StaffRecordFactory, UserFactory, hr_officer_of

COMPETENCIES = [{"code": "MET-01", "title": "Đo lường", "level": "2"}]


def issue(staff, basis="manual:1", template=None):
    return certificate_issue(
        staff=staff,
        template=template or CertificateTemplateFactory(),
        basis=basis,
        competencies=COMPETENCIES,
    )


@pytest.fixture
def officer(provinces):
    return StaffRecordFactory(
        full_name="Hoàng Thị Mai", personnel_number="HN-1", org_unit=provinces["ward"]
    )


@pytest.fixture
def hr(provinces):
    return hr_officer_of(provinces["hanoi"])


def page(client, view, staff):
    response = client.get(reverse(f"staffrecord:{view}", args=[staff.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("view", ["inspect", "edit"])
def test_hr_in_scope_sees_the_persons_certificates(client, officer, hr, view):
    certificate = issue(officer, template=CertificateTemplateFactory(title="Chứng chỉ đo lường"))
    client.force_login(hr)
    html = page(client, view, officer)
    assert "data-staff-certificates" in html
    assert certificate.serial in html
    assert "Chứng chỉ đo lường" in html
    assert certificate.issued_on.strftime("%d/%m/%Y") in html
    assert certificate.valid_until.strftime("%d/%m/%Y") in html
    assert "Còn hiệu lực" in html  # the live status, in Vietnamese
    assert reverse("certificate:inspect", args=[certificate.pk]) in html
    assert reverse("certificates:verify", args=[certificate.verification_code]) in html
    assert reverse("certificate:index") + f"?staff={officer.pk}" in html


def test_the_pdf_link_appears_once_the_file_exists_and_downloads_for_hr(client, officer, hr):
    from certificates.services import certificate_render_pdf

    certificate = certificate_render_pdf(certificate_id=issue(officer).pk)
    client.force_login(hr)
    download = reverse("certificates:download", args=[certificate.pk])
    assert download in page(client, "inspect", officer)
    response = client.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_each_status_reads_in_vietnamese_with_reason_and_successor(client, officer, hr):
    revoked = issue(officer, basis="manual:1")
    certificate_revoke(
        public_reason="issued_in_error", certificate=revoked, by=hr, reason="Gian lận trong kỳ thi"
    )
    old = issue(officer, basis="manual:2")
    new = certificate_reissue(certificate=old, by=hr, reason="Đổi tên")
    expired = issue(officer, basis="manual:3")
    Certificate.objects.filter(pk=expired.pk).update(
        issued_on=date(2020, 1, 1), valid_until=date(2021, 1, 1)
    )
    expiring = issue(officer, basis="manual:4")
    Certificate.objects.filter(pk=expiring.pk).update(
        valid_until=timezone.localdate() + timedelta(days=5)
    )
    client.force_login(hr)
    html = page(client, "inspect", officer)
    for certificate, code in (
        (revoked, "revoked"),
        (old, "superseded"),
        (new, "valid"),
        (expired, "expired"),
        (expiring, "expiring"),
    ):
        assert f'data-certificate="{certificate.serial}" data-status="{code}"' in html
    for label in (
        "Đã thu hồi",
        "Đã được thay thế",
        "Hết hiệu lực",
        "Còn hiệu lực, sắp hết hạn",
    ):
        assert label in html
    assert "Gian lận trong kỳ thi" in html  # HR reads its internal note
    assert "Cấp nhầm" in html  # and the published reason
    assert reverse("certificate:inspect", args=[new.pk]) in html


def test_hr_out_of_scope_reaches_neither_the_record_nor_its_certificates(
    client, officer, provinces
):
    certificate = issue(officer)
    outsider = hr_officer_of(provinces["caobang"])
    client.force_login(outsider)
    for view in ("inspect", "edit"):
        response = client.get(reverse(f"staffrecord:{view}", args=[officer.pk]))
        assert response.status_code == 404
        assert certificate.serial not in response.content.decode()
    # and the hook itself lists nothing outside the viewer's scope
    request = RequestFactory().get("/")
    request.user = outsider
    assert certificate.serial not in staff_record_certificates_panel(request=request, staff=officer)


def test_a_user_who_may_not_see_certificates_gets_no_panel(officer):
    issue(officer)
    request = RequestFactory().get("/")
    request.user = UserFactory()
    assert staff_record_certificates_panel(request=request, staff=officer) == ""
    assert staff_record_panels(request=request, staff=officer) == []


def test_no_certificates_reads_as_a_clear_message(client, officer, hr):
    client.force_login(hr)
    html = page(client, "inspect", officer)
    assert "data-staff-certificates-empty" in html
    assert "Chưa cấp chứng chỉ nào cho người này." in html


def test_the_query_count_does_not_grow_with_the_certificates(client, officer, hr):
    client.force_login(hr)
    url = reverse("staffrecord:inspect", args=[officer.pk])
    issue(officer, basis="manual:0")
    client.get(url)  # warm the caches (content types, permissions, site)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    template = CertificateTemplateFactory()
    for n in range(1, 7):
        issue(officer, basis=f"manual:{n}", template=template)
    old = Certificate.objects.filter(staff=officer).order_by("pk").first()
    certificate_reissue(certificate=old, by=hr, reason="Đổi tên")
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count("data-certificate=") == 8
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_the_panel_itself_costs_three_queries(officer, hr, django_assert_max_num_queries):
    """The viewer's scope (administrator? which units?) and the certificates, whatever their
    number."""
    for n in range(5):
        issue(officer, basis=f"manual:{n}")
    request = RequestFactory().get("/")
    request.user = hr
    request.user.has_perm("certificates.view_certificate")  # permission cache filled
    with django_assert_max_num_queries(3):
        html = staff_record_certificates_panel(request=request, staff=officer)
    assert html.count("data-certificate=") == 5


def test_staff_renders_whatever_a_hook_returns_escaping_plain_text(officer, hr):
    from wagtail import hooks

    request = RequestFactory().get("/")
    request.user = hr
    with hooks.register_temporarily(
        STAFF_RECORD_PANELS_HOOK, lambda *, request, staff: "<b>not trusted</b>"
    ):
        panels = staff_record_panels(request=request, staff=officer)
    assert "&lt;b&gt;not trusted&lt;/b&gt;" in panels[-1]
