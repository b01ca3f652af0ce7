"""Evidence files attached to an HR officer's assessment: what is accepted is decided by the
file's first bytes, never by its name or the browser's declared content type."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

EVIDENCE_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class EvidenceKind:
    extension: str
    content_type: str
    signature: bytes


EVIDENCE_KINDS = (
    EvidenceKind("pdf", "application/pdf", b"%PDF-"),
    EvidenceKind("jpg", "image/jpeg", b"\xff\xd8\xff"),
    EvidenceKind("png", "image/png", b"\x89PNG\r\n\x1a\n"),
)
CONTENT_TYPES = {kind.extension: kind.content_type for kind in EVIDENCE_KINDS}


def evidence_kind(file) -> EvidenceKind:
    """The kind of an uploaded evidence file, sniffed from its content; ValidationError when it
    is empty, larger than 5 MB, or not a PDF, JPEG or PNG."""
    size = getattr(file, "size", None)
    if not size:
        raise ValidationError(_("The evidence file is empty."), code="empty")
    if size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The evidence file is larger than %(max)s.")
            % {"max": filesizeformat(EVIDENCE_MAX_BYTES)},
            code="too_large",
        )
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    for kind in EVIDENCE_KINDS:
        if head.startswith(kind.signature):
            return kind
    raise ValidationError(
        _("The evidence file must be a PDF, JPEG or PNG document."), code="file_type"
    )


def content_type_for(name: str) -> str:
    """The content type to serve a stored evidence file with (its name was set on upload from
    the sniffed kind)."""
    return CONTENT_TYPES.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")
