"""Helpers shared by the certificate tests: checking signatures and reading PDFs."""

import io

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from certificates.models import Certificate, SigningCertificate


def pdf_bytes(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as fh:
        return fh.read()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def trusted_roots() -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(pem.unarmor(row.pem.encode())[2])
        for row in SigningCertificate.objects.all()
    ]


def signature_status(data: bytes, roots=None):
    """pyHanko's verdict on the one signature of the file."""
    reader = PdfFileReader(io.BytesIO(data))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=roots if roots is not None else trusted_roots())
    return validate_pdf_signature(signature, context)
