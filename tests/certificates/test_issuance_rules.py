"""Issuance rules besides the exam: completing a course (when a template names it) and meeting
every requirement of one's position; exactly once, also under concurrency."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificates_issue_for_positions
from competencies.models import CompetencyRecord
from competencies.services import competency_record_create
from courses.services import lesson_complete
from tests.certificates.factories import CertificateTemplateFactory
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
    teach,
)
from tests.staff.factories import PositionFactory, StaffRecordFactory

# --- course completion -------------------------------------------------------------------------


@pytest.fixture
def course(db):
    course = CoursePageFactory(parent=CourseIndexPageFactory(parent=site_home()), slug="do-luong")
    LessonPageFactory.create_batch(2, parent=course)
    teach(course, CompetencyFactory(code="MET-02", title="Đo lường"), ProficiencyLevelFactory())
    return course


def complete(course, staff):
    for lesson in course.get_descendants().type(LessonPageFactory._meta.model).specific():
        lesson_complete(staff=staff, lesson=lesson)


def test_completing_a_course_issues_its_certificate_once(
    course, django_capture_on_commit_callbacks
):
    template = CertificateTemplateFactory(course=course, title="Hoàn thành khoá Đo lường")
    staff = StaffRecordFactory()
    with django_capture_on_commit_callbacks(execute=True):
        complete(course, staff)
        complete(course, staff)  # done again: nothing new
    certificate = Certificate.objects.get()
    assert (certificate.template, certificate.basis) == (template, f"course:{course.pk}")
    assert certificate.competencies == [
        {"code": "MET-02", "title": "Đo lường", "level": "2. Mức 2"}
    ]
    assert certificate.signed_at is not None


def test_a_course_without_a_template_issues_nothing(course):
    CertificateTemplateFactory()  # not tied to the course
    complete(course, StaffRecordFactory())
    assert not Certificate.objects.exists()


def test_an_inactive_template_issues_nothing(course):
    CertificateTemplateFactory(course=course, active=False)
    complete(course, StaffRecordFactory())
    assert not Certificate.objects.exists()


def test_a_template_has_one_rule():
    template = CertificateTemplateFactory.build(course_id=1, position_id=2)
    with pytest.raises(ValidationError):
        template.clean()


# --- position certificates ----------------------------------------------------------------------


@pytest.fixture
def position_world(db):
    position = PositionFactory(code="KHCN-XA", name="Công chức KH&CN cấp xã")
    framework = FrameworkFactory()
    level = ProficiencyLevelFactory(rank=2, name="Vận dụng")
    competencies = [
        CompetencyFactory(code="MET-01", title="Đo lường"),
        CompetencyFactory(code="SHTT-01", title="Sở hữu trí tuệ"),
    ]
    for competency in competencies:
        RequirementFactory(
            framework=framework,
            position=position,
            competency=competency,
            min_level=level,
            validity_months=24,
        )
    template = CertificateTemplateFactory(position=position, title="Đạt chuẩn vị trí")
    staff = StaffRecordFactory(position=position)
    return {"staff": staff, "competencies": competencies, "level": level, "template": template}


def record(world, competency, evidence, assessed_on=None):
    return competency_record_create(
        staff=world["staff"],
        competency=competency,
        level=world["level"],
        source=CompetencyRecord.Source.MANUAL,
        evidence_ref=evidence,
        assessed_on=assessed_on,
    )


def test_meeting_every_requirement_issues_the_position_certificate(
    position_world, django_capture_on_commit_callbacks
):
    first, second = position_world["competencies"]
    with django_capture_on_commit_callbacks(execute=True):
        record(position_world, first, "manual:1")
    assert not Certificate.objects.exists()  # one requirement still a gap
    with django_capture_on_commit_callbacks(execute=True):
        evidence = record(position_world, second, "manual:2")
    certificate = Certificate.objects.get()
    assert certificate.template == position_world["template"]
    assert [c["code"] for c in certificate.competencies] == ["MET-01", "SHTT-01"]
    assert certificate.valid_until == evidence.valid_until  # not beyond the evidence
    assert certificate.signed_at is not None
    # evaluating again issues nothing new
    certificates_issue_for_positions(staff_ids=[position_world["staff"].pk])
    assert Certificate.objects.count() == 1


def test_renewed_evidence_issues_a_new_certificate_that_supersedes_the_old_one(position_world):
    first, second = position_world["competencies"]
    long_ago = timezone.localdate() - timedelta(days=300)
    record(position_world, first, "manual:1", assessed_on=long_ago)
    record(position_world, second, "manual:2", assessed_on=long_ago)
    (old,) = certificates_issue_for_positions(staff_ids=[position_world["staff"].pk])
    record(position_world, first, "manual:3")
    record(position_world, second, "manual:4")
    (new,) = certificates_issue_for_positions(staff_ids=[position_world["staff"].pk])
    old.refresh_from_db()
    assert new.pk != old.pk and new.valid_until > old.valid_until
    assert old.status == Certificate.Status.SUPERSEDED and old.superseded_by == new
    assert old.public_reason == Certificate.PublicReason.RECERTIFIED  # what the public reads


def test_staff_of_another_position_or_out_of_service_get_nothing(position_world):
    other = StaffRecordFactory()
    retired = StaffRecordFactory(position=position_world["template"].position, active=False)
    assert certificates_issue_for_positions(staff_ids=[other.pk, retired.pk]) == []


@pytest.mark.django_db(transaction=True)
def test_five_simultaneous_evaluations_issue_one_position_certificate(position_world):
    """Run on SQLite and, when DATABASE_URL points there, on PostgreSQL (CI does both)."""
    for number, competency in enumerate(position_world["competencies"]):
        record(position_world, competency, f"manual:{number}")
    staff_id = position_world["staff"].pk

    def evaluate(_):
        try:
            return [c.pk for c in certificates_issue_for_positions(staff_ids=[staff_id])]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=5) as pool:
        results = list(pool.map(evaluate, range(5)))
    assert Certificate.objects.filter(staff_id=staff_id).count() == 1
    assert len({pk for ids in results for pk in ids}) == 1
