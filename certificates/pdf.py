"""Certificate PDF rendering with xhtml2pdf (lms/pdf.py: a Vietnamese-capable embedded font)
and a QR code of the verification URL. Signing is certificates/signing.py."""

import base64
import io
import logging
import threading

import qrcode
from django.template.loader import render_to_string

from lms.pdf import PdfRenderError, html_to_pdf, pdf_font_files

__all__ = ["PdfRenderError", "certificate_pdf_bytes", "qr_image", "qr_png_data_uri"]

# Any of the eight mask patterns gives a valid code; letting the library pick the "best" one
# renders the symbol eight times (12 ms of a 50 ms certificate), so the mask is fixed.
QR_MASK_PATTERN = 0


def qr_image(text: str):
    code = qrcode.QRCode(box_size=6, border=2, mask_pattern=QR_MASK_PATTERN)
    code.add_data(text)
    code.make(fit=True)
    return code.make_image()


def qr_png_data_uri(text: str) -> str:
    image = qr_image(text)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


LOGO_FILTER = "max-600x240|format-png"
SIGNATURE_FILTER = "max-500x200|format-png"
logger = logging.getLogger(__name__)
_image_uris: dict[str, str] = {}
_image_uris_lock = threading.Lock()


def image_data_uri(image, filter_spec: str) -> str:
    """A Wagtail image as a PNG data URI for xhtml2pdf, kept per rendition file in the process
    (a bulk issuance renders the same logo a thousand times). A missing file leaves the image
    out rather than failing the certificate."""
    if image is None:
        return ""
    try:
        rendition = image.get_rendition(filter_spec)
        name = rendition.file.name
        with _image_uris_lock:
            cached = _image_uris.get(name)
        if cached is not None:
            return cached
        with rendition.file.open("rb") as fh:
            uri = "data:image/png;base64," + base64.b64encode(fh.read()).decode("ascii")
    except Exception:  # a deleted or unreadable file: the certificate is still issued
        logger.warning("certificate image %s could not be read", image.pk, exc_info=True)
        return ""
    with _image_uris_lock:
        if len(_image_uris) > 64:
            _image_uris.clear()
        _image_uris[name] = uri
    return uri


def certificate_pdf_bytes(*, context: dict) -> bytes:
    html = render_to_string(
        "certificates/certificate_pdf.html",
        {
            **context,
            **pdf_font_files(),
            "qr_data_uri": qr_png_data_uri(context["verify_url"]),
            "logo_uri": image_data_uri(getattr(context["template"], "logo", None), LOGO_FILTER),
            "signature_uri": image_data_uri(
                getattr(context["template"], "signature_image", None), SIGNATURE_FILTER
            ),
        },
    )
    return html_to_pdf(html)
