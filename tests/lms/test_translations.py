"""The source speaks English; Vietnamese, the default language, comes from a complete catalogue."""

import ast
import re
from pathlib import Path

import polib
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PO_PATH = ROOT / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
APPS = ["staff", "competencies", "courses", "assessments", "certificates", "cms"]
# deliberately bilingual literal text, not a translatable template
BILINGUAL_TEMPLATES = {"certificates/certificate_pdf.html"}

VIETNAMESE_LETTERS = re.compile(
    "[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐ]", re.IGNORECASE
)
TRANSLATION_FUNCTIONS = {
    "_",
    "_l",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
TEMPLATE_MESSAGES = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(?:"([^"]*)"|'([^']*)')"""
    r"|\{%\s*(?:blocktranslate|blocktrans)\b[^%]*%\}(.*?)\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}",
    re.DOTALL,
)


def _catalogue(mo: polib.MOFile) -> dict:
    return {
        (e.msgctxt, e.msgid, e.msgid_plural): e.msgstr_plural or e.msgstr
        for e in mo
        if e.msgid  # the header
    }


def _python_messages(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in TRANSLATION_FUNCTIONS:
            continue
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                yield f"{path.relative_to(ROOT)}:{node.lineno}", arg.value


def _template_messages(path: Path):
    text = path.read_text(encoding="utf-8")
    for match in TEMPLATE_MESSAGES.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        message = next(group for group in match.groups() if group is not None)
        yield f"{path.relative_to(ROOT)}:{line}", message


def test_every_message_has_a_vietnamese_translation():
    po = polib.pofile(str(PO_PATH))
    active = [e for e in po if not e.obsolete]
    assert active, "the catalogue is empty"
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    for entry in active:
        if entry.msgid_plural:
            assert all(entry.msgstr_plural.values()), entry.msgid


def _source_messages():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            found.extend(_python_messages(path))
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if str(path.relative_to(ROOT / "templates")) not in BILINGUAL_TEMPLATES:
            found.extend(_template_messages(path))
    return found


def _catalogue_forms(message: str) -> set[str]:
    """The msgids a template or Python message can have in the catalogue."""
    singular = message.split("{% plural %}")[0]
    named = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", singular)
    forms = {named, " ".join(named.split())}  # blocktranslate trimmed
    if "{{" in singular:  # blocktranslate escapes a literal percent sign
        forms |= {form.replace("%", "%%").replace("%%(", "%(") for form in forms}
    return forms


def test_every_source_message_is_in_the_catalogue():
    po = polib.pofile(str(PO_PATH))
    known = set()
    for entry in po:
        if not entry.obsolete:
            known |= {entry.msgid, entry.msgid_plural, entry.msgctxt}
    missing = [
        (where, message)
        for where, message in _source_messages()
        if not _catalogue_forms(message) & known
    ]
    assert missing == []


def test_the_compiled_catalogue_matches_the_po_file(tmp_path):
    compiled = tmp_path / "django.mo"
    polib.pofile(str(PO_PATH)).save_as_mofile(str(compiled))
    assert _catalogue(polib.mofile(str(MO_PATH))) == _catalogue(polib.mofile(str(compiled))), (
        "locale/vi/LC_MESSAGES/django.mo is stale: run bin/compile_messages.py"
    )


def test_pages_render_in_english_when_english_is_chosen(client, db):
    login_url = reverse("account_login")

    vietnamese = client.get(login_url).content.decode()
    assert "Tên đăng nhập hoặc email" in vietnamese
    assert "Mật khẩu" in vietnamese
    assert "Username or email" not in vietnamese

    client.post(reverse("set_language"), {"language": "en", "next": login_url})
    english = client.get(login_url).content.decode()
    assert 'lang="en"' in english
    assert "Username or email" in english
    assert "Password" in english
    assert "Tên đăng nhập hoặc email" not in english


def test_source_messages_are_english():
    found = _source_messages()
    assert len(found) > 100, "the scan found too few messages: is the pattern still right?"
    vietnamese = [
        (where, message) for where, message in found if VIETNAMESE_LETTERS.search(message)
    ]
    assert vietnamese == []


def test_an_english_browser_still_gets_vietnamese_until_english_is_chosen(client, db):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Tên đăng nhập hoặc email" in response.content.decode()
