"""What a model instance calls itself (Wagtail puts it in titles, breadcrumbs, delete and usage
pages and log entries) reads as words and dd/mm/yyyy dates, not ids ("12#3") or ISO dates."""

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from assessments.models import Attempt, AttemptItem, ItemStatistic, ItemStatisticPending
from staff.models import StaffHistory
from tests.assessments.factories import ExamFactory, QuestionFactory
from tests.staff.factories import StaffRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_an_attempt_and_its_questions_name_the_exam_the_number_and_the_officer():
    staff = StaffRecordFactory(full_name="Vũ Thị Lan", personnel_number="HN-7")
    exam = ExamFactory(title="Sát hạch: Đo lường cơ bản")
    now = timezone.now()
    attempt = Attempt.objects.create(
        exam=exam, staff=staff, number=2, started_at=now, deadline=now + timedelta(hours=1)
    )
    assert str(attempt) == "Sát hạch: Đo lường cơ bản, lần thi 2, Vũ Thị Lan (HN-7)"
    version = QuestionFactory(name="MET-01 cân bàn").current_version
    item = AttemptItem.objects.create(
        attempt=attempt, position=3, question_version=version, option_order=[]
    )
    assert str(item) == f"{attempt}, câu 3"
    statistic = ItemStatistic.objects.create(question_version=version, attempts=12, computed_at=now)
    assert str(statistic) == "MET-01 cân bàn v1: 12 lượt làm bài"
    pending = ItemStatisticPending.objects.create(question_version=version)
    assert str(pending) == "MET-01 cân bàn v1"


def test_a_position_period_reads_dd_mm_yyyy():
    staff = StaffRecordFactory()
    period = StaffHistory(
        staff=staff,
        org_unit=staff.org_unit,
        position=staff.position,
        started_on=date(2024, 1, 5),
        ended_on=date(2025, 3, 1),
    )
    assert str(period).endswith("05/01/2024–01/03/2025")
    period.ended_on = None
    assert str(period).endswith("05/01/2024–")
