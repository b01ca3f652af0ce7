"""Course offline pack: render time and size (HTML and PDF), and the cost of a cached download.

Run:
    .venv/bin/python bench/bench_offline_pack.py [--runs 5]

Uses its own SQLite database, media folder and database cache (`BENCH_DATABASE_URL`,
`BENCH_MEDIA_ROOT`, default /tmp/bench-offline.sqlite3 and /tmp/bench-offline-media): it migrates,
runs `seed_demo` (the demo courses), and adds once a "bench" course of 5 lessons with 2 photos
(1600×1200 JPEG) each, 3 paragraphs, a callout and a practice question. For each course it times:
the first render (which also makes the image renditions), later renders (the figure that
matters: a new publication renders the pack again), and a download served from the cache.
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.base")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "sqlite:////tmp/bench-offline.sqlite3"
)
os.environ["MEDIA_ROOT"] = os.environ.get("BENCH_MEDIA_ROOT", "/tmp/bench-offline-media")  # noqa: S108
os.environ["CACHE_URL"] = "dbcache://django_cache"

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.files.images import ImageFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402
from wagtail.images import get_image_model  # noqa: E402

from competencies.models import Domain  # noqa: E402
from courses.models import CourseIndexPage, CoursePage, LessonPage  # noqa: E402
from courses.offline import (  # noqa: E402
    course_offline_pack,
    course_offline_pack_html,
    course_offline_pack_pdf,
)
from demo.seed import seed_demo  # noqa: E402

BENCH_SLUG = "bench-goi-ngoai-tuyen"
PARAGRAPH = (
    "<p>Cán bộ phụ trách khoa học và công nghệ cấp xã kiểm tra phương tiện đo nhóm 2 tại chợ "
    "và cơ sở kinh doanh: cân đồng hồ, cân điện tử, cột đo xăng dầu. Mỗi phương tiện phải có "
    "tem kiểm định còn hiệu lực; cán bộ đối chiếu giấy chứng nhận kiểm định, ghi nhận sai số "
    "và lập biên bản khi phát hiện vi phạm theo Nghị định 105/2016/NĐ-CP.</p>"
)


def photo(seed: int) -> ImageFile:
    """A 1600×1200 JPEG with gradients, shapes and noise: compresses like a phone photo."""
    rng = random.Random(seed)  # noqa: S311 - bench data
    image = Image.linear_gradient("L").resize((1600, 1200)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(60):
        x, y = rng.randrange(1600), rng.randrange(1200)
        r = rng.randrange(20, 200)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    noise = Image.effect_noise((1600, 1200), 40).convert("RGB")
    image = Image.blend(image, noise, 0.25)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return ImageFile(buffer, name=f"bench-photo-{seed}.jpg")


def bench_course() -> CoursePage:
    course = CoursePage.objects.filter(slug=BENCH_SLUG).first()
    if course is not None:
        return course
    index = CourseIndexPage.objects.get()
    course = CoursePage(
        title="Gói ngoại tuyến: 5 bài, 2 ảnh mỗi bài",
        slug=BENCH_SLUG,
        summary="Khóa học dùng để đo thời gian tạo gói ngoại tuyến.",
        domain=Domain.objects.get(code="MET"),
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    Image_ = get_image_model()
    for n in range(1, 6):
        images = [
            Image_.objects.create(title=f"Ảnh {n}.{i}", file=photo(10 * n + i)) for i in (1, 2)
        ]
        body = [
            ("paragraph", PARAGRAPH),
            ("image", {"image": images[0], "alt_text": "Cân ở chợ", "decorative": False}),
            ("paragraph", PARAGRAPH),
            ("callout", {"kind": "tip", "text": "<p>Mang theo quả cân chuẩn.</p>"}),
            ("image", {"image": images[1], "alt_text": "Tem kiểm định", "decorative": False}),
            ("paragraph", PARAGRAPH),
            (
                "practice_question",
                {
                    "question": "<p>Cân nào phải kiểm định?</p>",
                    "options": [
                        {"text": "Cân dùng trong mua bán", "correct": True, "feedback": "Đúng."},
                        {"text": "Cân trong bếp", "correct": False, "feedback": "Không."},
                    ],
                    "explanation": "<p>Phương tiện đo nhóm 2.</p>",
                },
            ),
        ]
        lesson = LessonPage(title=f"Bài {n}: Kiểm tra cân tại chợ", slug=f"bai-{n}", body=body)
        course.add_child(instance=lesson)
        lesson.save_revision().publish()
    return course


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def measure(course: CoursePage, runs: int) -> dict:
    figures = {"course": course.title, "lessons": None}
    for fmt, render in (("html", course_offline_pack_html), ("pdf", course_offline_pack_pdf)):
        times = []
        for _ in range(runs + 1):
            start = time.perf_counter()
            content = render(course=course, language="vi")
            times.append(time.perf_counter() - start)
        figures[f"{fmt}_first"] = times[0]
        figures[f"{fmt}_median"] = statistics.median(times[1:])
        figures[f"{fmt}_size"] = len(content)
        cache.clear()
        course_offline_pack(course=course, language="vi", fmt=fmt)  # fills the cache
        hits = []
        for _ in range(runs):
            connection.queries_log.clear()  # a full log would make the count read 0
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                course_offline_pack(course=course, language="vi", fmt=fmt)
                hits.append(time.perf_counter() - start)
        figures[f"{fmt}_hit"] = statistics.median(hits)
        figures[f"{fmt}_hit_queries"] = len(queries)
    from courses.selectors import course_lessons

    figures["lessons"] = len(course_lessons(course=course))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    seed_demo()
    courses = [
        *CoursePage.objects.live().exclude(slug=BENCH_SLUG).order_by("path"),
        bench_course(),
    ]
    print(
        "| course | lessons | HTML first / later render | HTML size "
        "| PDF first / later render | PDF size | cached download (queries) |"
    )
    print("|---|---|---|---|---|---|---|")
    for course in courses:
        f = measure(course, args.runs)
        print(
            f"| {f['course']} | {f['lessons']} "
            f"| {ms(f['html_first'])} / {ms(f['html_median'])} | {f['html_size'] / 1024:.0f} KiB "
            f"| {ms(f['pdf_first'])} / {ms(f['pdf_median'])} | {f['pdf_size'] / 1024:.0f} KiB "
            f"| HTML {ms(f['html_hit'])} ({f['html_hit_queries']}), "
            f"PDF {ms(f['pdf_hit'])} ({f['pdf_hit_queries']}) |"
        )


if __name__ == "__main__":
    main()
