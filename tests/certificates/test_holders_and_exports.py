"""Officers' "My certificates" and downloads; HR's ZIP and CSV of a unit; the staff record's
certificate list."""

import csv
import io
import zipfile
from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from certificates import exporting
from certificates.admin_views import staff_record_certificates_panel
from certificates.models import Certificate, CertificateExport
from certificates.services import certificate_issue, certificate_render_pdf, certificate_revoke
from tests.certificates.factories import CertificateTemplateFactory
from tests.certificates.helpers import pdf_bytes
from tests.staff.factories import StaffRecordFactory, hr_officer_of


def issue(staff, basis="manual:1", template=None, render=True):
    certificate = certificate_issue(
        staff=staff,
        template=template or CertificateTemplateFactory(),
        basis=basis,
        competencies=[{"code": "MET-01", "title": "Đo lường", "level": "2"}],
    )
    return certificate_render_pdf(certificate_id=certificate.pk) if render else certificate


@pytest.fixture
def people(provinces):
    officer = StaffRecordFactory(
        full_name="Hoàng Thị Mai", personnel_number="HN-1", org_unit=provinces["ward"]
    )
    colleague = StaffRecordFactory(
        full_name='=HYPERLINK("http://x")', personnel_number="HN-2", org_unit=provinces["ward"]
    )
    far = StaffRecordFactory(
        full_name="Bế Văn Bắc", personnel_number="CB-1", org_unit=provinces["commune"]
    )
    return {"officer": officer, "colleague": colleague, "far": far}


# --- the officer ----------------------------------------------------------------------------


def test_my_certificates_lists_mine_with_status_and_downloads(client, people):
    mine = issue(people["officer"])
    other = issue(people["colleague"])
    client.force_login(people["officer"].user)
    html = client.get(reverse("certificates:my_certificates")).content.decode()
    assert mine.serial in html and other.serial not in html
    assert reverse("certificates:download", args=[mine.pk]) in html
    assert 'class="badge status-valid"' in html


def test_my_certificates_costs_the_same_queries_for_two_or_six(
    client, people, django_assert_max_num_queries
):
    template = CertificateTemplateFactory()
    for n in range(2):
        issue(people["officer"], basis=f"b{n}", template=template, render=False)
    client.force_login(people["officer"].user)
    with django_assert_max_num_queries(8) as two:
        client.get(reverse("certificates:my_certificates"))
    for n in range(2, 6):
        issue(people["officer"], basis=f"b{n}", template=template, render=False)
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get(reverse("certificates:my_certificates"))


def test_the_dashboard_links_to_my_certificates(client, people):
    client.force_login(people["officer"].user)
    html = client.get(reverse("dashboard")).content.decode()
    assert reverse("certificates:my_certificates") in html


@pytest.mark.parametrize(
    ("who", "expected"),
    [("holder", 200), ("colleague", 404), ("hr_hanoi", 200), ("hr_caobang", 404)],
)
def test_a_certificate_pdf_is_downloaded_only_by_its_holder_and_hr_in_scope(
    client, people, provinces, who, expected
):
    certificate = issue(people["officer"])
    user = {
        "holder": people["officer"].user,
        "colleague": people["colleague"].user,
        "hr_hanoi": hr_officer_of(provinces["hanoi"]),
        "hr_caobang": hr_officer_of(provinces["caobang"]),
    }[who]
    client.force_login(user)
    response = client.get(reverse("certificates:download", args=[certificate.pk]))
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content) == pdf_bytes(certificate)
        assert response["Cache-Control"] == "private, no-store"


def test_guessing_certificate_ids_finds_nothing(client, people):
    certificate = issue(people["officer"])
    client.force_login(people["colleague"].user)
    for pk in (certificate.pk, certificate.pk + 1, 999999):
        assert client.get(reverse("certificates:download", args=[pk])).status_code == 404


# --- HR exports ---------------------------------------------------------------------------


def test_hr_downloads_the_pdfs_of_a_unit_as_one_zip(client, people, provinces):
    mine = issue(people["officer"])
    colleague = issue(people["colleague"])
    revoked = issue(people["officer"], basis="manual:2")
    issue(people["far"])
    hr = hr_officer_of(provinces["hanoi"])
    certificate_revoke(public_reason="issued_in_error", certificate=revoked, by=hr, reason="Sai")
    client.force_login(hr)
    response = client.post(
        reverse("certificates_admin:export"),
        {"org_unit": provinces["hanoi"].pk, "only_valid": "on", "format": "zip"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == [
        f"01-BD/HN-1_{mine.serial}.pdf",
        f"01-BD/HN-2_{colleague.serial}.pdf",
    ]
    assert archive.read(f"01-BD/HN-1_{mine.serial}.pdf") == pdf_bytes(mine)


def test_hr_cannot_export_a_unit_outside_their_scope(client, people, provinces):
    issue(people["far"])
    client.force_login(hr_officer_of(provinces["hanoi"]))
    response = client.post(
        reverse("certificates_admin:export"),
        {"org_unit": provinces["caobang"].pk, "format": "zip"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert response["Content-Type"].startswith("text/html")
    assert "Bế Văn Bắc" not in response.content.decode()


def test_the_csv_for_the_personnel_system_escapes_formulas(client, people, provinces):
    issue(people["officer"])
    issue(people["colleague"])
    client.force_login(hr_officer_of(provinces["hanoi"]))
    response = client.post(
        reverse("certificates_admin:export"),
        {"org_unit": provinces["ward"].pk, "only_valid": "on", "format": "csv"},
    )
    data = b"".join(response.streaming_content)
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == 3
    by_number = {row[0]: row for row in rows[1:]}
    assert by_number["HN-1"][1] == "Hoàng Thị Mai"
    assert by_number["HN-2"][1] == '\'=HYPERLINK("http://x")'
    assert by_number["HN-1"][8] == "MET-01 (2)"  # the level in brackets, not "MET-01:2"
    assert by_number["HN-1"][11] == "Còn hiệu lực"  # the label HR reads, not "valid"
    mine = Certificate.objects.get(staff__personnel_number="HN-1")
    assert by_number["HN-1"][9] == mine.issued_on.strftime("%d/%m/%Y")
    assert by_number["HN-1"][10] == mine.valid_until.strftime("%d/%m/%Y")
    # the links follow the address the export was asked from (embedded mode, no SITE_URL)
    assert by_number["HN-1"][12] == (
        "http://testserver" + reverse("certificates:verify", args=[mine.verification_code])
    )


def test_a_large_zip_is_built_in_the_background_and_downloaded_by_its_requester(
    client, people, provinces, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("certificates.admin_views.ZIP_STREAM_MAX", 1)
    issue(people["officer"])
    issue(people["colleague"])
    hr = hr_officer_of(provinces["hanoi"])
    client.force_login(hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("certificates_admin:export"),
            {"org_unit": provinces["hanoi"].pk, "only_valid": "on", "format": "zip"},
        )
    job = CertificateExport.objects.get()
    assert response.url == reverse("certificates_admin:export_job", args=[job.pk])
    assert (job.status, job.total) == ("done", 2)
    assert 'data-export-status="done"' in client.get(response.url).content.decode()
    download = client.get(reverse("certificates_admin:export_download", args=[job.pk]))
    assert len(zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))).namelist()) == 2
    client.force_login(hr_officer_of(provinces["hanoi"]))  # a colleague: not theirs
    assert (
        client.get(reverse("certificates_admin:export_download", args=[job.pk])).status_code == 404
    )


def test_certificates_without_a_pdf_yet_are_left_out_of_the_zip(people, provinces):
    issue(people["officer"], render=False)
    data = b"".join(
        exporting.zip_stream(
            exporting.certificate_export_queryset(user=hr_officer_of(provinces["hanoi"]))
        )
    )
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == []


def test_expired_certificates_are_left_out_of_a_valid_only_export(people, provinces):
    certificate = issue(people["officer"])
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=date(2020, 1, 1), valid_until=date(2021, 1, 1)
    )
    hr = hr_officer_of(provinces["hanoi"])
    assert not exporting.certificate_export_queryset(user=hr, only_valid=True).exists()
    assert exporting.certificate_export_queryset(user=hr, only_valid=False).count() == 1


# --- the staff record -----------------------------------------------------------------------


def test_the_staff_record_panel_lists_the_persons_certificates_in_scope(people, provinces):
    certificate = issue(people["officer"])
    request = RequestFactory().get("/")
    request.user = hr_officer_of(provinces["hanoi"])
    html = staff_record_certificates_panel(request=request, staff=people["officer"])
    assert certificate.serial in html
    assert reverse("certificate:inspect", args=[certificate.pk]) in html
    request.user = hr_officer_of(provinces["caobang"])
    assert certificate.serial not in staff_record_certificates_panel(
        request=request, staff=people["officer"]
    )


def test_the_certificate_listing_narrows_to_one_holder(client, people, provinces):
    mine = issue(people["officer"])
    theirs = issue(people["colleague"])
    client.force_login(hr_officer_of(provinces["hanoi"]))
    html = client.get(
        reverse("certificate:index"), {"staff": people["officer"].pk}
    ).content.decode()
    assert mine.serial in html and theirs.serial not in html


def test_hr_finds_a_persons_certificates_by_personnel_number(client, people, provinces):
    mine = issue(people["officer"])
    theirs = issue(people["colleague"])
    client.force_login(hr_officer_of(provinces["hanoi"]))
    html = client.get(reverse("certificate:index"), {"q": "HN-1"}).content.decode()
    assert mine.serial in html and theirs.serial not in html
