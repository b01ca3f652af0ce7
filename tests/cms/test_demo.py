"""The demo courses: one real-looking Vietnamese course per core domain, every lesson block in
use, and a seed that can run any number of times."""

import io
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Revision

from courses.models import CoursePage, LessonPage, ModulePage
from demo.courses import ASSETS, COURSES, DOCUMENTS, IMAGES
from staff.models import StaffRecord

CORE_DOMAINS = {"MET", "IP", "RAD", "RF"}
# the blocks a course should show an officer; every one must appear somewhere in the demo
BLOCK_TYPES = {
    "paragraph",
    "image",
    "callout",
    "video",
    "document",
    "worked_example",
    "checklist",
    "practice_question",
}


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


VI = "vi"  # the demo's pages in Vietnamese; the metrology course also has an English copy


def all_counts() -> dict[str, int]:
    # the reference index is derived data Wagtail rebuilds as it likes, not demo content
    return {
        m._meta.label: m.objects.count()
        for m in apps.get_models()
        if m._meta.label != "wagtailcore.ReferenceIndex"
    }


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(
        LessonPage.objects.live()
        .filter(locale__language_code=VI)
        .descendant_of(course)
        .order_by("path")
    )


def blocks(lessons, block_type: str) -> list:
    return [b.value for lesson in lessons for b in lesson.body if b.block_type == block_type]


def test_seeding_again_creates_nothing_twice_and_writes_no_new_revision(demo):
    counts = all_counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert all_counts() == counts
    assert get_image_model().objects.count() == len(IMAGES)
    assert get_document_model().objects.count() == len(DOCUMENTS)


def test_four_courses_one_per_core_domain_one_in_modules_one_needing_another_first(demo):
    from assessments.models import Exam
    from certificates.models import CertificateTemplate
    from courses.selectors import course_prerequisites_missing

    courses = list(
        CoursePage.objects.live().filter(locale__language_code=VI).select_related("domain")
    )
    assert sorted(c.domain.code for c in courses) == sorted(CORE_DOMAINS)
    for course in courses:
        assert 3 <= len(lessons_of(course)) <= 5, course.title
        assert course.summary and course.estimated_hours > 0
        assert course.target_positions.exists()
        taught = list(course.taught.select_related("competency"))
        assert taught and all(t.competency.domain_id == course.domain_id for t in taught)

    modular = {
        m.get_parent().specific.slug
        for m in ModulePage.objects.live().filter(locale__language_code=VI)
    }
    assert (
        modular == {"an-toan-buc-xa"}
        and ModulePage.objects.live().filter(locale__language_code=VI).count() == 2
    )
    with_prerequisites = [c for c in courses if c.prerequisites.exists()]
    assert [c.slug for c in with_prerequisites] == ["so-huu-cong-nghiep-san-pham-dia-phuong"]
    assert [c.slug for c in with_prerequisites[0].prerequisites.all()] == ["do-luong-co-ban"]

    # the metrology course keeps its slug, exam and certificate, and the officer can start it
    metrology = (
        CoursePage.objects.live().filter(locale__language_code=VI).get(slug="do-luong-co-ban")
    )
    exam = Exam.objects.get(title="Sát hạch: Đo lường cơ bản")
    assert exam.course_id == metrology.pk and exam.published
    assert CertificateTemplate.objects.filter(exam=exam).exists()
    officer = StaffRecord.objects.get(user__username="canbo")
    assert course_prerequisites_missing(course=metrology, staff=officer) == []
    # the two lessons of the first demo keep their slugs, so progress recorded on them stays
    assert [lesson.slug for lesson in lessons_of(metrology)][:2] == [
        "phuong-tien-do-nhom-2",
        "kiem-tra-can-tai-cho",
    ]


def test_lessons_use_every_block_with_alt_text_transcripts_and_feedback(demo):
    lessons = list(LessonPage.objects.live().filter(locale__language_code=VI))
    used = {b.block_type for lesson in lessons for b in lesson.body}
    assert used >= BLOCK_TYPES
    for course in CoursePage.objects.live().filter(locale__language_code=VI):
        course_used = {b.block_type for lesson in lessons_of(course) for b in lesson.body}
        assert len(course_used) >= 7, (course.slug, BLOCK_TYPES - course_used)

    callouts = blocks(lessons, "callout")
    assert {c["kind"] for c in callouts} == {"tip", "error", "legal"}
    for callout in callouts:
        if callout["kind"] == "legal":
            assert callout["document"].file_extension == "pdf"

    images = blocks(lessons, "image")
    assert images
    for image in images:
        assert not image.decorative
        assert len(image.contextual_alt_text) >= 30, image.title

    videos = blocks(lessons, "video")
    assert len(videos) == len(COURSES)
    for video in videos:
        assert len(re.sub(r"<[^>]+>", "", video["transcript"].source)) >= 60
        assert video["video"].file_extension == "mp4"
        assert video["low_bandwidth"].file_extension == "mp3"
        assert video["poster"] is not None

    for question in blocks(lessons, "practice_question"):
        options = list(question["options"])
        assert len(options) >= 2 and any(o["correct"] for o in options)
        assert all(o["feedback"] for o in options)


def test_committed_assets_stay_small():
    limits = {"images": 40 * 1024, "videos": 150 * 1024, "audio": 40 * 1024, "docs": 60 * 1024}
    for folder, limit in limits.items():
        files = list((ASSETS / folder).iterdir())
        assert files
        for path in files:
            assert path.stat().st_size <= limit, path.name


def test_every_course_lesson_and_document_opens_and_pages_read_in_vietnamese(demo, client):
    client.force_login(StaffRecord.objects.get(user__username="canbo").user)
    pages = [
        *CoursePage.objects.live().filter(locale__language_code=VI),
        *LessonPage.objects.live().filter(locale__language_code=VI),
    ]
    assert len(pages) >= 4 + 12
    seen = ""
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert '<html lang="vi"' in html
        assert page.title in html
        for english in ("Practice question", "Legal basis", "Transcript", "Situation"):
            assert english not in html, (page.url, english)
        seen += html
    for vietnamese in ("Căn cứ pháp lý", "Bản chép lời", "Tình huống", "Câu hỏi luyện tập"):
        assert vietnamese in seen
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', seen)
    assert any(alt.startswith("Tem kiểm định minh họa") for alt in alts)

    for document in get_document_model().objects.all():
        response = client.get(document.url)
        assert response.status_code == 200, document.title
        assert len(b"".join(response.streaming_content)) == document.file_size


def test_seeding_updates_lessons_it_wrote_and_leaves_a_trainer_s_edit_alone(
    demo, django_user_model
):
    # as an earlier demo left them: written by the seed, so revisions without a user
    older = LessonPage.objects.filter(locale__language_code=VI).get(slug="phuong-tien-do-nhom-2")
    older.body = [{"type": "paragraph", "value": "<p>Nội dung cũ.</p>"}]
    older.save_revision().publish()
    course = CoursePage.objects.filter(locale__language_code=VI).get(slug="do-luong-co-ban")
    course.summary = "Tóm tắt cũ."
    course.taught = [course.taught.all()[0]]
    course.save_revision().publish()
    trainer = django_user_model.objects.get(username="giangvien")
    edited = LessonPage.objects.filter(locale__language_code=VI).get(slug="giay-phep-tan-so")
    edited.body = [{"type": "paragraph", "value": "<p>Bản của giảng viên.</p>"}]
    edited.save_revision(user=trainer).publish()
    edited_revisions = Revision.objects.filter(object_id=str(edited.pk)).count()

    call_command("seed_demo", stdout=io.StringIO())

    course = CoursePage.objects.get(pk=course.pk)
    assert course.summary != "Tóm tắt cũ."
    assert sorted(t.competency.code for t in course.taught.all()) == ["MET-01", "MET-02"]
    older = LessonPage.objects.get(pk=older.pk)
    assert "Nội dung cũ" not in str(older.body.render_as_block())
    assert len(older.body) > 3
    edited = LessonPage.objects.get(pk=edited.pk)
    assert [b.block_type for b in edited.body] == ["paragraph"]
    assert Revision.objects.filter(object_id=str(edited.pk)).count() == edited_revisions


def test_the_bank_has_60_approved_questions_of_every_type_and_one_exam_per_domain(demo):
    from assessments.models import Exam, Question
    from assessments.services import blueprint_shortfalls

    approved = Question.objects.filter(status="approved", approved_version__isnull=False)
    assert approved.count() >= 60
    by_domain = {}
    for question in approved.select_related("competency__domain", "approved_version"):
        by_domain.setdefault(question.competency.domain.code, []).append(question)
        assert question.legal_document, question.name
    assert set(by_domain) >= CORE_DOMAINS
    assert all(len(by_domain[code]) >= 12 for code in CORE_DOMAINS)
    assert set(approved.values_list("qtype", flat=True)) == {
        "single",
        "multiple",
        "truefalse",
        "numeric",
        "shorttext",
        "matching",
    }
    assert approved.exclude(approved_version__explanation="").count() >= 55
    # one published certification exam per core domain, on that domain's course
    exams = Exam.objects.filter(kind="certification", published=True).select_related(
        "course__domain"
    )
    assert sorted(e.course.domain.code for e in exams) == sorted(CORE_DOMAINS)
    for exam in exams:
        assert blueprint_shortfalls(exam=exam) == []
    # the browser test answers the metrology exam by the right option's label
    metrology = Exam.objects.get(title="Sát hạch: Đo lường cơ bản")
    for cell in metrology.blueprint.all():
        drawn = Question.objects.filter(
            competency=cell.competency, difficulty=cell.difficulty, approved_version__isnull=False
        )
        assert set(drawn.values_list("qtype", flat=True)) <= {"single", "truefalse"}


def test_the_demo_bank_does_not_write_every_right_answer_first(demo):
    from collections import Counter

    from assessments.models import Question

    positions = Counter()
    for question in Question.objects.filter(qtype="single").prefetch_related("versions"):
        options = question.versions.all()[0].options
        positions[next(i for i, o in enumerate(options) if o["correct"])] += 1
    assert len(positions) >= 3, positions
    assert max(positions.values()) < 0.6 * sum(positions.values()), positions


def test_practice_feedback_does_not_repeat_the_verdict_the_block_prints(demo):
    # the block prints "Đúng." before the feedback of a right answer
    lessons = list(LessonPage.objects.live().filter(locale__language_code=VI))
    questions = blocks(lessons, "practice_question")
    assert questions
    for question in questions:
        for option in question["options"]:
            if option["correct"]:
                assert not option["feedback"].startswith("Đúng"), option["feedback"]


@pytest.mark.django_db
def test_migrate_alone_creates_the_database_cache_table(settings):
    from django.db import connection

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lms_test_cache_table",
        }
    }
    call_command("migrate", verbosity=0)
    assert "lms_test_cache_table" in connection.introspection.table_names()
