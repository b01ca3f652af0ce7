"""Certificate PDF rendering with xhtml2pdf, a Vietnamese-capable embedded font and a QR code."""

import base64
import io
from pathlib import Path

import qrcode
from django.template.loader import render_to_string
from xhtml2pdf import pisa

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


class PdfRenderError(Exception):
    pass


def qr_png_data_uri(text: str) -> str:
    image = qrcode.make(text, box_size=6, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def html_to_pdf(html: str) -> bytes:
    output = io.BytesIO()
    result = pisa.CreatePDF(html, dest=output, encoding="utf-8")
    if result.err:
        raise PdfRenderError(f"xhtml2pdf reported {result.err} error(s)")
    return output.getvalue()


def certificate_pdf_bytes(*, context: dict) -> bytes:
    html = render_to_string(
        "certificates/certificate_pdf.html",
        {
            **context,
            "font_regular": (FONTS_DIR / "DejaVuSans.ttf").as_posix(),
            "font_bold": (FONTS_DIR / "DejaVuSans-Bold.ttf").as_posix(),
            "qr_data_uri": qr_png_data_uri(context["verify_url"]),
        },
    )
    return html_to_pdf(html)
