"""A course as one self-contained file (HTML or PDF) for officers whose connection comes and goes.

The pack holds every lesson the public may open, in course order, with its images embedded as
small JPEG data URIs; a video becomes its transcript plus the address and size of the online
file; documents are listed with their absolute address. The HTML needs nothing from the network
(no script, stylesheet link or remote image; a Content-Security-Policy meta tag enforces it when
the file is opened), so it reads the same in a browser offline or printed.

Rendering costs a query per lesson and block type with a chooser, plus the PDF engine, so a pack
is rendered once per version and kept in the cache: the key holds the course, the language, the
latest publication among the course, its modules and lessons, the outline (a lesson unpublished
or moved changes it) and the image files used. A repeated download costs a handful of queries.
"""

import base64
import hashlib
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from wagtail.images import get_image_model
from wagtail.models import Page

from lms.pdf import html_to_pdf, pdf_font_files
from lms.text import strip_diacritics

from .models import CoursePage, LessonPage, ModulePage
from .selectors import Outline, course_competencies_taught, course_outlines

logger = logging.getLogger(__name__)

# Small enough for a 2G link (10 images ≈ 300 KB), large enough to read a form or a gauge.
PACK_IMAGE_SPEC = "max-480x640|format-jpeg|jpegquality-60"
# Bounds how long a renamed competency or a replaced document link may stay in a cached pack;
# a new publication changes the key at once.
PACK_CACHE_SECONDS = 24 * 60 * 60
# Bump when the pack's templates or this module change what a pack contains.
PACK_VERSION = 1

FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}
BLOCK_TEMPLATES = "courses/offline/blocks/{}.html"


@dataclass(frozen=True)
class OfflinePack:
    content: bytes
    fmt: str
    etag: str
    filename: str  # ASCII, for the plain `filename` parameter
    filename_utf8: str  # the Vietnamese slug, for RFC 5987 `filename*`

    @property
    def content_type(self) -> str:
        return FORMATS[self.fmt]

    @property
    def content_disposition(self) -> str:
        return (
            f'attachment; filename="{self.filename}"; '
            f"filename*=UTF-8''{quote(self.filename_utf8, safe='')}"
        )


@dataclass
class PackImage:
    data_uri: str
    width: int
    height: int
    alt: str


@dataclass
class PackBlock:
    templates: tuple[str, ...]
    child: Any  # Wagtail's StreamChild: block_type, value
    image: PackImage | None = None
    label: str = ""  # a choice's label (a callout's kind)

    @property
    def value(self):
        return self.child.value


@dataclass
class PackLesson:
    page: LessonPage
    number: int
    blocks: list[PackBlock] = field(default_factory=list)


@dataclass
class PackSection:
    module: Page | None
    lessons: list[PackLesson]


def ascii_filename(text: str) -> str:
    """A filename every browser and old Windows accepts: "Đo-lường" → "Do-luong"."""
    text = unicodedata.normalize("NFKD", strip_diacritics(text))
    text = text.encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.")
    return text or "course"


def absolute_url(url: str | None) -> str:
    """A site URL with scheme and host, as an offline file or a printed page needs it."""
    if not url or "://" in url or url.startswith("//"):
        return url or ""
    return settings.SITE_URL + (url if url.startswith("/") else "/" + url)


def _normalise_language(language: str | None) -> str:
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


# --- the cache key -----------------------------------------------------------------------------


def _image_ids(raw_stream) -> set[int]:
    """Image ids in a lesson body's stored JSON (image blocks and video posters), without
    building the blocks' Python values."""
    ids = set()
    for item in raw_stream or []:
        value = item.get("value")
        if item.get("type") == "image":
            image = value.get("image") if isinstance(value, dict) else value
        elif item.get("type") == "video" and isinstance(value, dict):
            image = value.get("poster")
        else:
            continue
        if isinstance(image, int):
            ids.add(image)
    return ids


def _pack_key(*, course: CoursePage, outline: Outline, language: str) -> str:
    lesson_ids = [lesson.pk for lesson in outline.lessons]
    module_ids = [s.module.pk for s in outline.sections if s.module is not None]
    # the course's subtree, and the outline's pages wherever they live (a translation's outline
    # may borrow pages from another tree)
    latest = (
        Page.objects.filter(Q(path__startswith=course.path) | Q(pk__in=lesson_ids + module_ids))
        .live()
        .aggregate(latest=Max("last_published_at"))["latest"]
    )
    image_ids: set[int] = set()
    for raw in LessonPage.objects.filter(pk__in=lesson_ids).values_list("body", flat=True):
        image_ids |= _image_ids(getattr(raw, "raw_data", raw))
    images = []
    if image_ids:
        images = list(
            get_image_model()
            .objects.filter(pk__in=image_ids)
            .order_by("pk")
            .values_list("pk", "file", "file_hash", "focal_point_x", "focal_point_y")
        )
    outline_ids = [
        (section.module.pk if section.module else None, [x.pk for x in section.lessons])
        for section in outline.sections
    ]
    version = repr(
        (PACK_VERSION, latest.isoformat() if latest else None, outline_ids, images, course.slug)
    )
    digest = hashlib.sha256(version.encode()).hexdigest()[:32]
    return f"course-offline:{course.pk}:{language}:{digest}"


def _size_key(*, course: CoursePage, language: str, fmt: str) -> str:
    return f"course-offline-size:{course.pk}:{language}:{fmt}"


# --- rendering -----------------------------------------------------------------------------


def _image_data(image) -> PackImage | None:
    """A small JPEG rendition as a data URI; None when the file cannot be read (a missing or
    unreadable original must not break the whole pack)."""
    if image is None:
        return None
    alt = getattr(image, "contextual_alt_text", None)
    if alt is None:
        alt = image.default_alt_text
    try:
        rendition = image.get_rendition(PACK_IMAGE_SPEC)
        with rendition.file.open("rb") as fh:
            data = fh.read()
    except Exception:  # any storage or Pillow error: leave the image out, keep the pack
        logger.warning("offline pack: image %s left out", image.pk, exc_info=True)
        return None
    return PackImage(
        data_uri="data:image/jpeg;base64," + base64.b64encode(data).decode("ascii"),
        width=rendition.width,
        height=rendition.height,
        alt=alt or "",
    )


def _pack_blocks(lesson: LessonPage) -> list[PackBlock]:
    blocks = []
    for child in lesson.body:
        image = _image_data(child.value) if child.block_type == "image" else None
        if child.block_type == "image" and image is None:
            continue
        label = ""
        if child.block_type == "callout":
            label = dict(child.block.child_blocks["kind"].field.choices).get(child.value["kind"])
        blocks.append(
            PackBlock(
                templates=(
                    BLOCK_TEMPLATES.format(child.block_type),
                    BLOCK_TEMPLATES.format("default"),
                ),
                child=child,
                image=image,
                label=str(label or ""),
            )
        )
    return blocks


def _pack_context(*, course: CoursePage, outline: Outline, pdf: bool) -> dict:
    bodies = LessonPage.objects.in_bulk([x.pk for x in outline.lessons])
    modules = ModulePage.objects.in_bulk([s.module.pk for s in outline.sections if s.module])
    number = 0
    sections = []
    for section in outline.sections:
        lessons = []
        for row in section.lessons:
            lesson = bodies.get(row.pk)
            if lesson is None:  # deleted since the outline was read
                continue
            number += 1
            lessons.append(PackLesson(page=lesson, number=number, blocks=_pack_blocks(lesson)))
        if lessons:
            module = section.module and modules.get(section.module.pk, section.module)
            sections.append(PackSection(module=module, lessons=lessons))
    return {
        "course": course,
        "course_url": (course_url := absolute_url(course.url)),
        "course_url_text": unquote(course_url),
        "site_url": settings.SITE_URL,
        "sections": sections,
        "modular": any(section.module is not None for section in sections),
        "taught": course_competencies_taught(course=course),
        "generated_at": timezone.localtime(),
        "pdf": pdf,
        **(pdf_font_files() if pdf else {}),
    }


_RELATIVE_LINK = re.compile(r'(\bhref=")(/(?!/))')
# A last line of defence: no element may fetch anything (rich text could carry a raw <img>);
# the HTML pack also declares a Content-Security-Policy that allows data: images only.
_REMOTE_ELEMENT = re.compile(
    r"<(script|iframe|object)\b.*?</\1\s*>"
    r"|<(?:script|link|iframe|object|embed|base)\b[^>]*>"
    r"|<(?:img|video|audio|source|track)\b[^>]*\bsrc\s*=\s*(?![\"']?data:)[^>]*>",
    re.IGNORECASE | re.DOTALL,
)


def _offline_html(html: str) -> str:
    html = _RELATIVE_LINK.sub(lambda m: m.group(1) + settings.SITE_URL + "/", html)
    return _REMOTE_ELEMENT.sub("", html)


def _outline(*, course: CoursePage, language: str) -> Outline:
    # in the pack's language: the outline may depend on the active language (translations)
    with translation.override(language):
        return course_outlines(courses=[course])[course.pk]


def _render_html(*, course: CoursePage, outline: Outline, language: str, pdf: bool) -> str:
    with translation.override(language):
        context = _pack_context(course=course, outline=outline, pdf=pdf)
        context["language"] = language
        html = render_to_string("courses/offline/pack.html", context)
    return _offline_html(html)


def course_offline_pack_html(
    *, course: CoursePage, language: str, outline: Outline | None = None
) -> str:
    """The course as one HTML file that needs no network: table of contents, summary,
    competencies taught, then every lesson the public may open, in order."""
    language = _normalise_language(language)
    if outline is None:
        outline = _outline(course=course, language=language)
    return _render_html(course=course, outline=outline, language=language, pdf=False)


def course_offline_pack_pdf(
    *, course: CoursePage, language: str, outline: Outline | None = None
) -> bytes:
    """The same pack as a PDF, with an embedded font that covers Vietnamese."""
    language = _normalise_language(language)
    if outline is None:
        outline = _outline(course=course, language=language)
    html = _render_html(course=course, outline=outline, language=language, pdf=True)
    return html_to_pdf(html)


_RENDERERS = {"html": course_offline_pack_html, "pdf": course_offline_pack_pdf}


@dataclass(frozen=True)
class PackVersion:
    """Which pack a download gets: known before anything is rendered or read from the cache,
    so a browser that already holds it gets a 304."""

    course: CoursePage
    language: str
    fmt: str
    outline: Outline
    key: str

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.key.encode()).hexdigest()[:32] + '"'


def course_offline_pack_version(*, course: CoursePage, language: str, fmt: str) -> PackVersion:
    if fmt not in FORMATS:
        raise ValueError(f"unknown offline pack format {fmt!r}")
    language = _normalise_language(language)
    outline = _outline(course=course, language=language)
    key = f"{_pack_key(course=course, outline=outline, language=language)}:{fmt}"
    return PackVersion(course=course, language=language, fmt=fmt, outline=outline, key=key)


def course_offline_pack(
    *, course: CoursePage, language: str, fmt: str, version: PackVersion | None = None
) -> OfflinePack:
    """The pack in the given format, rendered once per version of the course and kept in the
    cache, so repeated downloads cost a few queries and no rendering."""
    if version is None:
        version = course_offline_pack_version(course=course, language=language, fmt=fmt)
    content = cache.get(version.key)
    if content is None:
        content = _RENDERERS[version.fmt](
            course=course, language=version.language, outline=version.outline
        )
        if isinstance(content, str):
            content = content.encode("utf-8")
        size_key = _size_key(course=course, language=version.language, fmt=version.fmt)
        cache.set_many({version.key: content, size_key: len(content)}, PACK_CACHE_SECONDS)
    return OfflinePack(
        content=content,
        fmt=version.fmt,
        etag=version.etag,
        filename=f"{ascii_filename(course.slug)}.{version.fmt}",
        filename_utf8=f"{course.slug}.{version.fmt}",
    )


def course_offline_pack_sizes(*, course: CoursePage, language: str) -> dict[str, int]:
    """The size in bytes of each format's last generated pack (format → size), for the links
    on the course page; a format never generated yet is absent. One cache read."""
    language = _normalise_language(language)
    keys = {_size_key(course=course, language=language, fmt=fmt): fmt for fmt in FORMATS}
    return {keys[key]: size for key, size in cache.get_many(list(keys)).items()}
