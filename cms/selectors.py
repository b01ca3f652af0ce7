"""Reads that combine several apps for the officer's own pages (cms may read every app)."""

from collections import Counter
from dataclasses import dataclass, field

from assessments.models import Exam
from assessments.selectors import exam_list_for_competencies
from competencies.selectors import (
    RequirementStatus,
    Status,
    staff_requirement_statuses,
    statuses_are_compliant,
)
from courses.models import CoursePage
from courses.selectors import course_keys_completed_by, course_list_for_competencies
from staff.models import StaffRecord


@dataclass(frozen=True)
class CompetencySummary:
    total: int
    met: int
    expiring: int
    expired: int
    gap: int
    compliant: bool

    @property
    def meeting(self) -> int:
        """Requirements currently met, including those about to expire."""
        return self.met + self.expiring

    @classmethod
    def of(cls, statuses: list[RequirementStatus]) -> "CompetencySummary":
        counts = Counter(s.status for s in statuses)
        return cls(
            total=len(statuses),
            met=counts[Status.MET],
            expiring=counts[Status.EXPIRING],
            expired=counts[Status.EXPIRED],
            gap=counts[Status.GAP],
            compliant=statuses_are_compliant(statuses),
        )


@dataclass
class CompetencyRow:
    status: RequirementStatus
    # courses that teach it and the officer has yet to finish; those she finished
    courses: list[CoursePage] = field(default_factory=list)
    courses_done: list[CoursePage] = field(default_factory=list)
    exams: list[Exam] = field(default_factory=list)

    @property
    def competency(self):
        return self.status.requirement.competency


@dataclass
class MyCompetencies:
    rows: list[CompetencyRow]
    summary: CompetencySummary

    @property
    def to_close(self) -> list[CompetencyRow]:
        return [row for row in self.rows if row.status.needs_action]


def my_competencies(*, staff: StaffRecord) -> MyCompetencies:
    """The staff member's requirements with their standing, and for each one not fully met the
    live courses and open exams that train or assess it. The number of queries does not grow
    with the number of requirements."""
    statuses = staff_requirement_statuses(staff=staff)
    open_ids = [s.requirement.competency_id for s in statuses if s.needs_action]
    courses = course_list_for_competencies(competency_ids=open_ids)
    exams = exam_list_for_competencies(competency_ids=open_ids)
    done = course_keys_completed_by(staff=staff) if open_ids else set()
    rows = []
    for s in statuses:
        row = CompetencyRow(status=s)
        if s.needs_action:
            # a finished course is no next step: the exam (or HR) is
            for course in courses.get(s.requirement.competency_id, []):
                (row.courses_done if course.translation_key in done else row.courses).append(course)
            row.exams = exams.get(s.requirement.competency_id, [])
        rows.append(row)
    return MyCompetencies(rows=rows, summary=CompetencySummary.of(statuses))
