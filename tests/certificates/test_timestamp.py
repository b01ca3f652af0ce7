"""PAdES B-B by default; B-T (an RFC 3161 signature timestamp) when CERTIFICATE_TSA_URL is set.
The TSA here is pyHanko's DummyTimeStamper, in process: nothing goes on the network."""

import datetime
import io

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from certificates import signing
from certificates.models import Certificate
from certificates.services import certificate_issue, certificate_render_pdf
from certificates.verification import Signature, Verdict, pdf_check
from tests.certificates.factories import CertificateTemplateFactory
from tests.certificates.helpers import pdf_bytes, signature_status
from tests.staff.factories import StaffRecordFactory


@pytest.fixture
def certificate(db):
    return certificate_issue(
        staff=StaffRecordFactory(full_name="Lục Văn Tường"),
        template=CertificateTemplateFactory(),
        basis="manual:1",
        competencies=[{"code": "MET-01", "title": "Đo lường", "level": "2. Vận dụng"}],
    )


def dummy_tsa() -> DummyTimeStamper:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # pyHanko's dummy: RSA
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TSA thử nghiệm")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )


def has_signature_timestamp(data: bytes) -> bool:
    """Whether the CMS signature carries an RFC 3161 signature-time-stamp-token attribute."""
    (embedded,) = PdfFileReader(io.BytesIO(data)).embedded_signatures
    unsigned = embedded.signer_info["unsigned_attrs"]
    if not unsigned.native:
        return False
    return any(a["type"].native == "signature_time_stamp_token" for a in unsigned)


def test_without_a_tsa_the_signature_is_pades_b_b(certificate, settings):
    settings.CERTIFICATE_TSA_URL = ""
    assert signing.timestamper_from_settings() is None
    data = pdf_bytes(certificate_render_pdf(certificate_id=certificate.pk))
    assert not has_signature_timestamp(data)
    assert signature_status(data).timestamp_validity is None


def test_a_configured_tsa_url_is_asked_over_http(settings):
    settings.CERTIFICATE_TSA_URL = "https://tsa.example.gov.vn/tsr"
    timestamper = signing.timestamper_from_settings()
    assert isinstance(timestamper, RequestsHTTPTimeStamper)
    assert timestamper.url == "https://tsa.example.gov.vn/tsr"


def test_with_a_tsa_the_signature_carries_a_valid_timestamp_b_t(certificate, monkeypatch):
    monkeypatch.setattr(signing, "timestamper_from_settings", dummy_tsa)
    certificate = certificate_render_pdf(certificate_id=certificate.pk)
    data = pdf_bytes(certificate)
    assert has_signature_timestamp(data)
    status = signature_status(data)
    assert status.intact and status.valid and status.trusted
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid
    # and the verification page still recognises the file as the one issued, intact
    check = pdf_check(data=data)
    assert check.verdict == Verdict.ISSUED and check.signature == Signature.INTACT


def test_a_tsa_that_does_not_answer_fails_the_signing_and_stores_nothing(certificate, settings):
    settings.CERTIFICATE_TSA_URL = "http://127.0.0.1:9/tsr"  # discard port: refused at once
    settings.CERTIFICATE_TSA_TIMEOUT = 2
    with pytest.raises(signing.SignerError):
        certificate_render_pdf(certificate_id=certificate.pk)
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert not certificate.pdf and certificate.signed_at is None
