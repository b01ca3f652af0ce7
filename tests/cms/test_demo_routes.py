"""Issue 16 item 9 on the demo data: every competency the framework requires and every one a
demo course teaches can be obtained, so no demo officer meets a gap she cannot close."""

import io

import pytest
from django.core.management import call_command

from competencies.routes import competencies_without_route, framework_needed_ranks
from competencies.selectors import framework_published
from courses.models import CourseCompetency

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def test_every_requirement_of_the_demo_framework_can_be_obtained(demo):
    needed = framework_needed_ranks(framework=framework_published())
    assert len(needed) >= 15
    assert competencies_without_route(needed=needed) == []


def test_every_competency_a_demo_course_teaches_can_be_obtained(demo):
    taught = CourseCompetency.objects.filter(course__live=True).values_list(
        "competency_id", "level__rank"
    )
    needed: dict[int, int] = {}
    for competency_id, rank in taught:
        needed[competency_id] = max(rank, needed.get(competency_id, 0))
    assert competencies_without_route(needed=needed) == []


def test_the_metrology_exam_covers_both_competencies_its_course_teaches(demo):
    from assessments.models import Exam

    exam = Exam.objects.get(title="Sát hạch: Đo lường cơ bản")
    codes = set(exam.blueprint.values_list("competency__code", flat=True))
    taught = set(
        CourseCompetency.objects.filter(course=exam.course).values_list(
            "competency__code", flat=True
        )
    )
    assert taught == {"MET-01", "MET-02"} and taught <= codes
