import pytest
import wagtail_factories
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model

from courses.blocks import (
    CalloutBlock,
    ChecklistBlock,
    DocumentBlock,
    LessonBodyBlock,
    PracticeQuestionBlock,
    VideoBlock,
    WorkedExampleBlock,
)
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)
from tests.staff.factories import StaffRecordFactory

pytestmark = pytest.mark.django_db


def make_document(name="tai-lieu.pdf", size=2048, title="Tài liệu"):
    content = b"x" * size
    return get_document_model().objects.create(
        title=title, file=SimpleUploadedFile(name, content), file_size=size
    )


def render(block, raw):
    """Render a block from its stored (JSON) form, as a saved page would."""
    return block.render(block.to_python(raw))


def video_raw(**overrides):
    video = make_document("bai-giang.mp4", size=12 * 1024 * 1024, title="Bài giảng")
    audio = make_document("bai-giang.mp3", size=1536 * 1024, title="Bài giảng (âm thanh)")
    return {
        "title": "Kiểm tra cân",
        "video": video.pk,
        "transcript": "<p>Lời thoại của video.</p>",
        "low_bandwidth": audio.pk,
        "poster": None,
        **overrides,
    }


def practice_raw(options):
    return {
        "question": "<p>Cân nào phải kiểm định?</p>",
        "options": options,
        "explanation": "<p>Vì cân dùng trong mua bán.</p>",
    }


def option(text, correct=False, feedback=""):
    return {"text": text, "correct": correct, "feedback": feedback}


def test_a_video_downloads_nothing_until_asked_and_always_shows_its_transcript():
    html = render(VideoBlock(), video_raw())
    assert 'preload="none"' in html
    assert "autoplay" not in html
    assert "<details>" in html and html.index("<details>") < html.index("<video")
    assert "Lời thoại của video." in html
    assert html.index("</details>") < html.index("Lời thoại của video.")  # always visible
    assert f"({filesizeformat(12 * 1024 * 1024)})</summary>" in html
    assert "MP3" in html and filesizeformat(1536 * 1024) in html


def test_a_video_poster_is_a_lazy_image_inside_the_closed_details():
    image = wagtail_factories.ImageFactory()
    html = render(VideoBlock(), video_raw(poster=image.pk))
    img = html[html.index("<img") :]
    assert 'loading="lazy"' in img[: img.index(">")]
    assert html.index("<details>") < html.index("<img") < html.index("</details>")
    assert "poster=" not in html


def test_a_video_without_a_transcript_is_refused():
    block = VideoBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(video_raw(transcript="<p> </p>")))
    assert "transcript" in error.value.block_errors


def test_a_video_must_be_a_video_file():
    block = VideoBlock()
    raw = video_raw(video=make_document("slides.pdf").pk)
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(raw))
    assert "video" in error.value.block_errors


def test_a_document_block_shows_its_file_type_and_size():
    document = make_document("quy-trinh.pdf", size=300 * 1024, title="Quy trình")
    html = render(DocumentBlock(), {"document": document.pk, "description": "Mẫu hồ sơ."})
    assert f'href="{document.url}"' in html
    assert "Quy trình" in html and "PDF" in html and filesizeformat(300 * 1024) in html
    assert "Mẫu hồ sơ." in html


def test_a_legal_callout_cites_its_document_and_article():
    decree = make_document("nghi-dinh.pdf", title="Nghị định 105/2016/NĐ-CP")
    raw = {"kind": "legal", "text": "<p>Điều kiện.</p>", "document": decree.pk, "article": "Điều 5"}
    html = render(CalloutBlock(), raw)
    assert f'<a href="{decree.url}">Nghị định 105/2016/NĐ-CP</a>, Điều 5' in html


def test_a_callout_saved_with_only_kind_and_text_still_renders():
    block = CalloutBlock()
    value = block.to_python({"kind": "tip", "text": "<p>Mẹo.</p>"})
    block.clean(value)
    html = block.render(value)
    assert "Mẹo." in html and "legal-ref" not in html


def test_a_worked_example_shows_situation_steps_and_result_in_order():
    raw = {
        "title": "",
        "situation": "<p>Tình huống.</p>",
        "steps": ["<p>Bước một.</p>", "<p>Bước hai.</p>"],
        "result": "<p>Kết quả.</p>",
    }
    html = render(WorkedExampleBlock(), raw)
    positions = [html.index(t) for t in ("Tình huống.", "Bước một.", "Bước hai.", "Kết quả.")]
    assert positions == sorted(positions)
    assert "<ol>" in html


def test_checklist_boxes_have_labels_and_ids_unique_across_blocks():
    block = ChecklistBlock()
    raw = {"title": "Hồ sơ", "items": ["Đơn đề nghị", "Bản sao giấy phép"]}
    html = render(block, raw) + render(block, raw)
    ids = [part.split('"')[0] for part in html.split('id="')[1:]]
    assert len(ids) == 4 and len(set(ids)) == 4
    for id_ in ids:
        assert f'<label for="{id_}">' in html
    assert "<form" not in html  # nothing is saved


def test_a_practice_question_reveals_feedback_and_the_answer_in_details():
    raw = practice_raw(
        [
            option("Cân bàn ở chợ", True, "Dùng trong mua bán."),
            option("Cân sức khỏe", False, "Không."),
        ]
    )
    html = render(PracticeQuestionBlock(), raw)
    assert html.count("<details") == 3
    assert "<summary>Cân bàn ở chợ</summary>" in html
    assert "Dùng trong mua bán." in html and "Vì cân dùng trong mua bán." in html
    assert "<form" not in html and "<script" not in html


def test_a_practice_question_needs_two_options():
    block = PracticeQuestionBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(practice_raw([option("Một", True)])))
    assert "options" in error.value.block_errors


def test_a_practice_question_needs_a_correct_option():
    block = PracticeQuestionBlock()
    with pytest.raises(ValidationError) as error:
        block.clean(block.to_python(practice_raw([option("Một"), option("Hai")])))
    assert "options" in error.value.block_errors


def test_a_complete_practice_question_is_valid():
    block = PracticeQuestionBlock()
    block.clean(block.to_python(practice_raw([option("Một", True), option("Hai")])))


def one_of_each_block():
    """Stored (JSON) stream data with one block of every type, new documents and image each time."""
    image = wagtail_factories.ImageFactory()
    document = make_document()
    decree = make_document("nghi-dinh.pdf", title="Nghị định")
    blocks = [
        ("paragraph", "<p>Đoạn văn.</p>"),
        ("image", {"image": image.pk, "alt_text": "Ảnh", "decorative": False}),
        (
            "callout",
            {"kind": "legal", "text": "<p>Căn cứ.</p>", "document": decree.pk, "article": "Điều 1"},
        ),
        ("video", video_raw(poster=image.pk)),
        ("document", {"document": document.pk, "description": ""}),
        (
            "worked_example",
            {"title": "", "situation": "<p>S</p>", "steps": ["<p>1</p>"], "result": "<p>R</p>"},
        ),
        ("checklist", {"title": "Danh mục", "items": ["Một", "Hai"]}),
        ("practice_question", practice_raw([option("Một", True), option("Hai")])),
    ]
    return [{"type": kind, "value": value} for kind, value in blocks]


@pytest.fixture
def course():
    index = CourseIndexPageFactory(parent=site_home())
    return CoursePageFactory(parent=index, slug="khoa-1")


def test_every_block_type_is_in_the_lesson_body():
    assert set(LessonBodyBlock().child_blocks) >= {
        "paragraph",
        "image",
        "callout",
        "video",
        "document",
        "worked_example",
        "checklist",
        "practice_question",
    }


def test_a_lesson_page_query_count_does_not_grow_with_its_blocks(course, client):
    staff = StaffRecordFactory()
    client.force_login(staff.user)

    def count(body):
        lesson = LessonPageFactory(parent=course)
        lesson.body = LessonBodyBlock().to_python(body)  # stored form, ids included
        lesson.save_revision().publish()
        client.get(lesson.url)  # create the image renditions
        # An empty cache, as the database cache of the embedded mode costs a query per lookup:
        # renditions must come from the bulk prefetch, not one cache lookup per image.
        cache.clear()
        client.get(course.url)  # warm the site-root cache again
        with CaptureQueriesContext(connection) as queries:
            response = client.get(lesson.url)
        assert response.status_code == 200
        return len(queries), response.content.decode()

    two_blocks, _ = count(
        [
            {"type": "paragraph", "value": "<p>Một.</p>"},
            {"type": "callout", "value": {"kind": "tip", "text": "<p>Mẹo.</p>"}},
        ]
    )
    every_type, _ = count(one_of_each_block())
    # 24 blocks, each image and document a different one
    three_of_each, html = count(one_of_each_block() + one_of_each_block() + one_of_each_block())
    assert html.count("<video") == 3 and html.count("<img") == 6
    assert three_of_each == every_type
    # Wagtail loads each chooser field of a stream in one query for all its blocks: eight fixed
    # queries (documents of video, low-bandwidth version, callout, download; images and their
    # renditions for image and poster), however many blocks use them.
    assert every_type - two_blocks <= 8


def test_the_admin_edits_a_lesson_with_every_block(course, client):
    from allauth.mfa.models import Authenticator
    from django.urls import reverse

    from tests.staff.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    lesson = LessonPageFactory(parent=course)
    lesson.body = LessonBodyBlock().to_python(one_of_each_block())
    lesson.save_revision().publish()
    response = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    assert response.status_code == 200
    assert "practice_question" in response.content.decode()  # the stream is in the form
