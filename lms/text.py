"""Text folding shared by every comparison that ignores case and Vietnamese diacritics: import
headers, short-text answers, certificate names, admin search (`lms.search`)."""

import unicodedata


def strip_diacritics(text: str) -> str:
    """The letters without their marks, case kept, NFC: "Đo lường" → "Do luong". "đ" has no
    decomposition in Unicode (it is a letter of its own), so it is mapped to "d" explicitly."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text)


def fold_vietnamese(text: str) -> str:
    """Case, diacritics and spacing ignored: "  NGUYỄN  Thị Hương " → "nguyen thi huong"."""
    return " ".join(strip_diacritics(text).casefold().split())
