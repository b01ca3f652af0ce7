"""Bytes a learner downloads for a course page and its lessons, measured in a real browser.

Run: .venv/bin/python bench/bench_transfer_sizes.py [--write] [--keep]

Self-contained and stops by itself. In a temporary folder it creates a SQLite database, migrates
it, collects the static files (hashed and compressed, as in production) and seeds the demo, then
adds a course of two lessons, each with text, a callout, two content images (1.7 MP JPEG
"photos" made with Pillow) and a video block (video file, poster image, transcript). It serves
the site with gunicorn and the production settings (DEBUG off, WhiteNoise serving the
collected static files; media served the way a reverse proxy would, see `_serving_application`)
on 127.0.0.1, and drives Debian's Chromium headless through Playwright at 360 x 740 CSS px,
with the network throttled through the DevTools protocol (`Network.emulateNetworkConditions`:
250 kbit/s down, 150 kbit/s up, 300 ms added latency: a poor 2G/3G link).

The signed-in officer (demo account `canbo`) opens, each time reading to the end of the page:
  1. the course page with an empty cache (a new browser context with the sign-in cookies),
  2. the first lesson with an empty cache,
  3. the second lesson right after, with what the first left in the cache,
  4. the course page again (warm cache),
and lesson 1 again as a first visit (progress cleared, empty cache) at a device pixel ratio of 2,
as on most phones, for the image sizes.
For each page: bytes received (sum of `Network.loadingFinished.encodedDataLength`, response
headers included, for every request the page made), split into HTML, CSS, JS, content images and
other; the number of requests that went to the network; and the time to the load event under
the throttled link. With --write the table replaces the block between the markers in
docs/benchmarks.md (nothing else in that file is touched).
"""

import argparse
import io
import json
import math
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the link of a commune officer on a poor mobile connection
THROTTLE = {
    "offline": False,
    "latency": 300,  # ms, added to every round trip
    "downloadThroughput": 250 * 1000 / 8,  # bytes/s
    "uploadThroughput": 150 * 1000 / 8,
}
VIEWPORT = {"width": 360, "height": 740}
# a reverse proxy serving MEDIA_ROOT (docs/operations.md): renditions keep their name for as
# long as the original and the filter do, so a month is safe
MEDIA_MAX_AGE = 30 * 24 * 3600
BUDGETS_KB = {"cold_total": 100, "js": 30, "warm_excl_images": 15, "image": 30}
DOC = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- bench_transfer_sizes:start -->"
END_MARK = "<!-- bench_transfer_sizes:end -->"


def _serving_application():
    """The production WSGI app (WhiteNoise middleware for static files) with MEDIA_ROOT served
    under MEDIA_URL in front of it, standing in for the reverse proxy of a real deployment."""
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from whitenoise import WhiteNoise

    media = WhiteNoise(get_wsgi_application(), autorefresh=True, max_age=MEDIA_MAX_AGE)
    media.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
    return media


if os.environ.get("BENCH_TRANSFER_SERVE") == "1":  # imported by gunicorn
    application = _serving_application()


# --- content ---------------------------------------------------------------------------------
PARAGRAPHS = [
    "<p>Phương tiện đo nhóm 2 là phương tiện đo dùng để định lượng hàng hóa, dịch vụ trong mua "
    "bán, thanh toán, bảo đảm an toàn, bảo vệ sức khỏe cộng đồng và môi trường. Ví dụ: cân dùng "
    "trong mua bán, cột đo xăng dầu, đồng hồ nước lạnh, đồng hồ điện, taximet.</p>"
    "<p>Tổ chức, cá nhân sử dụng phương tiện đo nhóm 2 phải bảo đảm phương tiện đo đã được kiểm "
    "định còn hiệu lực, được lắp đặt, sử dụng đúng yêu cầu kỹ thuật và bảo quản đúng cách.</p>",
    "<h2>Những gì cần kiểm tra</h2><ul><li>Tem hoặc dấu kiểm định còn nguyên vẹn, còn thời hạn."
    "</li><li>Giấy chứng nhận kiểm định khớp với phương tiện đo đang dùng.</li><li>Sai số khi cân "
    "thử bằng quả cân chuẩn không vượt giới hạn cho phép.</li><li>Không có dấu hiệu can thiệp "
    "làm sai lệch kết quả đo.</li></ul>",
    "<p>Khi phát hiện vi phạm, cán bộ lập biên bản, hướng dẫn hộ kinh doanh đưa phương tiện đo "
    "đi kiểm định lại và báo cáo Ủy ban nhân dân xã. Trường hợp cố ý gian lận, chuyển hồ sơ "
    "cho cơ quan có thẩm quyền xử phạt theo quy định.</p>",
]
TRANSCRIPT = (
    "<p>Xin chào các đồng chí. Trong video này, chúng ta cùng xem cách kiểm tra một chiếc cân "
    "đồng hồ tại chợ: xem tem kiểm định, đặt quả cân chuẩn 1 kg, 2 kg và 5 kg lên bàn cân, đọc "
    "số chỉ và so sánh với giới hạn sai số cho phép. Nếu sai số vượt giới hạn, lập biên bản "
    "theo mẫu và hướng dẫn hộ kinh doanh đưa cân đi kiểm định lại.</p>"
)


def make_photo(seed: int, size=(1600, 1067)) -> bytes:
    """A JPEG that compresses like a phone photo (about 540 kB at 1.7 MP, quality 90): sky and
    ground gradients, blurred shapes, and texture at every scale (octaves of upscaled noise)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width, height = size
    horizon = int(height * rng.uniform(0.35, 0.6))
    top = [rng.randint(60, 200) for _ in range(3)]
    bottom = [rng.randint(20, 140) for _ in range(3)]
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        if y > horizon:
            colour = tuple(max(0, c - 40) for c in colour)
        draw.line([(0, y), (width, y)], fill=colour)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        w, h = rng.randint(40, 400), rng.randint(30, 300)
        fill = tuple(rng.randint(0, 255) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape([x, y, x + w, y + h], fill=fill)
    image = image.filter(ImageFilter.GaussianBlur(2))
    for octave, cells in enumerate([25, 50, 100, 200, 400, 800, 1600]):
        cells_y = max(2, cells * height // width)
        noise = Image.merge("RGB", [Image.effect_noise((cells, cells_y), 64) for _ in "RGB"])
        image = Image.blend(image, noise.resize(size, Image.BICUBIC), 0.3 / (1 + octave * 0.3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def build_course():
    """The demo site plus a course of two lessons with text, two images and a video each."""
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from competencies.models import Domain
    from courses.blocks import LessonBodyBlock
    from courses.models import CourseIndexPage, CoursePage, LessonPage
    from demo.seed import seed_demo

    seed_demo()
    Image, Document = get_image_model(), get_document_model()

    def image(n: int):
        data = make_photo(n)
        return Image.objects.create(
            title=f"Ảnh {n}", file=ImageFile(io.BytesIO(data), name=f"anh-{n}.jpg")
        )

    index = CourseIndexPage.objects.get()
    course = index.add_child(
        instance=CoursePage(
            title="Kiểm tra phương tiện đo tại chợ",
            slug="kiem-tra-phuong-tien-do",
            summary="Kiểm tra cân và các phương tiện đo nhóm 2 tại chợ, cửa hàng trên địa bàn.",
            domain=Domain.objects.get(code="MET"),
            estimated_hours=1,
        )
    )
    course.save_revision().publish()
    lessons, sizes = [], []
    for number in (1, 2):
        pictures = [image(10 * number + k) for k in range(3)]
        sizes += [p.file.size for p in pictures[:2]]
        video = Document.objects.create(
            title=f"Video bài {number}",
            file=ContentFile(b"\0" * (8 * 1024 * 1024), name=f"bai-{number}.mp4"),
            file_size=8 * 1024 * 1024,
        )
        raw = [
            {"type": "paragraph", "value": PARAGRAPHS[0]},
            {"type": "image", "value": {"image": pictures[0].pk, "alt_text": "Cân tại chợ"}},
            {"type": "paragraph", "value": PARAGRAPHS[1]},
            {"type": "callout", "value": {"kind": "tip", "text": "<p>Mang quả cân chuẩn.</p>"}},
            {"type": "image", "value": {"image": pictures[1].pk, "alt_text": "Tem kiểm định"}},
            {
                "type": "video",
                "value": {
                    "title": "Kiểm tra cân đồng hồ",
                    "video": video.pk,
                    "transcript": TRANSCRIPT,
                    "low_bandwidth": None,
                    "poster": pictures[2].pk,
                },
            },
            {"type": "paragraph", "value": PARAGRAPHS[2]},
        ]
        lesson = course.add_child(
            instance=LessonPage(
                title=f"Bài {number}: kiểm tra cân tại chợ",
                slug=f"bai-{number}",
                body=LessonBodyBlock().to_python(raw),
            )
        )
        lesson.save_revision().publish()
        lessons.append(lesson)
    return course, lessons, sizes


def forget_progress() -> None:
    from courses.models import LessonProgress

    LessonProgress.objects.all().delete()


# --- measuring ---------------------------------------------------------------------------------
@dataclass
class PageFigures:
    name: str
    url: str
    cache: str
    dpr: int = 1
    by_kind: dict = field(default_factory=dict)
    requests: int = 0
    from_cache: int = 0
    load_ms: float = 0.0
    last_byte_ms: float = 0.0
    largest_image: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


class Recorder:
    """Network events of one page, read from its DevTools session."""

    def __init__(self, cdp, media_url: str):
        self.media_url = media_url
        self.reset()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.on("Network.requestServedFromCache", self._served_from_cache)

    def reset(self):
        self.pending: dict[str, dict] = {}
        self.done: list[dict] = []
        self.cached = 0
        self.last_event = time.monotonic()
        self.first_sent = None  # DevTools timestamps, seconds
        self.last_finished = None

    def _kind(self, url: str, resource_type: str) -> str:
        if "/media/" in url and resource_type == "Image":
            return "content images"
        return {
            "Document": "HTML",
            "Stylesheet": "CSS",
            "Script": "JS",
            "Image": "other images",
        }.get(resource_type, "other")

    def _sent(self, event):
        self.last_event = time.monotonic()
        request_id = event["requestId"]
        if self.first_sent is None:
            self.first_sent = event["timestamp"]
        redirect = event.get("redirectResponse")
        if redirect is not None and request_id in self.pending:
            previous = self.pending.pop(request_id)
            previous["bytes"] = redirect.get("encodedDataLength", 0)
            self.done.append(previous)
        self.pending[request_id] = {
            "url": event["request"]["url"],
            "kind": self._kind(event["request"]["url"], event.get("type", "Other")),
            "bytes": 0,
            "cache": False,
        }

    def _received(self, event):
        self.last_event = time.monotonic()
        request = self.pending.get(event["requestId"])
        if request is not None and event["response"].get("fromDiskCache"):
            request["cache"] = True

    def _served_from_cache(self, event):
        request = self.pending.get(event["requestId"])
        if request is not None:
            request["cache"] = True

    def _finished(self, event):
        self.last_event = time.monotonic()
        request = self.pending.pop(event["requestId"], None)
        if request is not None:
            request["bytes"] = event.get("encodedDataLength", 0)
            self.done.append(request)
            self.last_finished = event["timestamp"]

    def _failed(self, event):
        self.last_event = time.monotonic()
        self.pending.pop(event["requestId"], None)

    def wait_quiet(self, page, quiet_s=1.5, limit_s=120.0):
        end = time.monotonic() + limit_s
        while time.monotonic() < end:
            page.wait_for_timeout(250)
            if not self.pending and time.monotonic() - self.last_event > quiet_s:
                return
        raise RuntimeError(f"requests still running: {list(self.pending.values())}")


def open_page(context, media_url: str):
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    recorder = Recorder(cdp, media_url)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    return page, recorder


def measure(page, recorder, *, name, url, cache, dpr=1) -> PageFigures:
    recorder.reset()
    page.goto(url, wait_until="load", timeout=180_000)
    load_ms = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0];"
        " return n.loadEventEnd - n.startTime; }"
    )
    # read to the end, as an officer does: lazy images load, the lesson is marked done
    height = page.evaluate("() => document.documentElement.scrollHeight")
    for y in range(0, height + VIEWPORT["height"], VIEWPORT["height"] // 2):
        page.evaluate(f"() => window.scrollTo(0, {y})")
        page.wait_for_timeout(150)
    recorder.wait_quiet(page)
    figures = PageFigures(name=name, url=url, cache=cache, dpr=dpr, load_ms=load_ms)
    for request in recorder.done:
        kind = request["kind"]
        figures.by_kind[kind] = figures.by_kind.get(kind, 0) + request["bytes"]
        if request["cache"]:
            figures.from_cache += 1
        else:
            figures.requests += 1
        if request["kind"] == "content images":
            figures.largest_image = max(figures.largest_image, request["bytes"])
    figures.from_cache += recorder.cached
    if recorder.first_sent is not None and recorder.last_finished is not None:
        figures.last_byte_ms = (recorder.last_finished - recorder.first_sent) * 1000
    return figures


def run_browser(base: str, course_url: str, lesson_urls: list[str], forget) -> list[PageFigures]:
    """The visits of the module docstring; `forget()` clears the officer's progress, so that
    lesson 1 at DPR 2 is a first visit again (with its script), not a re-read."""
    from playwright.sync_api import sync_playwright

    from demo.accounts import DEMO_PASSWORD
    from tests.browser.conftest import CHROMIUM_ARGS

    executable = shutil.which("chromium")
    if executable is None:
        sys.exit("Debian's chromium is not on PATH: run bin/install-chromium")
    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        options = {"locale": "vi-VN", "viewport": VIEWPORT}
        # sign in once (not measured); later contexts start from these cookies
        context = browser.new_context(**options)
        page = context.new_page()
        page.goto(base + "/accounts/login/")
        page.fill("input[name=login]", "canbo")
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").last.click()
        page.wait_for_url(lambda url: "/accounts/login" not in url)
        state = context.storage_state()
        context.close()

        context = browser.new_context(storage_state=state, **options)
        page, recorder = open_page(context, "/media/")
        results.append(measure(page, recorder, name="course page", url=course_url, cache="cold"))
        context.close()

        context = browser.new_context(storage_state=state, **options)
        page, recorder = open_page(context, "/media/")
        for number, (url, cache) in enumerate(
            [(lesson_urls[0], "cold"), (lesson_urls[1], "warm")], start=1
        ):
            results.append(measure(page, recorder, name=f"lesson {number}", url=url, cache=cache))
        results.append(measure(page, recorder, name="course page", url=course_url, cache="warm"))
        context.close()

        forget()
        context = browser.new_context(storage_state=state, device_scale_factor=2, **options)
        page, recorder = open_page(context, "/media/")
        results.append(
            measure(page, recorder, name="lesson 1", url=lesson_urls[0], cache="cold", dpr=2)
        )
        context.close()
        browser.close()
    return results


# --- reporting ---------------------------------------------------------------------------------
def kb(n: int) -> str:
    return f"{n / 1000:.1f}"


def table(results: list[PageFigures]) -> str:
    lines = [
        "| page | cache | DPR | total kB | HTML | CSS | JS | content images | other "
        "| total without content images | requests (+ from cache) | load event | last byte |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        other = r.by_kind.get("other images", 0) + r.by_kind.get("other", 0)
        images = r.by_kind.get("content images", 0)
        html, css, js = (kb(r.by_kind.get(kind, 0)) for kind in ("HTML", "CSS", "JS"))
        lines.append(
            f"| {r.name} | {r.cache} | {r.dpr} | **{kb(r.total)}** | {html} | {css} | {js} "
            f"| {kb(images)} "
            f"| {kb(other)} | {kb(r.total - images)} | {r.requests} (+{r.from_cache}) "
            f"| {r.load_ms / 1000:.1f} s | {r.last_byte_ms / 1000:.1f} s |"
        )
    return "\n".join(lines)


def verdicts(results: list[PageFigures]) -> list[tuple[str, str, bool]]:
    cold = [r for r in results if r.cache == "cold"]
    warm = [r for r in results if r.cache == "warm"]
    largest = max(r.largest_image for r in results if r.dpr == 1)
    largest_dpr2 = max((r.largest_image for r in results if r.dpr == 2), default=0)
    worst_cold = max(cold, key=lambda r: r.total)
    worst_js = max(results, key=lambda r: r.by_kind.get("JS", 0))
    worst_warm = max(warm, key=lambda r: r.total - r.by_kind.get("content images", 0))
    warm_excl = worst_warm.total - worst_warm.by_kind.get("content images", 0)
    b = BUDGETS_KB
    return [
        (
            f"first visit ≤ {b['cold_total']} kB",
            f"{kb(worst_cold.total)} kB ({worst_cold.name}, DPR {worst_cold.dpr})",
            worst_cold.total <= b["cold_total"] * 1000,
        ),
        (
            f"JavaScript ≤ {b['js']} kB",
            f"{kb(worst_js.by_kind.get('JS', 0))} kB",
            worst_js.by_kind.get("JS", 0) <= b["js"] * 1000,
        ),
        (
            f"later page ≤ {b['warm_excl_images']} kB without content images",
            f"{kb(warm_excl)} kB ({worst_warm.name})",
            warm_excl <= b["warm_excl_images"] * 1000,
        ),
        (
            f"content image ≤ about {b['image']} kB at phone width",
            f"{kb(largest)} kB at DPR 1, {kb(largest_dpr2)} kB at DPR 2",
            largest <= b["image"] * 1000 and largest_dpr2 <= b["image"] * 1000 * 1.1,
        ),
    ]


def machine_note() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    chromium = (
        subprocess.run(  # noqa: S603 - the browser the bench drives
            [shutil.which("chromium") or "chromium", "--version"], capture_output=True, text=True
        )
        .stdout.split(" built")[0]
        .strip()
    )
    return (
        f"{os.cpu_count()} cores, {math.ceil(memory)} GiB, Python {platform.python_version()}, "
        f"{chromium} (Debian)"
    )


def markdown(results, photo_sizes) -> str:
    kbps = THROTTLE["downloadThroughput"] * 8 / 1000
    up = THROTTLE["uploadThroughput"] * 8 / 1000
    rows = "\n".join(
        f"| {name} | {value} | {'met' if ok else '**missed**'} |"
        for name, value, ok in verdicts(results)
    )
    originals = sum(photo_sizes) / len(photo_sizes) / 1000
    note = textwrap.fill(
        f"Measured {date.today().isoformat()} on {machine_note()}; link throttled by Chromium "
        f"(`Network.emulateNetworkConditions`: {kbps:.0f} kbit/s down, {up:.0f} kbit/s up, "
        f"{THROTTLE['latency']} ms added latency); viewport 360 × 740 CSS px; signed in as the "
        "demo officer. Bytes are those received (`encodedDataLength`: compressed bodies plus "
        "response headers), kB = 1,000 bytes. Content images are the lessons' renditions under "
        f"`/media/` (originals: {len(photo_sizes)} JPEG photos of 1600 × 1067, "
        f"{originals:.0f} kB on average).",
        width=96,
        break_on_hyphens=False,
    )
    return f"""{START_MARK}
{note}

{table(results)}

| budget (DESIGN §6) | measured | |
|---|---|---|
{rows}
{END_MARK}"""


def write_doc(block: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if START_MARK in text and END_MARK in text:
        before, rest = text.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n## Page weight (transfer sizes)\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


# --- orchestration -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, limit_s=60.0) -> None:
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-transfer-"))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "lms.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "SITE_URL": base,
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "CACHE_URL": "dbcache://django_cache",
            "CELERY_BROKER_URL": "",
            "STATIC_ROOT": str(workdir / "static"),
            "MEDIA_ROOT": str(workdir / "media"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            "LOG_LEVEL": "WARNING",
        }
    )
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        print(f"preparing {workdir} …", flush=True)
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        course, lessons, photo_sizes = build_course()
        course_url, lesson_urls = base + course.url, [base + lesson.url for lesson in lessons]

        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
        server = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(gunicorn),
                "--pythonpath",
                f"{ROOT},{ROOT / 'bench'}",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
                "bench_transfer_sizes:application",
            ],
            env={**os.environ, "BENCH_TRANSFER_SERVE": "1"},
            cwd=ROOT,
        )
        wait_for(base + "/healthz")
        for url in [course_url, *lesson_urls]:  # renditions made once, before measuring
            wait_for(url)
        print(f"measuring against {base} …", flush=True)
        results = run_browser(base, course_url, lesson_urls, forget=forget_progress)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    block = markdown(results, photo_sizes)
    print(block)
    print(json.dumps([{**r.__dict__, "total": r.total} for r in results], indent=1))
    if args.write:
        write_doc(block)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
