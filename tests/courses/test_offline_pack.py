import io
import re
from unittest import mock
from urllib.parse import quote

import pytest
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from courses import offline
from courses.offline import (
    ascii_filename,
    course_offline_pack_html,
    course_offline_pack_pdf,
)
from tests.competencies.factories import CompetencyFactory
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    site_home,
    teach,
)

pytestmark = pytest.mark.django_db


def make_document(name, size, title):
    return get_document_model().objects.create(
        title=title, file=SimpleUploadedFile(name, b"x" * size), file_size=size
    )


def rich_lesson_body(image, second_image):
    video = make_document("bai-giang.mp4", 12 * 1024 * 1024, "Bài giảng video")
    decree = make_document("nghi-dinh.pdf", 2048, "Nghị định 105/2016/NĐ-CP")
    form = make_document("mau-bien-ban.pdf", 4096, "Mẫu biên bản kiểm tra")
    return [
        ("paragraph", "<p>Đo lường là cơ sở của thương mại công bằng.</p>"),
        ("image", {"image": image, "alt_text": "Cân đồng hồ ở chợ", "decorative": False}),
        (
            "video",
            {
                "title": "Kiểm tra cân",
                "video": video,
                "transcript": "<p>Lời thoại: đặt quả cân chuẩn lên bàn cân.</p>",
                "low_bandwidth": None,
                "poster": second_image,
            },
        ),
        ("document", {"document": form, "description": "Dùng khi kiểm tra tại chợ."}),
        (
            "callout",
            {
                "kind": "legal",
                "text": "<p>Cân phải được kiểm định.</p>",
                "document": decree,
                "article": "Điều 5",
            },
        ),
        (
            "worked_example",
            {
                "title": "Cân sai ở chợ xã",
                "situation": "<p>Người dân phản ánh cân thiếu.</p>",
                "steps": ["<p>Kiểm tra tem kiểm định.</p>", "<p>Cân lại bằng quả cân chuẩn.</p>"],
                "result": "<p>Lập biên bản.</p>",
            },
        ),
        (
            "checklist",
            {"title": "Trước khi đi kiểm tra", "items": ["Quả cân chuẩn", "Mẫu biên bản"]},
        ),
        (
            "practice_question",
            {
                "question": "<p>Cân nào phải kiểm định?</p>",
                "options": [
                    {"text": "Cân dùng trong mua bán", "correct": True, "feedback": "Đúng luật."},
                    {"text": "Cân trong bếp gia đình", "correct": False, "feedback": "Không."},
                ],
                "explanation": "<p>Vì cân dùng trong mua bán là phương tiện đo nhóm 2.</p>",
            },
        ),
        ("image", {"image": second_image, "alt_text": "Tem kiểm định", "decorative": False}),
    ]


@pytest.fixture
def course():
    index = CourseIndexPageFactory(parent=site_home())
    course = CoursePageFactory(
        parent=index,
        title="Đo lường cơ bản",
        slug="đo-lường-cơ-bản",
        summary="Quản lý phương tiện đo nhóm 2 tại chợ.",
    )
    teach(course, CompetencyFactory(code="MET-01", title="Quản lý phương tiện đo nhóm 2"))
    return course


@pytest.fixture
def modular_course(course):
    """Lesson 1 straight under the course, then a module with lessons 2 (every block type) and 3."""
    images = [wagtail_factories.ImageFactory(title=f"Ảnh {i}") for i in range(2)]
    first = LessonPageFactory(
        parent=course, title="Giới thiệu", body=[("paragraph", "<p>Bài mở đầu về đo lường.</p>")]
    )
    module = ModulePageFactory(parent=course, title="Học phần kiểm tra", summary="Đi chợ kiểm tra.")
    second = LessonPageFactory(parent=module, title="Kiểm tra cân", body=rich_lesson_body(*images))
    third = LessonPageFactory(
        parent=module, title="Xử lý vi phạm", body=[("paragraph", "<p>Bài cuối về biên bản.</p>")]
    )
    course.lessons = [first, second, third]
    course.module = module
    return course


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pack_holds_every_lesson_in_order_under_its_module(modular_course):
    html = course_offline_pack_html(course=modular_course, language="vi")
    main = html[html.index("<main>") :]
    positions = [
        main.index("Giới thiệu"),
        main.index("Bài mở đầu về đo lường."),
        main.index("Học phần kiểm tra"),
        main.index("Đi chợ kiểm tra."),
        main.index("Kiểm tra cân"),
        main.index("Đo lường là cơ sở của thương mại công bằng."),
        main.index("Xử lý vi phạm"),
        main.index("Bài cuối về biên bản."),
    ]
    assert positions == sorted(positions)
    toc = html[html.index('class="toc"') : html.index("<main>")]
    for lesson in modular_course.lessons:
        assert f'href="#lesson-{lesson.pk}">{lesson.title}</a>' in toc
        assert f'id="lesson-{lesson.pk}"' in main
    assert "Học phần kiểm tra" in toc


def test_the_pack_opens_with_the_summary_competencies_and_generation_date(modular_course, settings):
    html = course_offline_pack_html(course=modular_course, language="vi")
    header = html[: html.index('class="toc"')]
    assert "Quản lý phương tiện đo nhóm 2 tại chợ." in header
    assert "MET-01 Quản lý phương tiện đo nhóm 2" in header
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", header)
    assert f'href="{settings.SITE_URL}{modular_course.url}"' in header


def test_images_are_embedded_and_nothing_is_fetched_from_the_network(modular_course):
    html = course_offline_pack_html(course=modular_course, language="vi")
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 2  # the two image blocks; a video poster is left out
    assert all('src="data:image/jpeg;base64,' in img for img in images)
    assert 'alt="Cân đồng hồ ở chợ"' in images[0]
    assert 'src="http' not in html and "src='http" not in html
    assert "<script" not in html and "<link" not in html
    assert "<video" not in html and "<iframe" not in html
    assert "default-src 'none'; img-src data:" in html  # the browser enforces it when opened


def test_a_video_becomes_its_transcript_and_the_address_of_the_online_file(
    modular_course, settings
):
    html = course_offline_pack_html(course=modular_course, language="vi")
    video = get_document_model().objects.get(title="Bài giảng video")
    assert "Lời thoại: đặt quả cân chuẩn lên bàn cân." in html
    assert f"{settings.SITE_URL}{video.url}" in html
    assert "12,0\xa0MB" in html or "12.0\xa0MB" in html


def test_documents_and_legal_bases_are_listed_with_their_absolute_address(modular_course, settings):
    html = course_offline_pack_html(course=modular_course, language="vi")
    for title in ("Mẫu biên bản kiểm tra", "Nghị định 105/2016/NĐ-CP"):
        document = get_document_model().objects.get(title=title)
        assert title in html
        assert f'href="{settings.SITE_URL}{document.url}"' in html
    assert 'href="/' not in html
    assert "Điều 5" in html


def test_worked_examples_checklists_and_practice_answers_are_in_the_pack(modular_course):
    html = course_offline_pack_html(course=modular_course, language="vi")
    for text in (
        "Cân sai ở chợ xã",
        "Cân lại bằng quả cân chuẩn.",
        "Lập biên bản.",
        "Quả cân chuẩn",
        "Mẫu biên bản",
    ):
        assert text in html
    practice = html[html.index("Cân nào phải kiểm định?") :]
    assert "<details><summary>Cân dùng trong mua bán</summary>" in practice
    assert practice.index("<details>") < practice.index("Đúng luật.")
    assert "phương tiện đo nhóm 2." in practice


def test_the_pdf_keeps_vietnamese_diacritics_and_every_lesson(modular_course):
    content = course_offline_pack_pdf(course=modular_course, language="vi")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in (
        "Đo lường cơ bản",
        "Giới thiệu",
        "Kiểm tra cân",
        "Xử lý vi phạm",
        "Lời thoại: đặt quả cân chuẩn lên bàn cân.",
        "Đúng luật.",
    ):
        assert expected in text
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(content)).pages) == 2


def test_the_pack_is_in_the_visitors_language(modular_course):
    assert "Nội dung" in course_offline_pack_html(course=modular_course, language="vi")
    assert "Contents" in course_offline_pack_html(course=modular_course, language="en")


def test_a_draft_or_private_lesson_is_not_in_the_pack(modular_course):
    draft = LessonPageFactory(parent=modular_course, title="Bài nháp")
    draft.unpublish()
    private = LessonPageFactory(parent=modular_course, title="Bài hạn chế")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    html = course_offline_pack_html(course=modular_course, language="vi")
    assert "Bài nháp" not in html and "Bài hạn chế" not in html


# --- the downloads ------------------------------------------------------------------------------


def test_both_formats_download_as_attachments_named_from_the_slug(modular_course, client):
    for fmt, content_type in (("html", "text/html; charset=utf-8"), ("pdf", "application/pdf")):
        response = client.get(reverse(f"courses:offline_pack_{fmt}", args=[modular_course.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        disposition = response["Content-Disposition"]
        assert disposition.startswith(f'attachment; filename="do-luong-co-ban.{fmt}"; ')
        assert f"filename*=UTF-8''{quote(f'đo-lường-cơ-bản.{fmt}')}" in disposition
        disposition.encode("ascii")  # a header must be ASCII


def test_ascii_filenames_drop_vietnamese_marks():
    assert ascii_filename("Đo lường/cơ bản: 2025") == "Do-luong-co-ban-2025"
    assert ascii_filename("Được") == "Duoc"
    assert ascii_filename("…") == "course"


def test_a_draft_or_view_restricted_course_has_no_pack(course, client):
    LessonPageFactory(parent=course)
    urls = [reverse(f"courses:offline_pack_{fmt}", args=[course.pk]) for fmt in ("html", "pdf")]
    PageViewRestriction.objects.create(page=course, restriction_type="login")
    assert [client.get(url).status_code for url in urls] == [404, 404]
    PageViewRestriction.objects.all().delete()
    course.unpublish()
    assert [client.get(url).status_code for url in urls] == [404, 404]


def test_a_second_download_is_served_from_the_cache_without_rendering(
    modular_course, client, django_assert_max_num_queries
):
    url = reverse("courses:offline_pack_pdf", args=[modular_course.pk])
    first = client.get(url)
    with (
        mock.patch.object(offline, "_render_html", wraps=offline._render_html) as render,
        django_assert_max_num_queries(8),
    ):
        second = client.get(url)
    assert render.call_count == 0
    assert second.content == first.content


def test_a_browser_holding_the_current_pack_gets_a_304(modular_course, client):
    url = reverse("courses:offline_pack_html", args=[modular_course.pk])
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


def test_a_lesson_published_later_changes_the_pack(modular_course, client):
    url = reverse("courses:offline_pack_html", args=[modular_course.pk])
    before = client.get(url)
    lesson = modular_course.lessons[2]
    lesson.body = [("paragraph", "<p>Nội dung mới về xử phạt.</p>")]
    lesson.save_revision().publish()
    after = client.get(url)
    assert "Nội dung mới về xử phạt." in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_a_new_lesson_changes_the_pack(modular_course, client):
    url = reverse("courses:offline_pack_html", args=[modular_course.pk])
    client.get(url)
    LessonPageFactory(parent=modular_course.module, title="Bài bổ sung")
    assert "Bài bổ sung" in client.get(url).content.decode()


def test_a_replaced_image_file_changes_the_pack(modular_course, client):
    url = reverse("courses:offline_pack_html", args=[modular_course.pk])
    before = client.get(url)
    image = get_image_model().objects.get(title="Ảnh 0")
    # as Wagtail's image edit view does: a new file, its old renditions deleted
    image.file = wagtail_factories.ImageFactory.build(file__width=300, file__height=200).file
    image.save()
    image.renditions.all().delete()
    after = client.get(url)
    assert after["ETag"] != before["ETag"]
    assert after.content != before.content


def test_the_course_page_offers_both_downloads_with_their_size_once_known(modular_course, client):
    html = client.get(modular_course.url).content.decode()
    html_url = reverse("courses:offline_pack_html", args=[modular_course.pk])
    pdf_url = reverse("courses:offline_pack_pdf", args=[modular_course.pk])
    assert f'href="{html_url}"' in html and f'href="{pdf_url}"' in html
    # not generated yet: no size to tell (a size reads "12,3 KB"; a CSRF token may hold "KB")
    assert not re.search(r"\d KB", html)
    size = len(client.get(html_url).content)
    html = client.get(modular_course.url).content.decode()
    with translation.override("vi"):
        assert filesizeformat(size) in html


def test_a_course_without_lessons_offers_no_download(course, client):
    html = client.get(course.url).content.decode()
    assert reverse("courses:offline_pack_html", args=[course.pk]) not in html
