import io
from concurrent.futures import ThreadPoolExecutor

import pytest
import qrcode
from pypdf import PdfReader

from assessments.services import attempt_save_answer, attempt_start, attempt_submit
from certificates.models import Certificate
from certificates.pdf import QR_MASK_PATTERN
from certificates.services import certificate_issue, certificate_render_pdf, verify_url
from tests.conftest import correct_response, wrong_response
from tests.staff.factories import StaffRecordFactory


def pass_exam(world, picker=correct_response):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    for seq, item in enumerate(attempt.items.select_related("question_version__question"), 1):
        attempt_save_answer(attempt=attempt, item=item, response=picker(item), seq=seq)
    return attempt_submit(attempt=attempt, idempotency_key="key")


def test_passing_the_certification_exam_issues_one_certificate_with_a_pdf(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = pass_exam(world)
    certificate = Certificate.objects.get()
    assert certificate.staff == world.officer
    assert certificate.basis == f"attempt:{attempt.pk}"
    assert certificate.competencies[0]["code"] == "MET-01"
    assert certificate.serial.startswith(f"CC-{certificate.issued_on.year}-")
    assert certificate.pdf and len(certificate.pdf_sha256) == 64


def test_failing_issues_nothing(world):
    pass_exam(world, picker=wrong_response)
    assert not Certificate.objects.exists()


def test_issuing_again_for_the_same_basis_returns_the_same_certificate(world):
    attempt = pass_exam(world)
    certificate = Certificate.objects.get()
    template = certificate.template
    again = certificate_issue(
        staff=world.officer, template=template, basis=f"attempt:{attempt.pk}", competencies=[]
    )
    assert again.pk == certificate.pk
    assert Certificate.objects.count() == 1


def test_verification_codes_carry_at_least_128_random_bits_and_differ(world):
    pass_exam(world)
    first = Certificate.objects.get()
    other = certificate_issue(
        staff=StaffRecordFactory(org_unit=world.officer.org_unit),
        template=first.template,
        basis="manual:1",
        competencies=[],
    )
    for code in (first.verification_code, other.verification_code):
        # base64url: 6 bits per character
        assert len(code) * 6 >= 128
        assert first.serial not in code
    assert first.verification_code != other.verification_code


def test_serials_count_up_within_the_year(world):
    pass_exam(world)
    first = Certificate.objects.get()
    other = certificate_issue(
        staff=StaffRecordFactory(org_unit=world.officer.org_unit),
        template=first.template,
        basis="manual:2",
        competencies=[],
    )
    assert int(other.serial.rsplit("-", 1)[1]) == int(first.serial.rsplit("-", 1)[1]) + 1


@pytest.mark.parametrize("name", ["Nguyễn Thị Thu Hương", "Đặng Văn Ơn"])
def test_the_pdf_keeps_vietnamese_names_intact_and_carries_the_serial(world, name):
    world.officer.full_name = name
    world.officer.save()
    pass_exam(world)
    certificate = certificate_render_pdf(certificate_id=Certificate.objects.get().pk)
    with certificate.pdf.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert name in text
    assert certificate.serial in text
    images = [img for page in reader.pages for img in page.images]
    assert images, "the QR code image is embedded"


def test_the_pdf_qr_code_is_the_one_of_the_verification_url(world):
    pass_exam(world)
    certificate = certificate_render_pdf(certificate_id=Certificate.objects.get().pk)
    with certificate.pdf.open("rb") as fh:
        embedded = PdfReader(io.BytesIO(fh.read())).pages[0].images[0].image
    # the symbol the qrcode library draws for the verification URL, with the PDF's settings
    code = qrcode.QRCode(box_size=6, border=2, mask_pattern=QR_MASK_PATTERN)
    code.add_data(verify_url(certificate=certificate))
    expected = code.make_image()
    assert embedded.convert("1").tobytes() == expected.get_image().convert("1").tobytes()
    assert verify_url(certificate=certificate).endswith(f"/verify/{certificate.verification_code}/")


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_yields_exactly_one_certificate(world):
    pass_exam(world)
    certificate = Certificate.objects.get()
    staff = StaffRecordFactory(org_unit=world.officer.org_unit)

    def issue(_):
        from django.db import connection

        try:
            return certificate_issue(
                staff=staff, template=certificate.template, basis="race:1", competencies=[]
            ).pk
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=5) as pool:
        ids = set(pool.map(issue, range(5)))
    assert len(ids) == 1
    assert Certificate.objects.filter(staff=staff).count() == 1


def test_certificates_left_without_a_pdf_are_rendered_by_the_catch_up_command(world):
    from django.core.management import call_command

    pass_exam(world)  # on-commit callbacks are not run here: no PDF yet
    assert not Certificate.objects.get().pdf
    out = io.StringIO()
    call_command("render_pending_certificates", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert Certificate.objects.get().pdf
    call_command("render_pending_certificates", stdout=out)
    assert "0 certificate" in out.getvalue()
