"""Text helpers shared by the formats: HTML sanitising, the text formats Moodle and GIFT know
(html, moodle auto-format, plain, markdown), embedded-file references and data URIs, images,
and decoding of legacy text files."""

from __future__ import annotations

import base64
import binascii
import codecs
import hashlib
import html
import re
import unicodedata
from urllib.parse import quote, unquote, urlsplit

import nh3

PLUGINFILE = "@@PLUGINFILE@@/"

# What trainers and Moodle use in question texts: formatting, lists, tables, links, images.
# Styles, classes, scripts and event handlers never survive (nor <span>, which without them
# only adds noise; its text stays).
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "s",
    "small",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "ol": {"start", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    strip_comments=True,
    link_rel="noopener noreferrer",
)
_text_only = nh3.Cleaner(tags=set(), attributes={}, strip_comments=True)

# control characters, and the two non-characters XML 1.0 forbids
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_BLOCK_START = re.compile(r"<(?:br|p|div|li|tr|td|th|h[1-6]|dt|dd|blockquote|pre|hr)\b", re.I)
_PLUGINFILE_REF = re.compile(r"@@PLUGINFILE@@/([^\"'\s<>?#]+)")
# src="data:image/png;name=a.png;base64,…" (RFC 2397 allows parameters before ;base64)
_DATA_URI_SRC = re.compile(
    r"""(src\s*=\s*)(["'])data:(image/[a-z0-9.+-]+)((?:;[a-z0-9_-]+=[^;,"']*)*);base64,"""
    r"""([A-Za-z0-9+/=\s]*)\2""",
    re.I,
)


def strip_controls(value: str) -> str:
    return _CONTROL.sub("", value)


_IMG_TAG = re.compile(r"<img\b[^>]*>", re.I)
_SRC_ATTR = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)


def _image_origins() -> set[str]:
    """Where an image in a text may come from besides this site: its public address and the
    hosts serving its media (settings.MEDIA_HOSTS, the Content-Security-Policy's img-src)."""
    from django.conf import settings

    parts = urlsplit(getattr(settings, "SITE_URL", ""))
    site = {f"{parts.scheme}://{parts.netloc}".lower()} if parts.netloc else set()
    return site | {h.lower().rstrip("/") for h in getattr(settings, "MEDIA_HOSTS", [])}


def _image_allowed(src: str) -> bool:
    src = html.unescape(src).strip()
    parts = urlsplit(src)
    if not parts.scheme and not parts.netloc and not src.startswith(("//", "\\")):
        return True  # a path on this site, or an embedded file ("@@PLUGINFILE@@/a.png")
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    return parts.scheme in ("http", "https") and origin in _image_origins()


def drop_external_images(value: str) -> str:
    """Sanitised HTML without the images that would load from another host (a tracking pixel
    in an exam question): only the site's own media and embedded files stay."""
    if not value or "<img" not in value.lower():
        return value

    def keep(match: re.Match) -> str:
        src = _SRC_ATTR.search(match.group(0))
        value = next((g for g in src.groups() if g is not None), "") if src else ""
        return match.group(0) if value and _image_allowed(value) else ""

    return _IMG_TAG.sub(keep, value)


def sanitize_html(value) -> str:
    """Safe HTML for a question text: allowed tags and attributes only, images from the site
    only, NFC, trimmed."""
    if not value:
        return ""
    value = strip_controls(str(value).replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = drop_external_images(_cleaner.clean(unicodedata.normalize("NFC", value)))
    # an entity such as &#769; can bring a combining mark back; compose again
    return unicodedata.normalize("NFC", cleaned).strip()


def html_to_text(value: str) -> str:
    """The readable text of some HTML, on one line."""
    if not value:
        return ""
    spaced = _BLOCK_START.sub(lambda m: " " + m.group(0), strip_controls(value))
    text = html.unescape(_text_only.clean(spaced))
    return " ".join(unicodedata.normalize("NFC", text).split())


_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUP = re.compile(r"<sup>([0-9+\-=()n]{1,6})</sup>", re.I)
_SUB = re.compile(r"<sub>([0-9+\-=()]{1,6})</sub>", re.I)
_CONTENT_TAGS = re.compile(r"<(?:img|table|a)\b", re.I)


def html_to_plain(value: str) -> tuple[str, bool]:
    """(plain text, whether content was lost) for a place that holds plain text only:
    m<sup>2</sup> becomes m², H<sub>2</sub>O becomes H₂O, formatting goes, and an image, a
    table or a link counts as lost content."""
    if not value:
        return "", False
    lost = bool(_CONTENT_TAGS.search(value))
    value = _SUP.sub(lambda m: m[1].translate(_SUPERSCRIPT), value)
    value = _SUB.sub(lambda m: m[1].translate(_SUBSCRIPT), value)
    return html_to_text(value), lost


def is_blank(value: str) -> bool:
    """No words and no image."""
    return not html_to_text(value) and "<img" not in (value or "")


def escape_text(value: str) -> str:
    return html.escape(value, quote=False)


def plain_to_html(value: str) -> str:
    """Plain text → HTML: characters escaped, line breaks kept."""
    return escape_text(value).replace("\n", "<br>")


def auto_to_html(value: str) -> str:
    """Moodle's auto-format: HTML allowed, line breaks become <br>."""
    return value.replace("\n", "<br>")


_HTML_MARK = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|&(?:#\d+|#x[0-9a-fA-F]+|\w+);")


def looks_like_html(value: str) -> bool:
    """Whether a spreadsheet cell holds HTML (a tag or an entity) rather than plain text."""
    return bool(_HTML_MARK.search(value))


# --- markdown (the small part of it question authors use) --------------------------------------

_MD_INLINE = [
    (re.compile(r"`([^`\n]+)`"), r"<code>\1</code>"),
    (re.compile(r"!\[([^\]\n]*)\]\(([^)\s]+)\)"), r'<img src="\2" alt="\1">'),
    (re.compile(r"\[([^\]\n]+)\]\(([^)\s]+)\)"), r'<a href="\2">\1</a>'),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"__(?=\S)(.+?)(?<=\S)__"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])"), r"<em>\1</em>"),
    (re.compile(r"(?<![_\w])_(?=\S)(.+?)(?<=\S)_(?![_\w])"), r"<em>\1</em>"),
]
_MD_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_MD_NUMBER = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")


def markdown_to_html(value: str) -> str:
    """Paragraphs, headings, bullet and numbered lists, bold, italic, code, links and images.
    HTML inside is kept (as in Markdown) and sanitised afterwards like everything else."""
    blocks: list[str] = []
    for chunk in re.split(r"\n\s*\n", value.strip()):
        lines = chunk.split("\n")
        if all(_MD_BULLET.match(line) for line in lines):
            items = "".join(f"<li>{_md_inline(_MD_BULLET.match(x)[1])}</li>" for x in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif all(_MD_NUMBER.match(line) for line in lines):
            items = "".join(f"<li>{_md_inline(_MD_NUMBER.match(x)[1])}</li>" for x in lines)
            blocks.append(f"<ol>{items}</ol>")
        elif len(lines) == 1 and (m := _MD_HEADING.match(lines[0])):
            level = len(m[1])
            blocks.append(f"<h{level}>{_md_inline(m[2])}</h{level}>")
        else:
            blocks.append("<p>" + "<br>".join(_md_inline(line) for line in lines) + "</p>")
    return "".join(blocks)


def _md_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return text


# --- embedded files ------------------------------------------------------------------------------


def plugin_file_names(value: str) -> set[str]:
    """Names of the embedded files a text refers to ("@@PLUGINFILE@@/a%20b.png" → "a b.png")."""
    if not value or PLUGINFILE not in value:
        return set()
    return {unquote(html.unescape(m)) for m in _PLUGINFILE_REF.findall(value)}


def plugin_file_url(name: str) -> str:
    return PLUGINFILE + quote(name)


def replace_plugin_files(value: str, urls: dict[str, str]) -> str:
    """Each "@@PLUGINFILE@@/name" whose name is in `urls` replaced by its URL (what the apply
    layer does once the images are stored; the exporter does the reverse with a mapping from
    URL to plugin-file reference)."""
    if not value or PLUGINFILE not in value:
        return value

    def swap(match: re.Match) -> str:
        name = unquote(html.unescape(match.group(1)))
        return html.escape(urls[name]) if name in urls else match.group(0)

    return _PLUGINFILE_REF.sub(swap, value)


def rename_plugin_file(value: str, old: str, new: str) -> str:
    """References to `old` in a text point at `new` instead."""

    def swap(match: re.Match) -> str:
        if unquote(html.unescape(match.group(1))) == old:
            return plugin_file_url(new)
        return match.group(0)

    return _PLUGINFILE_REF.sub(swap, value) if value else value


_IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)


def image_kind(content: bytes) -> str | None:
    """ "png", "jpeg", "gif" or "webp" when the bytes are such an image, else None. SVG is not
    an image here: it can carry scripts."""
    for signature, kind in _IMAGE_SIGNATURES:
        if content.startswith(signature):
            return kind
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "webp"
    return None


_MIME = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
_EXTENSION = {"png": "png", "jpeg": "jpg", "gif": "gif", "webp": "webp"}
_UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def clean_filename(name: str) -> str:
    """A file name without folders or characters file systems and URLs dislike; "" if none is
    left."""
    name = unicodedata.normalize("NFC", str(name)).replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_NAME_CHARS.sub("_", name).strip(" .")
    if len(name) > 100:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 95 - len(ext)] + dot + ext) if dot and len(ext) <= 8 else name[:100]
    return name


def decode_base64(value: str) -> bytes | None:
    try:
        return base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        return None


def extract_data_images(value: str, files: dict[str, bytes]) -> str:
    """Images written inline as data URIs become embedded files (added to `files`) and the
    text refers to them as "@@PLUGINFILE@@/name"; the name comes from the URI's `name`
    parameter when it has one (our own exports), else from the content's hash. Data that is
    not an image is left for the sanitiser to drop."""
    if not value or "data:" not in value:
        return value

    def swap(match: re.Match) -> str:
        content = decode_base64(match.group(5))
        kind = image_kind(content) if content else None
        if kind is None:
            return match.group(0)
        params = dict(p.split("=", 1) for p in match.group(4).split(";") if "=" in p)
        name = clean_filename(unquote(params.get("name", "")))
        if not name:
            digest = hashlib.sha256(content).hexdigest()[:16]
            name = f"image-{digest}.{_EXTENSION[kind]}"
        name = add_file(files, name, content)
        return f"{match.group(1)}{match.group(2)}{plugin_file_url(name)}{match.group(2)}"

    return _DATA_URI_SRC.sub(swap, value)


def add_file(files: dict[str, bytes], name: str, content: bytes) -> str:
    """Store `content` as `name`, or under a free variant of the name when another content
    already has it; returns the name used."""
    if files.get(name, content) == content:
        files[name] = content
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    number = 2
    while True:
        candidate = f"{stem}-{number}{dot}{ext}"
        if files.get(candidate, content) == content:
            files[candidate] = content
            return candidate
        number += 1


def inline_files(value: str, files: dict[str, bytes]) -> str:
    """The reverse of `extract_data_images`: each reference to an embedded image becomes a
    data URI carrying the file name, for formats that cannot hold files (GIFT, XLSX)."""
    if not value or PLUGINFILE not in value:
        return value

    def swap(match: re.Match) -> str:
        name = unquote(html.unescape(match.group(1)))
        content = files.get(name)
        kind = image_kind(content) if content else None
        if kind is None:
            return match.group(0)
        encoded = base64.b64encode(content).decode("ascii")
        return f"data:{_MIME[kind]};name={quote(name)};base64,{encoded}"

    return _PLUGINFILE_REF.sub(swap, value)


# --- legacy text files ---------------------------------------------------------------------------

# Bytes that in Windows-1258 (Vietnamese) are combining tone marks; after a vowel they are the
# signature of Vietnamese text, and rare in Windows-1252 (Western) text.
_CP1258_TONES = frozenset(b"\xcc\xd2\xde\xec\xf2")
_VOWELS = frozenset(b"aeiouyAEIOUY\xe2\xea\xf4\xe3\xf5\xfd\xc2\xca\xd4\xc3\xd5\xdd")


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM) or UTF-16 with BOM; otherwise
    Windows-1252, or Windows-1258 when the bytes carry Vietnamese tone marks. Never fails."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    high = sum(1 for b in data if b >= 0x80)
    tones = sum(
        1 for a, b in zip(data, data[1:], strict=False) if b in _CP1258_TONES and a in _VOWELS
    )
    encoding = "cp1258" if tones >= 3 and tones * 5 >= high else "cp1252"
    # the few bytes these code pages leave undefined come out as U+FFFD, never as an error
    text = data.decode(encoding, errors="replace")
    return unicodedata.normalize("NFC", text), encoding
