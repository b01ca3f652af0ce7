"""The staff record's admin pages show HR the person's learning (item 19): enrolments with
progress, who assigned them and overdue in words, exam attempts with dates in Vietnam time and
the result in words, the standing against the position's requirements; inside the HR scope,
through the `lms_staff_record_panels` hook (staff never imports assessments), in a number of
queries that does not grow with the enrolments and attempts."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from allauth.mfa.models import Authenticator
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, LateResponse
from assessments.staff_learning import staff_record_learning_panel
from courses.models import Enrolment, LessonProgress
from courses.services import enrolments_assign
from staff.roles import Role
from staff.services import user_role_grant
from tests.assessments.factories import ExamFactory
from tests.competencies.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
    RequirementFactory,
)
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)
from tests.staff.factories import OrgUnitFactory, StaffRecordFactory, UserFactory, hr_officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def provinces(roles):
    ministry = OrgUnitFactory(code="BKHCN", kind="ministry")
    hanoi = OrgUnitFactory(code="01", name="Hà Nội", parent=ministry)
    caobang = OrgUnitFactory(code="04", name="Cao Bằng", parent=ministry)
    ward = OrgUnitFactory(code="01-BD", name="Phường Ba Đình", kind="ward", parent=hanoi)
    return {"hanoi": hanoi, "caobang": caobang, "ward": ward}


@pytest.fixture
def officer(provinces):
    return StaffRecordFactory(
        full_name="Hoàng Thị Mai", personnel_number="HN-1", org_unit=provinces["ward"]
    )


@pytest.fixture
def hr(provinces):
    user = hr_officer_of(provinces["hanoi"])
    user.first_name, user.last_name = "Trần Thị Lan", ""
    user.save()
    return user


@pytest.fixture
def index():
    return CourseIndexPageFactory(parent=site_home())


def course_with_lessons(index, title, lessons=4):
    course = CoursePageFactory(parent=index, title=title)
    return course, [LessonPageFactory(parent=course) for _ in range(lessons)]


def attempt(officer, exam, number=1, **fields):
    started = fields.pop("started_at", timezone.now() - timedelta(hours=1))
    defaults = {
        "status": Attempt.Status.GRADED,
        "started_at": started,
        "deadline": started + timedelta(minutes=20),
        "submitted_at": started + timedelta(minutes=15),
    }
    return Attempt.objects.create(exam=exam, staff=officer, number=number, **{**defaults, **fields})


def page(client, view, staff):
    response = client.get(reverse(f"staffrecord:{view}", args=[staff.pk]))
    assert response.status_code == 200
    return response.content.decode()


def row(html, marker):
    """The table row that starts with `marker` (e.g. 'data-enrolment="3"')."""
    start = html.index(marker)
    return html[start : html.index("</tr>", start)]


@pytest.mark.parametrize("view", ["inspect", "edit"])
def test_hr_in_scope_sees_enrolments_with_progress_assigner_and_overdue_in_words(
    client, officer, hr, index, view
):
    today = timezone.localdate()
    overdue_course, overdue_lessons = course_with_lessons(index, "An toàn bức xạ")
    result = enrolments_assign(course=overdue_course, by=hr, due_date=today, staff_ids=[officer.pk])
    assert result.created == 1
    LessonProgress.objects.create(staff=officer, lesson=overdue_lessons[0])
    # the due date passed since the assignment
    Enrolment.objects.filter(staff=officer, course=overdue_course).update(
        due_date=today - timedelta(days=3)
    )
    done_course, _lessons = course_with_lessons(index, "Đo lường cơ bản", lessons=2)
    done = Enrolment.objects.create(
        staff=officer,
        course=done_course,
        source=Enrolment.Source.SELF,
        completed_at=datetime(2026, 3, 14, 20, 0, tzinfo=UTC),  # 15/03 03:00 in Hà Nội
    )
    client.force_login(hr)
    html = page(client, view, officer)
    assert "data-staff-learning" in html
    assert "Học tập" in html

    overdue = row(
        html,
        f'data-enrolment="{Enrolment.objects.get(course=overdue_course).pk}"',
    )
    assert 'data-status="overdue"' in overdue
    assert "An toàn bức xạ" in overdue
    assert "Quá hạn" in overdue  # in words, not only a colour
    assert "Trễ 3 ngày" in overdue
    assert (today - timedelta(days=3)).strftime("%d/%m/%Y") in overdue
    assert "25%" in overdue and "1/4 bài học" in overdue
    assert "Được giao" in overdue
    assert "bởi Trần Thị Lan" in overdue
    change_due = (
        reverse("courses_assign")
        + "?"
        + urlencode({"course": overdue_course.pk, "personnel_numbers": "HN-1"})
    )
    assert change_due.replace("&", "&amp;") in overdue
    assert overdue_course.url in overdue

    completed = row(html, f'data-enrolment="{done.pk}"')
    assert 'data-status="completed"' in completed
    assert "Đã hoàn thành" in completed
    assert "100%" in completed
    assert "Tự đăng ký" in completed
    assert "15/03/2026" in completed  # the completion date in Vietnam time
    assert "Đổi hạn hoàn thành" not in completed  # nothing to change on a finished course
    # overdue first
    assert html.index(overdue) < html.index(completed)


def test_hr_sees_attempts_with_dates_in_vietnam_time_score_and_result_in_words(client, officer, hr):
    exam = ExamFactory(title="Thi chứng chỉ đo lường")
    # 31/12/2026 17:30 UTC is 01/01/2027 00:30 in Hà Nội
    started = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    failed = attempt(
        officer, exam, 1, started_at=started, score_percent=Decimal("45.50"), passed=False
    )
    passed = attempt(
        officer,
        exam,
        2,
        started_at=started + timedelta(days=2),
        score_percent=Decimal("85.00"),
        passed=True,
    )
    client.force_login(hr)
    html = page(client, "inspect", officer)
    first = row(html, f'data-attempt="{failed.pk}"')
    assert "Thi chứng chỉ đo lường" in first
    assert "01/01/2027 00:30" in first  # started
    assert "01/01/2027 00:45" in first  # submitted
    assert "45,5%" in first
    assert "Chưa đạt" in first
    second = row(html, f'data-attempt="{passed.pk}"')
    assert "85%" in second
    assert "Đạt" in second and "Chưa đạt" not in second
    # HR may not open the exam's form: no link to it
    assert reverse("exam:edit", args=[exam.pk]) not in html


def test_time_up_and_pending_late_answers_read_in_words_linked_only_for_whoever_decides(
    client, officer, hr
):
    exam = ExamFactory()
    started = timezone.now() - timedelta(days=1)
    closed = attempt(
        officer,
        exam,
        1,
        status=Attempt.Status.IN_PROGRESS,
        started_at=started,
        submitted_at=None,
    )
    late = LateResponse.objects.create(attempt=closed, file_sha256="0" * 64)
    client.force_login(hr)
    html = page(client, "inspect", officer)
    closed_row = row(html, f'data-attempt="{closed.pk}"')
    assert "Đã hết giờ, chưa chấm điểm" in closed_row
    assert "Có câu trả lời đến muộn đang chờ giảng viên quyết định" in closed_row
    # HR never reads answers: the words, no link to the trainers' screen
    assert reverse("late_responses:detail", args=[late.pk]) not in html

    admin = UserFactory(username="quantri", is_superuser=True, is_staff=True)
    Authenticator.objects.create(user=admin, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(admin)
    html = page(client, "inspect", officer)
    assert reverse("late_responses:detail", args=[late.pk]) in html
    assert reverse("exam:edit", args=[exam.pk]) in html  # an administrator can open it


def test_standing_against_the_positions_requirements(client, officer, hr):
    framework = FrameworkFactory(status="published")
    competency = CompetencyFactory(code="MET-07", title="Kiểm định phương tiện đo")
    RequirementFactory(
        framework=framework,
        position=officer.position,
        competency=competency,
        min_level=ProficiencyLevelFactory(rank=3, name="Thành thạo"),
    )
    client.force_login(hr)
    html = page(client, "inspect", officer)
    standing = row(html, 'data-requirement="MET-07"')
    assert 'data-standing="gap"' in standing
    assert "Kiểm định phương tiện đo" in standing
    assert "Chưa đạt" in standing
    assert reverse("competencies_admin:assess", args=[officer.pk]) in html


def test_nothing_yet_reads_as_clear_messages(client, officer, hr):
    client.force_login(hr)
    html = page(client, "inspect", officer)
    assert "Người này chưa ghi danh khóa học nào." in html
    assert "Người này chưa dự bài thi nào." in html


def test_hr_of_another_province_gets_404_and_the_panel_shows_nothing(
    client, officer, provinces, index
):
    course, _lessons = course_with_lessons(index, "Khóa học bí mật")
    Enrolment.objects.create(staff=officer, course=course, source=Enrolment.Source.SELF)
    outsider = hr_officer_of(provinces["caobang"])
    client.force_login(outsider)
    for view in ("inspect", "edit"):
        response = client.get(reverse(f"staffrecord:{view}", args=[officer.pk]))
        assert response.status_code == 404
        assert "Khóa học bí mật" not in response.content.decode()
    request = RequestFactory().get("/")
    request.user = outsider
    assert staff_record_learning_panel(request=request, staff=officer) == ""


def test_a_trainer_or_the_officer_cannot_open_the_record_nor_get_the_panel(client, officer, index):
    course, _lessons = course_with_lessons(index, "Khóa học riêng")
    Enrolment.objects.create(staff=officer, course=course, source=Enrolment.Source.SELF)
    trainer = UserFactory()
    user_role_grant(user=trainer, role=Role.TRAINER)
    for user in (trainer, officer.user):
        client.force_login(user)
        for view in ("inspect", "edit"):
            response = client.get(reverse(f"staffrecord:{view}", args=[officer.pk]))
            assert response.status_code in (302, 403, 404)
            assert "Khóa học riêng" not in response.content.decode()
        request = RequestFactory().get("/")
        request.user = user
        assert staff_record_learning_panel(request=request, staff=officer) == ""


def test_the_officers_own_page_is_unchanged(client, officer, index):
    course, _lessons = course_with_lessons(index, "Khóa học của tôi")
    Enrolment.objects.create(staff=officer, course=course, source=Enrolment.Source.SELF)
    client.force_login(officer.user)
    for name in ("dashboard", "my_learning"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Khóa học của tôi" in html
        assert "data-staff-learning" not in html


def test_the_query_count_does_not_grow_with_enrolments_and_attempts(client, officer, hr, index):
    url = reverse("staffrecord:inspect", args=[officer.pk])

    def add(n):
        course, lessons = course_with_lessons(index, f"Khóa {n}", lessons=2)
        Enrolment.objects.create(
            staff=officer,
            course=course,
            source=Enrolment.Source.ASSIGNED,
            assigned_by=hr,
            due_date=timezone.localdate() - timedelta(days=1),
        )
        LessonProgress.objects.create(staff=officer, lesson=lessons[0])
        exam = ExamFactory()
        a = attempt(officer, exam, 1, score_percent=Decimal("70"), passed=True)
        LateResponse.objects.create(attempt=a, file_sha256=f"{n:064d}")

    add(0)
    client.force_login(hr)
    client.get(url)  # warm the caches (content types, permissions, site)
    with CaptureQueriesContext(connection) as one:
        html = client.get(url).content.decode()
    assert html.count("data-enrolment=") == 1 and html.count("data-attempt=") == 1
    for n in range(1, 10):
        add(n)
    with CaptureQueriesContext(connection) as ten:
        html = client.get(url).content.decode()
    assert html.count("data-enrolment=") == 10 and html.count("data-attempt=") == 10
    assert len(ten) == len(one), [q["sql"] for q in ten.captured_queries]


def test_the_panel_itself_costs_a_fixed_number_of_queries(
    officer, hr, index, django_assert_max_num_queries
):
    """The scope (2), enrolments, view restrictions, available courses, content types,
    outlines, lesson progress (6), attempts (1), framework (1; no requirements: the position
    has none), the site and its root for the course links (3): 13, whatever the numbers."""
    for n in range(6):
        course, lessons = course_with_lessons(index, f"Khóa {n}", lessons=1)
        Enrolment.objects.create(staff=officer, course=course, source=Enrolment.Source.SELF)
        attempt(officer, ExamFactory(), 1, score_percent=Decimal("50"), passed=False)
    request = RequestFactory().get("/")
    request.user = hr
    request.user.has_perm("staff.view_staffrecord")  # permission cache filled
    with django_assert_max_num_queries(13):
        html = staff_record_learning_panel(request=request, staff=officer)
    assert html.count("data-enrolment=") == 6 and html.count("data-attempt=") == 6


def test_change_the_due_date_opens_the_assign_form_filled_in(client, officer, hr, index):
    course, _lessons = course_with_lessons(index, "Khóa cần gia hạn")
    enrolments_assign(course=course, by=hr, due_date=timezone.localdate(), staff_ids=[officer.pk])
    client.force_login(hr)
    html = page(client, "inspect", officer)
    query = urlencode({"course": course.pk, "personnel_numbers": "HN-1"})
    url = reverse("courses_assign") + "?" + query
    assert url.replace("&", "&amp;") in html
    form = client.get(url)
    assert form.status_code == 200
    body = form.content.decode()
    assert f'<option value="{course.pk}" selected>' in body
    assert ">\nHN-1</textarea>" in body or ">HN-1</textarea>" in body
    # nothing was assigned by opening it
    assert Enrolment.objects.filter(staff=officer).count() == 1
