"""Public verification: the facts and live status, JSON, unknown codes, the rate limit, the
log, and checking an uploaded PDF."""

import io
import json
import logging
import re
import secrets
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_render_pdf
from certificates.verification import Verdict, pdf_check
from tests.certificates.factories import CertificateTemplateFactory
from tests.certificates.helpers import pdf_bytes
from tests.staff.factories import StaffRecordFactory

COMPETENCIES = [
    {"code": "MET-01", "title": "Quản lý phương tiện đo nhóm 2", "level": "2. Vận dụng"},
    {"code": "SHTT-02", "title": "Sở hữu trí tuệ cơ bản", "level": "1. Biết"},
]


@pytest.fixture
def certificate(db):
    staff = StaffRecordFactory(
        full_name="Lê Thị Hồng Nhung",
        personnel_number="HN-000123",
        email="nhung@example.vn",
        org_unit__name="Phường Hoàn Kiếm",
        position__name="Công chức Văn hoá - Xã hội",
    )
    issued = certificate_issue(
        staff=staff,
        template=CertificateTemplateFactory(
            title="Chứng chỉ năng lực Đo lường", issuer="Sở Khoa học và Công nghệ Hà Nội"
        ),
        basis="manual:1",
        competencies=COMPETENCIES,
    )
    return certificate_render_pdf(certificate_id=issued.pk)


def page(client, code, **headers):
    return client.get(reverse("certificates:verify", args=[code]), **headers)


def test_the_page_shows_every_fact_and_the_live_status(client, certificate):
    html = page(client, certificate.verification_code).content.decode()
    for fact in (
        "Lê Thị Hồng Nhung",
        "Công chức Văn hoá - Xã hội",
        "Phường Hoàn Kiếm",
        "Chứng chỉ năng lực Đo lường",
        "Sở Khoa học và Công nghệ Hà Nội",
        "MET-01 Quản lý phương tiện đo nhóm 2",
        "2. Vận dụng",
        "SHTT-02",
        certificate.issued_on.strftime("%d/%m/%Y"),
        certificate.valid_until.strftime("%d/%m/%Y"),
        certificate.serial,
        certificate.pdf_sha256,
    ):
        assert fact in html
    assert 'data-status="valid"' in html


def test_the_same_facts_as_json_when_asked(client, certificate):
    response = page(client, certificate.verification_code, HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json"
    assert "Accept" in response["Vary"]
    facts = response.json()
    assert facts["status"] == "valid"
    assert facts["holder"] == "Lê Thị Hồng Nhung"
    assert facts["position"] == "Công chức Văn hoá - Xã hội"
    assert facts["unit"] == "Phường Hoàn Kiếm"
    assert facts["title"] == "Chứng chỉ năng lực Đo lường"
    assert facts["issuer"] == "Sở Khoa học và Công nghệ Hà Nội"
    assert facts["competencies"] == COMPETENCIES
    assert facts["issued_on"] == certificate.issued_on.isoformat()
    assert facts["valid_until"] == certificate.valid_until.isoformat()
    assert facts["pdf_sha256"] == certificate.pdf_sha256
    # a browser's Accept header gets the page
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert page(client, certificate.verification_code, HTTP_ACCEPT=browser)[
        "Content-Type"
    ].startswith("text/html")


def test_verification_reveals_nothing_of_the_staff_record(client, certificate):
    """Holding the code gives the certificate's facts, never the personnel record."""
    code = certificate.verification_code
    for response in (page(client, code), page(client, code, HTTP_ACCEPT="application/json")):
        body = response.content.decode()
        for private in ("HN-000123", "nhung@example.vn", certificate.staff.user.username):
            assert private not in body
        assert reverse("certificates:download", args=[certificate.pk]) not in body
    assert set(page(client, code, HTTP_ACCEPT="application/json").json()) == {
        "status", "status_label", "serial", "title", "issuer", "holder", "position", "unit",
        "competencies", "issued_on", "valid_until", "pdf_sha256", "verify_url",
    }  # fmt: skip


def _normalised(response) -> str:
    """The body without what differs per request anyway: the CSRF token and the language
    switcher's return path (the address the visitor typed)."""
    body = response.content.decode()
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", body)
    return re.sub(r'name="next" value="[^"]*"', "NEXT", body)


@pytest.mark.parametrize("as_json", [False, True])
def test_unknown_codes_all_get_the_same_answer(client, certificate, as_json):
    headers = {"HTTP_ACCEPT": "application/json"} if as_json else {}
    near = certificate.verification_code[:-1] + (
        "A" if certificate.verification_code[-1] != "A" else "B"
    )
    codes = [secrets.token_urlsafe(32), near, "x", "0" * 300, "' OR 1=1 --"]
    responses = [page(client, code, **headers) for code in codes]
    answers = {(r.status_code, _normalised(r)) for r in responses}
    assert len(answers) == 1
    status, body = answers.pop()
    assert status == 404
    assert certificate.holder_name not in body and certificate.serial not in body
    if as_json:
        assert json.loads(body) == {"status": "not_found"}


def test_an_expiring_certificate_says_so(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() + timedelta(days=10)
    )
    assert (
        page(client, certificate.verification_code, HTTP_ACCEPT="application/json").json()["status"]
        == "expiring"
    )


def test_an_expired_certificate_says_so_with_its_date(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_on=date(2020, 1, 1), valid_until=date(2023, 1, 1)
    )
    html = page(client, certificate.verification_code).content.decode()
    assert 'data-status="expired"' in html and "01/01/2023" in html


def test_a_revoked_certificate_shows_when_and_why(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED,
        status_reason="Anh Đức nhờ người thi hộ",
        public_reason=Certificate.PublicReason.ISSUED_IN_ERROR,
        status_changed_at=timezone.make_aware(timezone.datetime(2026, 3, 4, 9, 0)),
    )
    html = page(client, certificate.verification_code).content.decode()
    assert 'data-status="revoked"' in html
    assert "04/03/2026" in html and "Cấp nhầm" in html
    assert "thi hộ" not in html  # HR's own words are never published
    facts = page(client, certificate.verification_code, HTTP_ACCEPT="application/json").json()
    assert facts["status_changed_on"] == "2026-03-04"
    assert (facts["reason_code"], facts["reason"]) == ("issued_in_error", "Cấp nhầm")
    assert "thi hộ" not in str(facts)


def test_too_many_lookups_from_one_client_are_refused_for_a_minute(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE_PER_MINUTE = 5
    for _ in range(5):
        assert page(client, secrets.token_urlsafe(32)).status_code == 404
    refused = page(client, certificate.verification_code)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "data-rate-limited" in refused.content.decode()
    assert certificate.holder_name not in refused.content.decode()
    as_json = page(client, certificate.verification_code, HTTP_ACCEPT="application/json")
    assert as_json.status_code == 429 and as_json.json()["status"] == "rate_limited"
    # uploads count too
    upload = client.post(
        reverse("certificates:verify_start"),
        {"file": SimpleUploadedFile("c.pdf", pdf_bytes(certificate))},
    )
    assert upload.status_code == 429
    # another client is not affected
    other = page(client, certificate.verification_code, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_lookups_are_logged_with_the_code_prefix_only(client, certificate, caplog):
    code = certificate.verification_code
    with caplog.at_level(logging.INFO, logger="certificates.verification"):
        page(client, code)
        page(client, "unknown-code-0123456789")
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"code {code[:6]}… found" in logged and "code unknow… unknown" in logged
    assert code not in logged and certificate.holder_name not in logged


def test_the_code_form_goes_to_the_certificate_page(client, certificate):
    link = "https://lms.example.gov.vn/verify/" + certificate.verification_code + "/"
    response = client.get(reverse("certificates:verify_start"), {"code": link})
    assert response.url == reverse("certificates:verify", args=[certificate.verification_code])


# --- uploaded files ---------------------------------------------------------------------------


def upload(client, data: bytes, name="chung-chi.pdf"):
    return client.post(
        reverse("certificates:verify_start"), {"file": SimpleUploadedFile(name, data)}
    )


def verdict(response) -> tuple[str, str]:
    html = response.content.decode()
    return (
        re.search(r'data-verdict="([^"]+)"', html).group(1),
        re.search(r'data-signature="([^"]+)"', html).group(1),
    )


def flip(data: bytes, index: int) -> bytes:
    changed = bytearray(data)
    changed[index] ^= 0x01
    return bytes(changed)


def test_the_issued_file_is_recognised_with_its_signature_and_status(client, certificate):
    response = upload(client, pdf_bytes(certificate))
    assert response.status_code == 200
    assert verdict(response) == ("issued", "intact")
    html = response.content.decode()
    assert 'data-status="valid"' in html and certificate.serial in html


def test_the_issued_file_of_a_revoked_certificate_says_revoked(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED,
        status_reason="Sai thông tin",
        status_changed_at=timezone.now(),
    )
    response = upload(client, pdf_bytes(certificate))
    assert verdict(response) == ("issued", "intact")
    assert 'data-status="revoked"' in response.content.decode()


def test_a_file_with_one_byte_changed_is_reported_as_modified(client, certificate):
    data = pdf_bytes(certificate)
    # a byte inside the first page's content stream, i.e. what the page shows
    index = data.index(b"stream", data.index(b"/Length")) + 40
    response = upload(client, flip(data, index))
    assert verdict(response) == ("modified", "broken")
    assert certificate.serial in response.content.decode()  # it names the certificate


def test_content_appended_after_signing_is_reported_as_modified(client, certificate):
    data = pdf_bytes(certificate)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.add_metadata({"/Title": "Đã sửa"})
    appended = io.BytesIO()
    writer.write(appended)
    # pypdf rewrites the file: the signature breaks or the file no longer matches
    assert verdict(upload(client, appended.getvalue()))[0] in ("modified", "unknown")
    incremental = data + b"\n% appended\n"
    assert verdict(upload(client, incremental))[0] == "modified"


@hypothesis_settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(position=st.floats(min_value=0, max_value=0.999))
def test_no_single_changed_byte_passes_as_the_issued_file(certificate, position):
    data = pdf_bytes(certificate)
    check = pdf_check(data=flip(data, int(position * len(data))))
    assert check.verdict != Verdict.ISSUED


def test_a_file_that_is_not_a_pdf_gets_a_clear_answer(client, certificate):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    assert verdict(upload(client, png, "anh.png"))[0] == "not_pdf"
    assert verdict(upload(client, b""))[0] == "not_pdf"


def test_a_huge_upload_is_refused_before_it_is_read(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_UPLOAD_MAX_BYTES = 10_000
    assert verdict(upload(client, b"%PDF-1.7\n" + b"0" * 200_000))[0] == "too_large"
    assert verdict(upload(client, b"%PDF-1.7\n" + b"0" * 20_000))[0] == "too_large"


def test_an_encrypted_pdf_gets_a_clear_answer(client, certificate):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(certificate))))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-128")
    encrypted = io.BytesIO()
    writer.write(encrypted)
    assert verdict(upload(client, encrypted.getvalue()))[0] == "encrypted"


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + b"\xff" * 500,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"trailer << /Root 1 0 R >>\n%%EOF",
        b"%PDF-1.4\nxref\n0 99999999\n" + b"0000000000 65535 f \n" * 10 + b"%%EOF",
        b"%PDF-" + b"[" * 50_000,
    ],
    ids=["garbage", "no-xref", "lying-xref", "deep-nesting"],
)
def test_hostile_pdfs_never_cause_an_error_page(client, certificate, data):
    response = upload(client, data)
    assert response.status_code == 200
    assert verdict(response)[0] in ("unreadable", "unknown")


def test_a_pdf_issued_elsewhere_is_not_recognised(client, certificate):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    other = io.BytesIO()
    writer.write(other)
    assert verdict(upload(client, other.getvalue())) == ("unknown", "none")


def test_uploading_nothing_shows_the_form_again(client, db):
    response = client.post(reverse("certificates:verify_start"), {})
    assert response.status_code == 200
    assert "data-verdict" not in response.content.decode()


def test_codes_are_256_random_bits_unrelated_to_serial_and_holder(db):
    import base64

    staff = StaffRecordFactory(full_name="Lý Thị Bình", personnel_number="HN-777")
    template = CertificateTemplateFactory()
    certificates = [
        certificate_issue(staff=staff, template=template, basis=f"manual:{n}", competencies=[])
        for n in range(40)
    ]
    codes = [c.verification_code for c in certificates]
    assert len(set(codes)) == len(codes)
    for certificate in certificates:
        raw = base64.urlsafe_b64decode(certificate.verification_code + "=")
        assert len(raw) * 8 == 256
        for derived_from in (certificate.serial, "HN-777", "Bình"):
            assert derived_from not in certificate.verification_code
    # consecutive certificates of one holder share no structure: about half the bits differ
    raw = [int.from_bytes(base64.urlsafe_b64decode(c + "="), "big") for c in codes]
    differing = [bin(a ^ b).count("1") for a, b in zip(raw, raw[1:], strict=False)]
    assert 90 < sum(differing) / len(differing) < 166
