"""Signing certificate PDFs (PAdES, pyHanko) and credentials (JWS), behind a pluggable signer.

`settings.CERTIFICATE_SIGNER` chooses the key:

- ``local`` (the embedded default): an RSA key and a self-signed certificate generated on first
  use into ``CERTIFICATE_SIGNER_DIR`` (``var/signing``). Generation is atomic (written to a
  temporary file, then hard-linked into place, which fails if another process won the race), so
  concurrent first runs end with one key that everybody uses.
- ``pkcs12``: a key and certificate chain from a PKCS#12 file (``CERTIFICATE_SIGNER_PKCS12_PATH``,
  passphrase from ``CERTIFICATE_SIGNER_PKCS12_PASSPHRASE``).
- ``pkcs11``: a key on a token or HSM (pyHanko's pkcs11 module, python-pkcs11), configured by
  ``CERTIFICATE_SIGNER_PKCS11_*``. Logging in to a token is slow and some tokens count logins,
  so the session is opened once per batch: callers sign many files inside one ``session()``.

A ``SigningSession`` signs PDFs (PAdES B-B: CMS with the signing-certificate-v2 attribute,
sub-filter ETSI.CAdES.detached, SHA-256) and raw bytes (for the Open Badges JWS, so the badge is
signed by the same key whatever the backend).

With ``CERTIFICATE_TSA_URL`` set, each PDF signature also carries an RFC 3161 signature
timestamp from that time-stamping authority (PAdES B-T): proof the signature existed at that
time, from a third party, so it stays verifiable after the signing certificate expires or is
replaced. It costs one HTTP round trip per certificate; a TSA that does not answer makes the
signing fail (SignerError) and the task retry, never a file without the timestamp asked for."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import hashlib
import io
import os
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

SIGNATURE_FIELD = "Signature"
# room for the CMS signature container: a 4096-bit signature with a chain of three certificates
# fits with margin; reserving it skips pyHanko's trial signature that would estimate the size
SIGNATURE_BYTES_RESERVED = 16 * 1024
# and for the timestamp token (the TSA's signature and certificate chain) when there is one
TIMESTAMP_BYTES_RESERVED = 16 * 1024
LOCAL_KEY_FILE = "certificate-signer.pem"
LOCAL_KEY_BITS = 3072


class SignerError(Exception):
    """The signer is misconfigured or the key is unavailable (the task retries)."""


def certificate_fingerprint(certificate: asn1_x509.Certificate) -> str:
    return hashlib.sha256(certificate.dump()).hexdigest()


def jws_algorithm(certificate: asn1_x509.Certificate) -> str:
    algorithm = certificate.public_key.algorithm
    if algorithm == "rsa":
        return "RS256"
    if algorithm == "ec" and certificate.public_key.curve[1] == "secp256r1":
        return "ES256"
    raise SignerError(f"no JWS algorithm for a {algorithm} key")


class SigningSession(Protocol):
    """An open key: sign as many files as needed, then leave the `with` block."""

    certificate: asn1_x509.Certificate

    def sign_pdf(self, pdf: bytes, *, reason: str = "", location: str = "") -> bytes: ...

    def sign_jws_input(self, data: bytes) -> bytes:
        """The JWS signature (RS256 or ES256, raw r||s for EC) of the signing input."""
        ...


class Signer(Protocol):
    name: str

    def session(self) -> AbstractContextManager[SigningSession]: ...


def timestamper_from_settings():
    """pyHanko's RFC 3161 client for ``CERTIFICATE_TSA_URL``, or None (PAdES B-B)."""
    url = getattr(settings, "CERTIFICATE_TSA_URL", "")
    if not url:
        return None
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    return RequestsHTTPTimeStamper(url, timeout=getattr(settings, "CERTIFICATE_TSA_TIMEOUT", 10))


class _PyHankoSession:
    """A SigningSession over any pyHanko signer (in-memory key or PKCS#11 token)."""

    def __init__(self, signer: signers.Signer, certificate: asn1_x509.Certificate):
        self.signer = signer
        self.certificate = certificate
        self.timestamper = timestamper_from_settings()

    def sign_pdf(self, pdf: bytes, *, reason: str = "", location: str = "") -> bytes:
        metadata = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason or None,
            location=location or None,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        if self.timestamper is None:
            output = signers.PdfSigner(metadata, signer=self.signer).sign_pdf(
                writer, bytes_reserved=SIGNATURE_BYTES_RESERVED
            )
            return output.getvalue()
        from pyhanko.sign.timestamps.common_utils import TimestampRequestError

        try:
            output = signers.PdfSigner(
                metadata, signer=self.signer, timestamper=self.timestamper
            ).sign_pdf(writer, bytes_reserved=SIGNATURE_BYTES_RESERVED + TIMESTAMP_BYTES_RESERVED)
        except TimestampRequestError as exc:
            raise SignerError(f"the time-stamping authority did not answer: {exc}") from exc
        return output.getvalue()

    def sign_jws_input(self, data: bytes) -> bytes:
        raw = asyncio.run(self.signer.async_sign_raw(data, "sha256"))
        if jws_algorithm(self.certificate) == "ES256":
            # pyHanko returns the DER (r, s) sequence; JWS wants the two 32-byte integers
            r, s = decode_dss_signature(raw)
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return raw


class _LoadedKeySigner(signers.SimpleSigner):
    """pyHanko's SimpleSigner parses (and, for RSA, validates) the private key again for every
    signature — about 0.4 s for a 3072-bit key. This one keeps the parsed key."""

    def __init__(self, *, private_key, certificate, chain):
        registry = SimpleCertificateStore()
        registry.register_multiple(chain)
        super().__init__(
            signing_cert=certificate,
            signing_key=asn1_keys.PrivateKeyInfo.load(
                private_key.private_bytes(
                    serialization.Encoding.DER,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            ),
            cert_registry=registry,
        )
        self._private_key = private_key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15":
            return self._private_key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism == "ecdsa":
            return self._private_key.sign(data, ec.ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


def _to_asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class _InMemoryKeySigner(ABC):
    """Shared by the local and PKCS#12 signers: the key is loaded once per process."""

    name = "in-memory"

    def __init__(self):
        self._loaded: _LoadedKeySigner | None = None
        self._lock = threading.Lock()

    @abstractmethod
    def _load(self) -> _LoadedKeySigner:
        """Read the key and certificate (once per process)."""

    def loaded(self) -> _LoadedKeySigner:
        with self._lock:
            if self._loaded is None:
                self._loaded = self._load()
            return self._loaded

    @contextmanager
    def session(self) -> Iterator[SigningSession]:
        signer = self.loaded()
        yield _PyHankoSession(signer, signer.signing_cert)


class LocalKeySigner(_InMemoryKeySigner):
    """A key and a self-signed certificate generated on first use (embedded mode)."""

    name = "local"

    def __init__(self, *, directory: Path, common_name: str, organisation: str):
        super().__init__()
        self.path = Path(directory) / LOCAL_KEY_FILE
        self.common_name = common_name
        self.organisation = organisation

    def ensure_key(self) -> Path:
        """Create the key file unless it exists. Safe when many processes start at once: the
        file appears complete or not at all, and the first writer wins."""
        if self.path.exists():
            return self.path
        self.path.parent.mkdir(parents=True, exist_ok=True)
        key = rsa.generate_private_key(public_exponent=65537, key_size=LOCAL_KEY_BITS)
        now = datetime.datetime.now(datetime.UTC)
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.COMMON_NAME, self.common_name),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, self.organisation),
            ]
        )
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=20 * 365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
            .sign(key, hashes.SHA256())
        )
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ) + certificate.public_bytes(serialization.Encoding.PEM)
        fd, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".signer-")
        try:
            with os.fdopen(fd, "wb") as fh:  # mkstemp creates it readable by its owner only
                fh.write(pem)
                fh.flush()
                os.fsync(fh.fileno())
            # fails if another process created it first: then theirs is used
            with contextlib.suppress(FileExistsError):
                os.link(temporary, self.path)
        finally:
            os.unlink(temporary)
        return self.path

    def _load(self) -> _LoadedKeySigner:
        data = self.ensure_key().read_bytes()
        # our own key, generated above: the costly RSA consistency check adds nothing
        key = serialization.load_pem_private_key(
            data, password=None, unsafe_skip_rsa_key_validation=True
        )
        certificate = _to_asn1(x509.load_pem_x509_certificate(data))
        return _LoadedKeySigner(private_key=key, certificate=certificate, chain=[certificate])


class Pkcs12Signer(_InMemoryKeySigner):
    """A key and certificate chain from a PKCS#12 file (production without a token)."""

    name = "pkcs12"

    def __init__(self, *, path: str, passphrase: str):
        super().__init__()
        if not path:
            raise ImproperlyConfigured(
                "CERTIFICATE_SIGNER=pkcs12 needs CERTIFICATE_SIGNER_PKCS12_PATH"
            )
        self.path = Path(path)
        self.passphrase = passphrase

    def _load(self) -> _LoadedKeySigner:
        try:
            data = self.path.read_bytes()
            key, certificate, others = pkcs12.load_key_and_certificates(
                data, self.passphrase.encode() if self.passphrase else None
            )
        except (OSError, ValueError) as exc:
            raise SignerError(f"cannot load the PKCS#12 file {self.path}: {exc}") from exc
        if key is None or certificate is None:
            raise SignerError(f"the PKCS#12 file {self.path} holds no key and certificate")
        leaf = _to_asn1(certificate)
        return _LoadedKeySigner(
            private_key=key,
            certificate=leaf,
            chain=[leaf, *(_to_asn1(c) for c in others or [])],
        )


@dataclass(frozen=True)
class Pkcs11Config:
    module: str
    token_label: str
    key_label: str
    cert_label: str
    pin: str
    slot: int | None = None


def pkcs11_module():
    """pyHanko's PKCS#11 module, imported on use: it needs python-pkcs11 (pyHanko's `pkcs11`
    extra), which only machines with a token have to install."""
    from pyhanko.sign import pkcs11

    return pkcs11


class Pkcs11Signer:
    """A key on a PKCS#11 token: one login per `session()`, i.e. per batch of certificates."""

    name = "pkcs11"

    def __init__(self, config: Pkcs11Config):
        if not config.module:
            raise ImproperlyConfigured(
                "CERTIFICATE_SIGNER=pkcs11 needs CERTIFICATE_SIGNER_PKCS11_MODULE"
            )
        if not (config.key_label or config.cert_label):
            raise ImproperlyConfigured(
                "CERTIFICATE_SIGNER=pkcs11 needs CERTIFICATE_SIGNER_PKCS11_KEY_LABEL or "
                "CERTIFICATE_SIGNER_PKCS11_CERT_LABEL"
            )
        self.config = config

    @contextmanager
    def session(self) -> Iterator[SigningSession]:
        from pyhanko.config.pkcs11 import TokenCriteria

        pkcs11 = pkcs11_module()
        config = self.config
        try:
            token_session = pkcs11.open_pkcs11_session(
                config.module,
                slot_no=config.slot,
                token_criteria=TokenCriteria(label=config.token_label or None),
                user_pin=config.pin or None,
            )
        except Exception as exc:  # the library raises its own hierarchy; all mean "no key"
            raise SignerError(f"cannot open the PKCS#11 token: {exc}") from exc
        try:
            signer = pkcs11.PKCS11Signer(
                token_session,
                cert_label=config.cert_label or None,
                key_label=config.key_label or None,
            )
            yield _PyHankoSession(signer, signer.signing_cert)
        finally:
            token_session.close()


def signer_from_settings() -> Signer:
    kind = settings.CERTIFICATE_SIGNER
    if kind == "local":
        return LocalKeySigner(
            directory=settings.CERTIFICATE_SIGNER_DIR,
            common_name=settings.CERTIFICATE_SIGNER_NAME,
            organisation=settings.CERTIFICATE_SIGNER_ORGANISATION,
        )
    if kind == "pkcs12":
        return Pkcs12Signer(
            path=settings.CERTIFICATE_SIGNER_PKCS12_PATH,
            passphrase=settings.CERTIFICATE_SIGNER_PKCS12_PASSPHRASE,
        )
    if kind == "pkcs11":
        return Pkcs11Signer(
            Pkcs11Config(
                module=settings.CERTIFICATE_SIGNER_PKCS11_MODULE,
                token_label=settings.CERTIFICATE_SIGNER_PKCS11_TOKEN_LABEL,
                key_label=settings.CERTIFICATE_SIGNER_PKCS11_KEY_LABEL,
                cert_label=settings.CERTIFICATE_SIGNER_PKCS11_CERT_LABEL,
                pin=settings.CERTIFICATE_SIGNER_PKCS11_PIN,
                slot=settings.CERTIFICATE_SIGNER_PKCS11_SLOT,
            )
        )
    raise ImproperlyConfigured(f"CERTIFICATE_SIGNER must be local, pkcs12 or pkcs11, not {kind!r}")


_signers: dict[tuple, Signer] = {}
_signers_lock = threading.Lock()


def _settings_key() -> tuple:
    names = [n for n in dir(settings) if n.startswith("CERTIFICATE_SIGNER")]
    return tuple((n, str(getattr(settings, n))) for n in sorted(names))


def signer_get() -> Signer:
    """The configured signer, one per process (the in-memory key is parsed once)."""
    key = _settings_key()
    with _signers_lock:
        signer = _signers.get(key)
        if signer is None:
            signer = _signers[key] = signer_from_settings()
        return signer
