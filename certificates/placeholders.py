"""The placeholders a certificate template's body may use: read by the model's validation and
filled by the rendering service, so both import them from here."""

import re

PLACEHOLDER_NAMES = (
    "holder",
    "position",
    "unit",
    "competencies",
    "issued_on",
    "valid_until",
    "serial",
)
PLACEHOLDER = re.compile(r"\{(" + "|".join(PLACEHOLDER_NAMES) + r")\}")
ANY_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")


def placeholders_unknown(body: str) -> list[str]:
    """Placeholders in a template body that nothing would fill (a typing error, most often)."""
    return sorted({f"{{{m}}}" for m in ANY_PLACEHOLDER.findall(body) if m not in PLACEHOLDER_NAMES})
