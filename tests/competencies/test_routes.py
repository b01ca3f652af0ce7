"""Issue 16 item 9: every competency a position requires or a course teaches has a way to be
obtained (a certification exam that awards it at that level, or HR's direct assessment), and
publishing a framework or saving a course says so when one has none."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from wagtail import hooks

from assessments.models import Exam, ExamLevelThreshold
from competencies.models import Framework
from competencies.routes import (
    competencies_without_route,
    framework_needed_ranks,
    missing_routes_message,
)
from courses.wagtail_hooks import warn_when_taught_competency_cannot_be_obtained
from tests.assessments.factories import BlueprintCellFactory, ExamFactory
from tests.competencies.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
    RequirementFactory,
)
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, site_home, teach

pytestmark = pytest.mark.django_db


def levels():
    return {rank: ProficiencyLevelFactory(rank=rank) for rank in (1, 2, 3)}


def missing_codes(needed):
    return {m.competency.code: m.best_rank for m in competencies_without_route(needed=needed)}


def test_a_competency_no_exam_covers_has_no_route():
    competency = CompetencyFactory(code="TEL-01")
    assert missing_codes({competency.pk: 1}) == {"TEL-01": None}


def test_an_exam_covers_a_competency_up_to_the_level_it_awards():
    level = levels()
    competency = CompetencyFactory(code="MET-01")
    BlueprintCellFactory(exam=ExamFactory(awarded_level=level[2]), competency=competency)
    assert missing_codes({competency.pk: 2}) == {}
    # level 3 is needed, the exam only ever records level 2
    assert missing_codes({competency.pk: 3}) == {"MET-01": 2}


def test_level_thresholds_raise_what_an_exam_can_award():
    level = levels()
    competency = CompetencyFactory(code="MET-01")
    exam = ExamFactory(awarded_level=level[2])
    BlueprintCellFactory(exam=exam, competency=competency)
    ExamLevelThreshold.objects.create(exam=exam, level=level[2], min_percent=60)
    ExamLevelThreshold.objects.create(exam=exam, level=level[3], min_percent=90)
    assert missing_codes({competency.pk: 3}) == {}


@pytest.mark.parametrize(
    "exam_kwargs",
    [
        {"published": False},
        {"kind": Exam.Kind.PRACTICE},
        {"closes_at": timezone.now() - timedelta(days=1)},
    ],
    ids=["draft", "practice", "closed"],
)
def test_an_exam_that_cannot_record_the_competency_is_no_route(exam_kwargs):
    levels()
    competency = CompetencyFactory(code="MET-02")
    BlueprintCellFactory(exam=ExamFactory(**exam_kwargs), competency=competency)
    assert missing_codes({competency.pk: 1}) == {"MET-02": None}


def test_hr_assessment_is_a_route_at_any_level():
    competency = CompetencyFactory(code="DX-01", assessed_by_hr=True)
    assert missing_codes({competency.pk: 4}) == {}


def test_the_check_takes_a_constant_number_of_queries(django_assert_num_queries):
    level = levels()
    needed = {}
    for n in range(12):
        competency = CompetencyFactory(code=f"RF-{n:02d}")
        needed[competency.pk] = 3
        if n % 2:
            BlueprintCellFactory(exam=ExamFactory(awarded_level=level[2]), competency=competency)
    # the competencies, the exams' cells, their thresholds, the short competencies
    with django_assert_num_queries(4):
        assert len(competencies_without_route(needed=needed)) == 12


def test_the_message_names_each_competency_and_what_it_lacks(settings):
    level = levels()
    none = CompetencyFactory(code="POST-01")
    low = CompetencyFactory(code="MET-01")
    BlueprintCellFactory(exam=ExamFactory(awarded_level=level[2]), competency=low)
    message = missing_routes_message(competencies_without_route(needed={none.pk: 1, low.pk: 3}))
    assert "POST-01 (chưa có bài thi nào kiểm tra)" in message
    assert "MET-01 (bài thi chỉ công nhận đến mức 2, cần mức 3)" in message
    assert "nhân sự đánh giá trực tiếp" in message


def test_the_framework_needs_each_competency_at_its_highest_minimum():
    level = levels()
    framework = FrameworkFactory(status=Framework.Status.DRAFT)
    competency = CompetencyFactory(code="MET-01")
    RequirementFactory(framework=framework, competency=competency, min_level=level[1])
    RequirementFactory(framework=framework, competency=competency, min_level=level[3])
    assert framework_needed_ranks(framework=framework) == {competency.pk: 3}


# --- publishing the framework -------------------------------------------------------------------


@pytest.fixture
def draft_with_a_dead_end():
    level = levels()
    framework = FrameworkFactory(status=Framework.Status.DRAFT)
    covered = CompetencyFactory(code="MET-01")
    BlueprintCellFactory(exam=ExamFactory(awarded_level=level[2]), competency=covered)
    RequirementFactory(framework=framework, competency=covered, min_level=level[2])
    RequirementFactory(
        framework=framework, competency=CompetencyFactory(code="TEL-01"), min_level=level[1]
    )
    return framework


def publish_url(framework):
    return reverse("competencies_admin:framework_publish", args=[framework.pk])


def test_the_publish_confirmation_names_the_dead_ends(
    client, framework_admin, draft_with_a_dead_end
):
    client.force_login(framework_admin)
    html = client.get(publish_url(draft_with_a_dead_end)).content.decode()
    assert "data-missing-routes" in html
    assert "TEL-01 (chưa có bài thi nào kiểm tra)" in html
    assert "MET-01" not in html.split("data-missing-routes")[1].split("</div>")[0]


def test_publishing_warns_and_publishes(client, framework_admin, draft_with_a_dead_end):
    client.force_login(framework_admin)
    response = client.post(publish_url(draft_with_a_dead_end))
    assert response.status_code == 302
    draft_with_a_dead_end.refresh_from_db()
    assert draft_with_a_dead_end.status == Framework.Status.PUBLISHED
    warnings = [m.message for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1 and "TEL-01" in warnings[0]


def test_a_framework_every_officer_can_meet_publishes_without_a_warning(client, framework_admin):
    level = levels()
    framework = FrameworkFactory(status=Framework.Status.DRAFT)
    RequirementFactory(
        framework=framework,
        competency=CompetencyFactory(code="STM-01", assessed_by_hr=True),
        min_level=level[2],
    )
    client.force_login(framework_admin)
    assert "data-missing-routes" not in client.get(publish_url(framework)).content.decode()
    response = client.post(publish_url(framework))
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


# --- saving a course ----------------------------------------------------------------------------


def saved(page):
    request = RequestFactory().post("/admin/pages/edit/")
    request.session = {}
    request._messages = FallbackStorage(request)
    warn_when_taught_competency_cannot_be_obtained(request, page)
    return [m.message for m in get_messages(request)]


def test_the_course_hook_runs_on_create_and_on_edit():
    for name in ("after_create_page", "after_edit_page"):
        assert warn_when_taught_competency_cannot_be_obtained in hooks.get_hooks(name)


def test_saving_a_course_that_teaches_a_dead_end_warns():
    level = levels()
    index = CourseIndexPageFactory(parent=site_home())
    course = CoursePageFactory(parent=index)
    covered = CompetencyFactory(code="MET-01")
    BlueprintCellFactory(exam=ExamFactory(awarded_level=level[2]), competency=covered)
    teach(course, covered, level[2])
    assert saved(course) == []
    teach(course, CompetencyFactory(code="MET-02"), level[1])
    (warning,) = saved(course)
    assert "MET-02 (chưa có bài thi nào kiểm tra)" in warning and "MET-01" not in warning


def test_pages_other_than_courses_are_left_alone():
    assert saved(site_home()) == []
