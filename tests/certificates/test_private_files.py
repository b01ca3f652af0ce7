"""Certificate files are never reachable from a public media URL: they live in the private
storage, outside MEDIA_ROOT, and every page links to the checked download view instead."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from certificates.services import certificate_issue, certificate_render_pdf
from tests.certificates.factories import CertificateTemplateFactory
from tests.staff.factories import StaffRecordFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def certificate(db):
    issued = certificate_issue(
        staff=StaffRecordFactory(full_name="Nông Thị Hoa"),
        template=CertificateTemplateFactory(),
        basis="manual:1",
        competencies=[{"code": "MET-01", "title": "Đo lường", "level": "2"}],
    )
    return certificate_render_pdf(certificate_id=issued.pk)


def test_the_file_is_stored_outside_the_public_media_folder(certificate):
    from django.core.files.storage import default_storage, storages

    path = Path(certificate.pdf.path).resolve()
    private = Path(storages["private"].location).resolve()
    public = Path(default_storage.location).resolve()
    assert certificate.pdf.storage.location == storages["private"].location
    assert path.is_relative_to(private)
    assert not path.is_relative_to(public)
    # and as configured (not only in the tests): the private folder is not under MEDIA_ROOT
    assert (
        not Path(settings.PRIVATE_MEDIA_ROOT)
        .resolve()
        .is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    )


def test_the_media_url_of_the_file_serves_nothing(client, certificate):
    assert client.get(settings.MEDIA_URL + certificate.pdf.name).status_code == 404


def test_the_holders_page_links_to_the_checked_download_only(client, certificate):
    client.force_login(certificate.staff.user)
    html = client.get(reverse("certificates:my_certificates")).content.decode()
    assert reverse("certificates:download", args=[certificate.pk]) in html
    assert certificate.pdf.name not in html


def test_no_template_prints_a_storage_url_of_a_certificate_file():
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert ".pdf.url" not in text and ".file.url" not in text, template
