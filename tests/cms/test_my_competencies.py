"""The officer's "My competencies" page: requirements, standing, expiry, and what closes each
gap."""

import itertools
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competencies.models import CompetencyRecord
from competencies.selectors import framework_published
from courses.models import CourseIndexPage
from tests.assessments.factories import BlueprintCellFactory, ExamFactory
from tests.competencies.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
    RequirementFactory,
)
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, site_home, teach
from tests.staff.factories import StaffRecordFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/me/competencies/"


@pytest.fixture
def catalogue():
    return CourseIndexPageFactory(parent=site_home())


CODES = itertools.count(1)


def requirements(officer, n):
    """n requirements at level 2 for the officer's position in the published framework; each
    competency has a live course and a published exam."""
    framework = framework_published() or FrameworkFactory()
    level = ProficiencyLevelFactory(rank=2)
    index = CourseIndexPage.objects.get()
    created = []
    for _ in range(n):
        competency = CompetencyFactory(code=f"RF-{next(CODES):03d}")
        RequirementFactory(
            framework=framework, position=officer.position, competency=competency, min_level=level
        )
        course = CoursePageFactory(parent=index, title=f"Khóa học về {competency.code}")
        teach(course, competency)
        course.save_revision().publish()
        BlueprintCellFactory(
            exam=ExamFactory(title=f"Bài thi {competency.code}"), competency=competency
        )
        created.append(competency)
    return created


def record(officer, competency, *, rank=2, days_left):
    today = timezone.localdate()
    return CompetencyRecord.objects.create(
        staff=officer,
        competency=competency,
        level=ProficiencyLevelFactory(rank=rank),
        source=CompetencyRecord.Source.MANUAL,
        evidence_ref=f"manual:{competency.code}",
        assessed_on=today - timedelta(days=800),
        valid_until=today + timedelta(days=days_left),
    )


def test_the_page_shows_each_requirement_with_level_standing_and_expiry(client, world, catalogue):
    officer = world.officer
    met, expiring, expired, gap = requirements(officer, 4)
    record(officer, met, days_left=400)
    soon = record(officer, expiring, days_left=20)
    record(officer, expired, days_left=-5)
    record(officer, gap, rank=1, days_left=400)
    client.force_login(officer.user)
    response = client.get(URL)
    assert response.status_code == 200
    rows = {row.competency.code: row for row in response.context["overview"].rows}
    assert rows[met.code].status.status == "met"
    assert rows[expiring.code].status.status == "expiring"
    assert rows[expired.code].status.status == "expired"
    assert rows[gap.code].status.status == "gap"
    html = response.content.decode()
    # standing in words, not colour alone; expiry dates shown
    for row in rows.values():
        assert str(row.status.label) in html
    assert soon.valid_until.strftime("%d/%m/%Y") in html
    assert 'scope="rowgroup"' in html and 'scope="col"' in html


def test_a_gap_lists_the_live_courses_and_published_exams_that_close_it(client, world, catalogue):
    officer = world.officer
    (competency,) = requirements(officer, 1)
    draft_course = CoursePageFactory(parent=catalogue, title="Khóa học chưa xuất bản", live=False)
    teach(draft_course, competency)
    draft_course.save()
    BlueprintCellFactory(
        exam=ExamFactory(title="Bài thi chưa công bố", published=False), competency=competency
    )
    BlueprintCellFactory(
        exam=ExamFactory(title="Bài thi đã đóng", closes_at=timezone.now() - timedelta(days=1)),
        competency=competency,
    )
    client.force_login(officer.user)
    response = client.get(URL)
    html = response.content.decode()
    assert f"Khóa học về {competency.code}" in html
    course = response.context["overview"].to_close[-1].courses[0]
    assert f'href="{course.url}"' in html
    exam = response.context["overview"].to_close[-1].exams[0]
    assert reverse("assessments:exam", args=[exam.pk]) in html
    assert "Khóa học chưa xuất bản" not in html
    assert "Bài thi chưa công bố" not in html and "Bài thi đã đóng" not in html
    # the world's own MET-01 exam closes the world's requirement too
    assert world.exam.title in html


def test_a_met_requirement_offers_nothing_to_do(client, world, catalogue):
    record(world.officer, world.competency, days_left=400)
    client.force_login(world.officer.user)
    response = client.get(URL)
    assert response.context["overview"].to_close == []
    assert world.exam.title not in response.content.decode()


@pytest.mark.parametrize("n", [2, 10])
def test_the_number_of_queries_does_not_grow_with_the_requirements(
    client, catalogue, django_assert_max_num_queries, n
):
    officer = StaffRecordFactory()
    requirements(officer, n)
    client.force_login(officer.user)
    client.get(URL)  # warm the per-process caches (content types, site root paths)
    with django_assert_max_num_queries(12):  # the withdrawn evidence, the courses finished
        response = client.get(URL)
    assert len(response.context["overview"].to_close) == n


def test_query_counts_are_the_same_for_2_and_10_requirements(client, catalogue):
    counts = []
    for n in (2, 10):
        officer = StaffRecordFactory()
        requirements(officer, n)
        client.force_login(officer.user)
        client.get(URL)
        with CaptureQueriesContext(connection) as queries:
            client.get(URL)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_account_without_a_staff_record_gets_a_message(client):
    client.force_login(UserFactory())
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["overview"] is None


def test_the_page_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_the_dashboard_summarises_and_links_to_the_page(client, world):
    client.force_login(world.officer.user)
    response = client.get(reverse("dashboard"))
    assert reverse("cms:my_competencies") == URL
    assert URL in response.content.decode()
    summary = response.context["competency_summary"]
    assert (summary.total, summary.gap, summary.compliant) == (1, 1, False)


def test_the_demo_officer_sees_every_standing_and_what_closes_the_metrology_gap(
    client, django_capture_on_commit_callbacks
):
    import io

    from django.core.management import call_command

    from competencies.models import Framework, Requirement
    from demo.competencies import REQUIREMENTS
    from staff.models import StaffRecord

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
        call_command("seed_demo", stdout=io.StringIO())
    published = Framework.objects.get(status=Framework.Status.PUBLISHED)
    assert Framework.objects.count() == 1  # seeding again made no new version
    positions = set(
        Requirement.objects.filter(framework=published).values_list("position__code", flat=True)
    )
    assert positions == set(REQUIREMENTS) and len(positions) >= 4

    officer = StaffRecord.objects.get(personnel_number="HN-000001")
    client.force_login(officer.user)
    response = client.get(URL)
    rows = {row.competency.code: row for row in response.context["overview"].rows}
    assert {row.status.status for row in rows.values()} == {"met", "expiring", "expired", "gap"}
    metrology = rows["MET-01"]
    assert metrology.status.status == "gap"
    assert [c.slug for c in metrology.courses] == ["do-luong-co-ban"]
    assert [e.title for e in metrology.exams] == ["Sát hạch: Đo lường cơ bản"]
    assert "Sát hạch: Đo lường cơ bản" in response.content.decode()


def test_a_finished_course_is_no_longer_the_next_step_the_exam_is(client, world, catalogue):
    """Issue 16 item 9: after the course, the gap sends the officer to the exam, not back to
    the course she finished."""
    from courses.models import Enrolment

    officer = world.officer
    (competency,) = requirements(officer, 1)
    course = CoursePageFactory._meta.model.objects.get(title=f"Khóa học về {competency.code}")
    Enrolment.objects.create(staff=officer, course=course, completed_at=timezone.now())
    client.force_login(officer.user)
    response = client.get(URL)
    row = next(r for r in response.context["overview"].to_close if r.competency == competency)
    assert row.courses == [] and [c.pk for c in row.courses_done] == [course.pk]
    html = response.content.decode()
    assert f'href="{course.url}"' not in html
    assert "Đã hoàn thành: Khóa học về" in html
    assert "Hãy làm đạt một bài thi dưới đây" in html
    assert reverse("assessments:exam", args=[row.exams[0].pk]) in html


def test_a_competency_hr_assesses_says_whom_to_ask(client, world, catalogue):
    officer = world.officer
    framework = framework_published()
    competency = CompetencyFactory(code="DX-91", assessed_by_hr=True)
    RequirementFactory(
        framework=framework,
        position=officer.position,
        competency=competency,
        min_level=ProficiencyLevelFactory(rank=2),
    )
    client.force_login(officer.user)
    html = client.get(URL).content.decode()
    card = html[html.index('id="close-DX-91"') :]
    card = card[: card.index("</div>")]
    assert "data-hr-assessed" in card
    assert "Cán bộ nhân sự đánh giá trực tiếp năng lực này" in card
    assert "Chưa có khóa học" not in card
