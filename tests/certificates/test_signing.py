"""PAdES signing of certificate PDFs behind a pluggable signer."""

import datetime
import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import SignatureCoverageLevel

from certificates import signing
from certificates.models import Certificate, SigningCertificate
from certificates.services import (
    certificate_issue,
    certificate_render_pdf,
    certificates_render_batch,
    certificates_render_pending,
)
from tests.certificates.factories import CertificateTemplateFactory
from tests.certificates.helpers import pdf_bytes, pdf_text, signature_status
from tests.staff.factories import StaffRecordFactory


@pytest.fixture
def certificate(db):
    return certificate_issue(
        staff=StaffRecordFactory(full_name="Đặng Thị Ánh Tuyết"),
        template=CertificateTemplateFactory(),
        basis="manual:1",
        competencies=[{"code": "MET-01", "title": "Đo lường", "level": "2. Vận dụng"}],
    )


@pytest.fixture
def fresh_local_key(settings, tmp_path):
    """A key directory of this test's own (the shared one is generated once under var/)."""
    settings.CERTIFICATE_SIGNER = "local"
    settings.CERTIFICATE_SIGNER_DIR = tmp_path / "signing"
    return tmp_path / "signing"


def test_the_stored_pdf_is_signed_and_pyhanko_finds_it_intact_and_trusted(certificate):
    certificate = certificate_render_pdf(certificate_id=certificate.pk)
    data = pdf_bytes(certificate)
    status = signature_status(data)
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signing_cert.sha256.hex() == certificate.signed_by.fingerprint
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert certificate.signed_at is not None
    assert "Đặng Thị Ánh Tuyết" in pdf_text(data)


def test_the_signature_is_pades(certificate):
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    data = pdf_bytes(certificate_render_pdf(certificate_id=certificate.pk))
    signature = PdfFileReader(io.BytesIO(data)).embedded_signatures[0]
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    # PAdES B-B carries the signing certificate as a signed attribute
    attributes = signature.signer_info["signed_attrs"].native
    assert any(a["type"] == "signing_certificate_v2" for a in attributes)


def test_rendering_again_changes_nothing(certificate):
    first = certificate_render_pdf(certificate_id=certificate.pk)
    again = certificate_render_pdf(certificate_id=certificate.pk)
    assert (again.pdf.name, again.pdf_sha256) == (first.pdf.name, first.pdf_sha256)


def test_a_pdf_rendered_before_signing_existed_is_signed_as_it_is(certificate):
    from certificates.pdf import certificate_pdf_bytes
    from certificates.services import certificate_pdf_context

    unsigned = certificate_pdf_bytes(context=certificate_pdf_context(certificate=certificate))
    certificate.pdf.save("legacy.pdf", ContentFile(unsigned))
    certificate.pdf_sha256 = hashlib.sha256(unsigned).hexdigest()
    certificate.save()
    assert certificates_render_pending() == 1
    certificate.refresh_from_db()
    data = pdf_bytes(certificate)
    assert data.startswith(unsigned)  # an incremental update: the original bytes are kept
    assert signature_status(data).intact
    assert certificates_render_pending() == 0


def test_the_local_key_is_generated_once_even_when_processes_race(fresh_local_key):
    def load(_):
        signer = signing.LocalKeySigner(
            directory=fresh_local_key, common_name="Test", organisation="Bộ KH&CN"
        )
        with signer.session() as session:
            return signing.certificate_fingerprint(session.certificate)

    with ThreadPoolExecutor(max_workers=5) as pool:
        fingerprints = set(pool.map(load, range(5)))
    assert len(fingerprints) == 1
    files = list(fresh_local_key.iterdir())
    assert [f.name for f in files] == [signing.LOCAL_KEY_FILE]
    assert files[0].stat().st_mode & 0o077 == 0, "the key file is readable by its owner only"


def test_a_new_local_key_is_registered_and_signs(fresh_local_key, certificate):
    certificate = certificate_render_pdf(certificate_id=certificate.pk)
    assert (fresh_local_key / signing.LOCAL_KEY_FILE).exists()
    assert SigningCertificate.objects.filter(pk=certificate.signed_by_id).exists()
    assert signature_status(pdf_bytes(certificate)).trusted


def _pkcs12_file(tmp_path, passphrase: bytes):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Trung tâm ký số")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    path = tmp_path / "signer.p12"
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"signer", key, cert, None, BestAvailableEncryption(passphrase)
        )
    )
    return path


def test_a_pkcs12_file_from_the_settings_signs(settings, tmp_path, certificate):
    settings.CERTIFICATE_SIGNER = "pkcs12"
    settings.CERTIFICATE_SIGNER_PKCS12_PATH = str(_pkcs12_file(tmp_path, b"mat-khau"))
    settings.CERTIFICATE_SIGNER_PKCS12_PASSPHRASE = "mat-khau"
    certificate = certificate_render_pdf(certificate_id=certificate.pk)
    status = signature_status(pdf_bytes(certificate))
    assert status.intact and status.trusted
    assert "Trung tâm ký số" in certificate.signed_by.subject


def test_a_wrong_pkcs12_passphrase_is_a_signer_error_and_stores_nothing(
    settings, tmp_path, certificate
):
    settings.CERTIFICATE_SIGNER = "pkcs12"
    settings.CERTIFICATE_SIGNER_PKCS12_PATH = str(_pkcs12_file(tmp_path, b"right"))
    settings.CERTIFICATE_SIGNER_PKCS12_PASSPHRASE = "wrong"
    with pytest.raises(signing.SignerError):
        certificate_render_pdf(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert not certificate.pdf and not certificate.pdf_sha256


def test_pkcs11_is_configured_from_the_settings(settings):
    settings.CERTIFICATE_SIGNER = "pkcs11"
    settings.CERTIFICATE_SIGNER_PKCS11_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
    settings.CERTIFICATE_SIGNER_PKCS11_TOKEN_LABEL = "lms"
    settings.CERTIFICATE_SIGNER_PKCS11_KEY_LABEL = "cert-signer"
    settings.CERTIFICATE_SIGNER_PKCS11_PIN = "1234"
    signer = signing.signer_from_settings()
    assert isinstance(signer, signing.Pkcs11Signer)
    assert signer.config == signing.Pkcs11Config(
        module="/usr/lib/softhsm/libsofthsm2.so",
        token_label="lms",
        key_label="cert-signer",
        cert_label="",
        pin="1234",
        slot=None,
    )


@pytest.mark.parametrize(
    ("kind", "missing"),
    [
        ("pkcs11", "CERTIFICATE_SIGNER_PKCS11_MODULE"),
        ("pkcs12", "CERTIFICATE_SIGNER_PKCS12_PATH"),
        ("hsm", "CERTIFICATE_SIGNER must be"),
    ],
)
def test_an_incomplete_signer_configuration_says_what_is_missing(settings, kind, missing):
    settings.CERTIFICATE_SIGNER = kind
    with pytest.raises(ImproperlyConfigured, match=missing):
        signing.signer_from_settings()


def test_a_batch_opens_the_pkcs11_token_once(settings, monkeypatch, db):
    """No token here (nor python-pkcs11): pyHanko's PKCS#11 module is replaced by stand-ins
    backed by the local key, which is enough to show one login serves the whole batch and the
    session is closed after it."""
    opened = []

    class FakeTokenSession:
        closed = False

        def close(self):
            self.closed = True

    def open_session(module, *, slot_no, token_criteria, user_pin):
        assert (module, token_criteria.label, user_pin) == ("/lib/token.so", "lms", "1234")
        opened.append(FakeTokenSession())
        return opened[-1]

    local = signing.LocalKeySigner(
        directory=settings.CERTIFICATE_SIGNER_DIR, common_name="x", organisation="y"
    )

    def token_signer(session, *, cert_label, key_label):
        assert session is opened[-1] and key_label == "signer"
        return local.loaded()

    fake = SimpleNamespace(open_pkcs11_session=open_session, PKCS11Signer=token_signer)
    monkeypatch.setattr(signing, "pkcs11_module", lambda: fake)
    settings.CERTIFICATE_SIGNER = "pkcs11"
    settings.CERTIFICATE_SIGNER_PKCS11_MODULE = "/lib/token.so"
    settings.CERTIFICATE_SIGNER_PKCS11_TOKEN_LABEL = "lms"
    settings.CERTIFICATE_SIGNER_PKCS11_KEY_LABEL = "signer"
    settings.CERTIFICATE_SIGNER_PKCS11_PIN = "1234"
    template = CertificateTemplateFactory()
    ids = [
        certificate_issue(
            staff=StaffRecordFactory(), template=template, basis="manual:1", competencies=[]
        ).pk
        for _ in range(3)
    ]
    assert certificates_render_batch(certificate_ids=ids) == 3
    assert len(opened) == 1 and opened[0].closed
    assert Certificate.objects.filter(pk__in=ids, signed_at__isnull=False).count() == 3


def test_a_token_that_cannot_be_opened_is_a_signer_error(settings, monkeypatch):
    def refuse(*args, **kwargs):
        raise SigningError("no token")

    monkeypatch.setattr(
        signing, "pkcs11_module", lambda: SimpleNamespace(open_pkcs11_session=refuse)
    )
    settings.CERTIFICATE_SIGNER = "pkcs11"
    settings.CERTIFICATE_SIGNER_PKCS11_MODULE = "/lib/token.so"
    settings.CERTIFICATE_SIGNER_PKCS11_KEY_LABEL = "signer"
    with pytest.raises(signing.SignerError), signing.signer_get().session():
        pass


def test_the_signer_is_loaded_once_per_process(settings):
    assert signing.signer_get() is signing.signer_get()
    threads = [threading.Thread(target=signing.signer_get) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
