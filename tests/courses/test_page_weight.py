"""Page-weight budgets of DESIGN §6 that hold without a browser: a lesson's HTML stays small once
compressed, learner pages load little script and style from our own origin, and in the production
configuration static files have hashed names with far-future cache headers, so later pages fetch
only their HTML. The transfer sizes in a throttled browser are measured by
bench/bench_transfer_sizes.py (docs/benchmarks.md)."""

import gzip
import importlib
import re

import pytest
import wagtail_factories
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from wagtail.documents import get_document_model

from courses.blocks import LessonBodyBlock
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)
from tests.staff.factories import StaffRecordFactory

pytestmark = pytest.mark.django_db

# DESIGN §6: a first visit is at most 100 kB, JavaScript at most 30 kB of it. Two content
# images of about 30 kB each leave 40 kB for the HTML, the stylesheet and the scripts.
JS_BUDGET = 30_000
PAGE_WITHOUT_IMAGES_BUDGET = 40_000
# this test lesson (text, two images, a callout, a video) is about 1.8 kB once compressed; the
# limit catches template bloat (inlined styles, scripts, icons), not longer lesson texts
LESSON_HTML_GZIP_LIMIT = 6_000

PARAGRAPH = (
    "<p>Phương tiện đo nhóm 2 là phương tiện đo dùng để định lượng hàng hóa, dịch vụ trong "
    "mua bán, thanh toán, bảo đảm an toàn, bảo vệ sức khỏe cộng đồng và môi trường.</p>"
)


@pytest.fixture
def lesson_world():
    """An officer, a course and two lessons; the first has text, two images and a video."""
    index = CourseIndexPageFactory(parent=site_home())
    course = CoursePageFactory(parent=index, slug="khoa-1")
    images = [wagtail_factories.ImageFactory(file__width=1600, file__height=1067) for _ in range(3)]
    video = get_document_model().objects.create(
        title="Video", file=ContentFile(b"\0" * 1024, name="bai-giang.mp4"), file_size=1024
    )
    body = [
        {"type": "paragraph", "value": PARAGRAPH * 3},
        {"type": "image", "value": {"image": images[0].pk, "alt_text": "Cân", "decorative": False}},
        {"type": "paragraph", "value": PARAGRAPH * 2},
        {"type": "callout", "value": {"kind": "tip", "text": "<p>Mang quả cân chuẩn.</p>"}},
        {"type": "image", "value": {"image": images[1].pk, "alt_text": "Tem", "decorative": False}},
        {
            "type": "video",
            "value": {
                "title": "Kiểm tra cân",
                "video": video.pk,
                "transcript": PARAGRAPH * 2,
                "low_bandwidth": None,
                "poster": images[2].pk,
            },
        },
    ]
    first = LessonPageFactory(parent=course, body=LessonBodyBlock().to_python(body))
    LessonPageFactory(parent=course)
    officer = StaffRecordFactory()
    return course, first, officer


def _assets(html: str) -> dict[str, list[str]]:
    return {
        "js": re.findall(r'<script[^>]*\bsrc="([^"]+)"', html),
        "css": re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', html),
        "inline_js": re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S),
    }


def _static_gzip_size(url: str) -> int:
    assert url.startswith("/static/"), f"{url}: pages load only our own static files"
    path = finders.find(url.removeprefix("/static/"))
    assert path, f"{url} is not a static file"
    with open(path, "rb") as f:
        return len(gzip.compress(f.read(), 9))


def test_a_lesson_with_text_images_and_a_video_is_small_once_compressed(lesson_world, client):
    _course, lesson, officer = lesson_world
    client.force_login(officer.user)
    response = client.get(lesson.url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    assert html.count("<img") == 3 and "<video" in html
    assert len(response.content) <= LESSON_HTML_GZIP_LIMIT, len(response.content)
    # every content image is lazy and offers the phone-sized renditions
    for img in re.findall(r"<figure><img[^>]*>", html):
        assert 'loading="lazy"' in img
        assert re.search(r"\.width-360\.[^ ]* 360w", img), img


@pytest.mark.parametrize("which", ["lesson", "course", "my_learning", "dashboard"])
def test_learner_pages_load_little_script_and_style(lesson_world, client, which):
    course, lesson, officer = lesson_world
    client.force_login(officer.user)
    url = {"lesson": lesson.url, "course": course.url, "my_learning": "/me/learning/"}.get(
        which, "/me/"
    )
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    compressed = len(response.content)
    if response.get("Content-Encoding") == "gzip":
        html = gzip.decompress(response.content).decode()
    else:
        html = response.content.decode()
    assets = _assets(html)
    assert assets["css"], "the site stylesheet"
    js = sum(_static_gzip_size(u) for u in assets["js"])
    js += sum(len(gzip.compress(s.encode(), 9)) for s in assets["inline_js"])
    css = sum(_static_gzip_size(u) for u in assets["css"])
    assert js <= JS_BUDGET, js
    assert compressed + css + js <= PAGE_WITHOUT_IMAGES_BUDGET, (compressed, css, js)
    if which == "lesson":
        assert assets["js"], "the lesson script marks the lesson done at its end"


def _production_static_storage(monkeypatch) -> dict:
    monkeypatch.setenv("DJANGO_SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "lms.example.gov.vn")
    monkeypatch.setenv("SITE_URL", "https://lms.example.gov.vn")
    production = importlib.import_module("lms.settings.production")
    return production.STORAGES["staticfiles"]


def test_static_files_are_hashed_and_cached_for_good_in_production(
    lesson_world, settings, monkeypatch, tmp_path
):
    _course, lesson, officer = lesson_world
    settings.DEBUG = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": _production_static_storage(monkeypatch),
    }
    settings.STATIC_ROOT = tmp_path / "static"
    # only the project's own files: enough for learner pages, and quick to collect
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)

    client = Client()  # its WhiteNoise middleware reads the collected files
    client.force_login(officer.user)
    html = client.get(lesson.url).content.decode()
    assets = _assets(html)
    assert assets["css"] and assets["js"]
    for url in assets["css"] + assets["js"]:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), f"{url} has no content hash"
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200
        cache_control = response["Cache-Control"]
        assert "immutable" in cache_control, cache_control
        assert int(re.search(r"max-age=(\d+)", cache_control)[1]) >= 365 * 24 * 3600
        assert response["Content-Encoding"] == "gzip"
        b"".join(response.streaming_content)
        response.close()
    # the file under its plain name is only cached briefly: it changes with each release
    response = client.get("/static/css/site.css")
    assert int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1]) <= 3600
    response.close()
