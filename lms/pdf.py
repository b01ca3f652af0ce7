"""PDF rendering shared by the apps (certificates, course offline packs): xhtml2pdf with the
DejaVu Sans fonts committed in lms/fonts/ (with their licence), which cover Vietnamese.

Templates declare the fonts with `@font-face` rules pointing at `pdf_font_files()`; xhtml2pdf
embeds only the glyphs used, so a PDF stays small."""

import io
from pathlib import Path

from xhtml2pdf import pisa

FONTS_DIR = Path(__file__).resolve().parent / "fonts"


class PdfRenderError(Exception):
    pass


def pdf_font_files() -> dict[str, str]:
    """The font files for a PDF template's `@font-face` rules (regular and bold)."""
    return {
        "font_regular": (FONTS_DIR / "DejaVuSans.ttf").as_posix(),
        "font_bold": (FONTS_DIR / "DejaVuSans-Bold.ttf").as_posix(),
    }


def html_to_pdf(html: str) -> bytes:
    output = io.BytesIO()
    result = pisa.CreatePDF(html, dest=output, encoding="utf-8")
    if result.err:
        raise PdfRenderError(f"xhtml2pdf reported {result.err} error(s)")
    return output.getvalue()
