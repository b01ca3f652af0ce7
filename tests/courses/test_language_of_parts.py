"""WCAG 3.1.2 (Language of Parts): on an English page, what is still in Vietnamese (a course or
lesson without a translation, shown as the fallback, and the names kept only in Vietnamese:
domains, competencies, levels) carries lang="vi", so a screen reader reads it with a Vietnamese
voice; on the Vietnamese pages nothing needs marking."""

import re

import pytest

from tests.competencies.factories import CompetencyFactory
from tests.courses.factories import CoursePageFactory, teach
from tests.courses.test_localisation import World, html_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    world = World()
    world.vietnamese_only = CoursePageFactory(
        parent=world.index, slug="khoa-2", title="An toàn bức xạ", summary="Nguồn phóng xạ."
    )
    teach(world.course, CompetencyFactory(title="Quản lý phương tiện đo"))
    return world


def marked(html: str) -> list[str]:
    """The elements of <main> marked with a language, as `lang: their text`."""
    main = html[html.index("<main") : html.index("</main>")]
    return [
        f"{lang}: {re.sub(r'<[^>]+>', '', text).strip()}"
        for lang, text in re.findall(r'<\w+[^>]* lang="(\w+)"[^>]*>(.*?)</', main, re.S)
    ]


def test_the_english_catalogue_marks_the_vietnamese_course_and_domains(world, client):
    html = html_of(client.get(world.en_index.url))
    found = marked(html)
    assert "vi: An toàn bức xạ" in found and "vi: Nguồn phóng xạ." in found
    assert f"vi: {world.course.domain.name}" in found
    assert not any("Metrology" in text for text in found)  # the translation is English


def test_the_english_home_page_marks_the_vietnamese_course(world, client):
    found = marked(html_of(client.get("/en/")))
    assert "vi: An toàn bức xạ" in found
    assert not any("Metrology" in text for text in found)


def test_the_english_course_marks_the_untranslated_lesson_and_the_competency(world, client):
    found = marked(html_of(client.get(world.en_course.url)))
    assert "vi: Bài 3" in found  # the last lesson has no translation yet
    assert "vi: Quản lý phương tiện đo" in found
    assert not any(text.endswith(("Lesson 1", "Lesson 2")) for text in found)


def test_the_english_lesson_marks_a_vietnamese_next_lesson(world, client):
    found = marked(html_of(client.get(world.en_lessons[-1].url)))
    assert found == ["vi: Bài 3"]


@pytest.mark.parametrize("url", ["/", "/khoa-hoc/", "/khoa-hoc/khoa-1/", "/khoa-hoc/khoa-1/bai-2/"])
def test_the_vietnamese_pages_mark_nothing(world, client, url):
    index = world.index.url
    html = html_of(client.get(url.replace("/khoa-hoc/", index)))
    assert marked(html) == []
