"""Automatic enrolment: a requirement not met enrols the officer in the courses teaching it,
re-evaluated when competency records or the requirements in force change."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from competencies.models import CompetencyRecord, Framework
from competencies.services import (
    RequirementRow,
    competency_record_create,
    framework_new_version,
    framework_publish,
    requirements_set_for_position,
)
from courses.models import Enrolment
from courses.services import enrolment_enrol, enrolments_sync_automatic
from tests.competencies.factories import (
    CompetencyFactory,
    FrameworkFactory,
    ProficiencyLevelFactory,
    RequirementFactory,
)
from tests.courses.factories import CourseIndexPageFactory, CoursePageFactory, site_home, teach
from tests.staff.factories import StaffRecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index():
    return CourseIndexPageFactory(parent=site_home())


def course_teaching(index, competency, *, live=True):
    course = CoursePageFactory(parent=index, title=f"Khóa {competency.code}", live=live)
    teach(course, competency)
    course.save()
    return course


def record(staff, competency, *, rank=2, days_left=900):
    today = timezone.localdate()
    return CompetencyRecord.objects.create(
        staff=staff,
        competency=competency,
        level=ProficiencyLevelFactory(rank=rank),
        source=CompetencyRecord.Source.MANUAL,
        evidence_ref=f"manual:{competency.code}",
        assessed_on=today - timedelta(days=1000),
        valid_until=today + timedelta(days=days_left),
    )


def test_a_gap_enrols_the_officer_in_the_course_teaching_it_and_a_met_requirement_does_not(index):
    officer = StaffRecordFactory()
    framework = FrameworkFactory()
    missing, held = CompetencyFactory(code="MET-01"), CompetencyFactory(code="MET-02")
    level = ProficiencyLevelFactory(rank=2)
    for competency in (missing, held):
        RequirementFactory(
            framework=framework, position=officer.position, competency=competency, min_level=level
        )
    record(officer, held)
    gap_course, held_course = course_teaching(index, missing), course_teaching(index, held)

    assert enrolments_sync_automatic(staff_ids=[officer.pk]) == 1
    enrolment = Enrolment.objects.get(staff=officer)
    assert enrolment.course_id == gap_course.pk
    assert (enrolment.source, enrolment.due_date) == (Enrolment.Source.AUTOMATIC, None)
    assert not Enrolment.objects.filter(course=held_course).exists()


def test_expired_and_expiring_evidence_also_enrol(index):
    expired, expiring = StaffRecordFactory(), StaffRecordFactory()
    competency = CompetencyFactory(code="MET-03")
    framework = FrameworkFactory()
    for staff in (expired, expiring):
        RequirementFactory(framework=framework, position=staff.position, competency=competency)
    record(expired, competency, days_left=-1)
    record(expiring, competency, days_left=5)
    course_teaching(index, competency)
    assert enrolments_sync_automatic() == 2


def test_syncing_again_changes_nothing_and_never_downgrades_an_enrolment(index):
    officer = StaffRecordFactory()
    competency = CompetencyFactory(code="MET-04")
    RequirementFactory(
        framework=FrameworkFactory(), position=officer.position, competency=competency
    )
    self_course = course_teaching(index, competency)
    other = CoursePageFactory(parent=index, title="Khóa khác")
    teach(other, competency)
    other.save()
    enrolment_enrol(staff=officer, course=self_course, source=Enrolment.Source.SELF)

    assert enrolments_sync_automatic(staff_ids=[officer.pk]) == 1
    assert enrolments_sync_automatic(staff_ids=[officer.pk]) == 0
    assert Enrolment.objects.get(course=self_course).source == Enrolment.Source.SELF


def test_inactive_staff_and_unpublished_courses_are_left_out(index):
    gone = StaffRecordFactory(active=False)
    officer = StaffRecordFactory()
    competency = CompetencyFactory(code="MET-05")
    framework = FrameworkFactory()
    for staff in (gone, officer):
        RequirementFactory(framework=framework, position=staff.position, competency=competency)
    course_teaching(index, competency, live=False)
    assert enrolments_sync_automatic() == 0


def test_the_sync_takes_a_constant_number_of_queries(index, django_assert_max_num_queries):
    competency = CompetencyFactory(code="MET-06")
    framework = FrameworkFactory()
    staff = StaffRecordFactory.create_batch(10)
    for member in staff:
        RequirementFactory(framework=framework, position=member.position, competency=competency)
    course_teaching(index, competency)
    with django_assert_max_num_queries(12):
        assert enrolments_sync_automatic() == 10


def test_publishing_a_version_that_adds_a_requirement_enrols_the_officer(
    index, django_capture_on_commit_callbacks
):
    officer = StaffRecordFactory()
    published = FrameworkFactory()
    competency = CompetencyFactory(code="MET-07")
    course_teaching(index, competency)
    draft = framework_new_version(framework=published)
    requirements_set_for_position(
        framework=draft,
        position=officer.position,
        rows=[
            RequirementRow(
                competency=competency, min_level=ProficiencyLevelFactory(rank=2), validity_months=24
            )
        ],
    )
    assert not Enrolment.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        framework_publish(framework=draft)
    assert draft.status == Framework.Status.PUBLISHED
    enrolment = Enrolment.objects.get(staff=officer)
    assert enrolment.source == Enrolment.Source.AUTOMATIC


def test_a_new_competency_record_re_evaluates_the_officer(
    index, django_capture_on_commit_callbacks
):
    officer = StaffRecordFactory()
    competency = CompetencyFactory(code="MET-08")
    RequirementFactory(
        framework=FrameworkFactory(),
        position=officer.position,
        competency=competency,
        min_level=ProficiencyLevelFactory(rank=3),
    )
    course_teaching(index, competency)
    # evidence below the required level leaves the gap open: the record triggers the sync
    with django_capture_on_commit_callbacks(execute=True):
        competency_record_create(
            staff=officer,
            competency=competency,
            level=ProficiencyLevelFactory(rank=1),
            source=CompetencyRecord.Source.MANUAL,
            evidence_ref="manual:low",
        )
    assert Enrolment.objects.filter(staff=officer, source=Enrolment.Source.AUTOMATIC).exists()


def test_the_management_command_syncs_every_active_officer(index):
    officer = StaffRecordFactory()
    competency = CompetencyFactory(code="MET-09")
    RequirementFactory(
        framework=FrameworkFactory(), position=officer.position, competency=competency
    )
    course_teaching(index, competency)
    call_command("sync_automatic_enrolments")
    assert Enrolment.objects.filter(staff=officer).exists()
