"""Issue 16 item 13: domains, competencies, levels, positions and exams have English names, and
an officer reading in English sees them (the Vietnamese stands in where none was written);
certificates keep the Vietnamese."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from lms.translated import InReadersLanguage
from tests.competencies.factories import CompetencyFactory, DomainFactory
from tests.courses.factories import teach

pytestmark = pytest.mark.django_db


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def named(world):
    competency, level, exam = world.competency, world.level, world.exam
    competency.title_en = "Managing group 2 measuring instruments"
    competency.save()
    level.name_en = "Application"
    level.save()
    position = world.officer.position
    position.name_en = "Commune science and technology officer"
    position.save()
    exam.title_en = "Certification: Basic metrology"
    exam.instructions = "Bài thi gồm 5 câu hỏi."
    exam.instructions_en = "Five questions."
    exam.save()
    return world


def test_the_descriptor_reads_the_english_twin_only_while_english_is_active(named):
    competency = named.competency
    assert isinstance(type(competency).shown_title, InReadersLanguage)
    with translation.override("vi"):
        assert competency.shown_title == "Quản lý phương tiện đo nhóm 2"
    with translation.override("en"):
        assert competency.shown_title == "Managing group 2 measuring instruments"
        assert competency.shown_label == "MET-01 Managing group 2 measuring instruments"
        # no English written: the Vietnamese stands in
        assert DomainFactory(code="DX", name="Chuyển đổi số").shown_name == "Chuyển đổi số"
    # str() is what certificates and exports print: always the Vietnamese
    with translation.override("en"):
        assert str(competency) == "MET-01 Quản lý phương tiện đo nhóm 2"


def test_my_competencies_in_english(client, named):
    client.force_login(named.officer.user)
    html = in_english(client).get("/me/competencies/").content.decode()
    assert "MET-01 Managing group 2 measuring instruments" in html
    assert "2. Application" in html
    assert "Commune science and technology officer" in html
    assert "Certification: Basic metrology" in html
    assert "Quản lý phương tiện đo nhóm 2" not in html


def test_my_competencies_in_vietnamese_is_unchanged(client, named):
    client.force_login(named.officer.user)
    html = client.get("/me/competencies/").content.decode()
    assert "MET-01 Quản lý phương tiện đo nhóm 2" in html
    assert "Application" not in html and "Certification: Basic metrology" not in html


def test_the_exam_page_in_english(client, named):
    client.force_login(named.officer.user)
    html = in_english(client).get(reverse("assessments:exam", args=[named.exam.pk])).content
    html = html.decode()
    assert "<h1>Certification: Basic metrology</h1>" in html
    assert "Five questions." in html and "Bài thi gồm 5 câu hỏi." not in html


def test_the_english_course_shows_english_names_and_marks_only_the_vietnamese_ones(client):
    from tests.courses.test_language_of_parts import marked
    from tests.courses.test_localisation import World, html_of

    world = World()
    domain = world.course.domain
    domain.name_en = "Metrology"
    domain.save()
    teach(world.course, CompetencyFactory(title="Quản lý phương tiện đo", title_en="Instruments"))
    teach(world.course, CompetencyFactory(title="Tiếp nhận can nhiễu"))
    html = html_of(client.get(world.en_course.url))
    found = marked(html)
    assert "Metrology" in html and "Instruments" in html
    assert "vi: Tiếp nhận can nhiễu" in found
    assert not any(text.endswith(("Metrology", "Instruments")) for text in found)
    assert "vi: Quản lý phương tiện đo" not in found
