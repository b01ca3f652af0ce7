"""What expires (issue 12): who falls out of compliance in the coming 30, 60 or 90 days, each
with the course or exam that closes the gap and whether it is already assigned; certificates
that expire in the same window; and assigned courses that are overdue.

Read from the stored standings and the enrolments, in a constant number of queries whatever the
number of rows; every read is bounded by an org-unit subtree the caller has checked against the
reader's scope (`selectors.report_scope`)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from assessments.models import Exam
from assessments.selectors import exam_list_for_competencies
from certificates.models import Certificate
from certificates.selectors import certificates_expiring_in_scope
from competencies.models import Competency
from competencies.selectors import _gc_paused
from courses.models import CoursePage, Enrolment
from courses.selectors import course_list_for_competencies
from staff.models import OrgUnit

from .models import Standing
from .selectors import NO_FILTERS, Filters, subtree_bounds

# the windows the report offers, in days; the first is the default
WITHIN_CHOICES = (30, 60, 90)
DEFAULT_WITHIN = WITHIN_CHOICES[0]


@dataclass
class ExpiringStanding:
    """One requirement of one staff member whose evidence runs out within the window, and what
    would close the gap before it opens."""

    standing: Standing  # with staff, org_unit, position and competency loaded
    days_left: int
    courses: list[CoursePage] = field(default_factory=list)
    exams: list[Exam] = field(default_factory=list)
    # an open enrolment of the person in one of `courses` (the one due first), if any
    enrolment: Enrolment | None = None

    @property
    def staff(self):
        return self.standing.staff

    @property
    def competency(self) -> Competency:
        return self.standing.competency

    @property
    def valid_until(self) -> date:
        return self.standing.sufficient_until

    @property
    def assigned(self) -> bool:
        return self.enrolment is not None


def window_end(*, today: date, within_days: int) -> date:
    """The last day of the window (inclusive): a record valid until that day is listed."""
    return today + timedelta(days=within_days)


# a province's list is thousands of model instances: without the pause they set off a full
# collection of the process's heap (0.2-0.5 s in a worker of this project) now and then
@_gc_paused()
def expiring_standing_list(
    *,
    scope: OrgUnit,
    within_days: int,
    filters: Filters = NO_FILTERS,
    today: date | None = None,
) -> list[ExpiringStanding]:
    """The (active staff member, requirement) pairs of the subtree whose evidence is valid
    today but not beyond the window, soonest first, with the live courses teaching the
    competency, the open certification exams covering it and the person's open enrolment in
    one of those courses. Five queries (the courses take two: their view restrictions), four
    when no course teaches the competencies."""
    today = today or timezone.localdate()
    low, high = subtree_bounds(scope.path)
    standings = Standing.objects.filter(
        unit_path__gte=low,
        unit_path__lt=high,
        staff__active=True,
        sufficient_until__gte=today,
        sufficient_until__lte=window_end(today=today, within_days=within_days),
    )
    if filters.position_id is not None:
        standings = standings.filter(position_id=filters.position_id)
    if filters.domain_id is not None:
        standings = standings.filter(domain_id=filters.domain_id)
    found = list(
        standings.select_related("staff", "org_unit", "position", "competency").order_by(
            "sufficient_until", "staff__full_name", "staff_id", "competency__code"
        )
    )
    if not found:
        return []
    competency_ids = sorted({s.competency_id for s in found})
    courses = course_list_for_competencies(competency_ids=competency_ids)
    exams = exam_list_for_competencies(competency_ids=competency_ids)
    course_ids = {course.pk for taught in courses.values() for course in taught}
    # the open enrolments of the listed people in the courses offered: the people are named by
    # the same filter as a subquery, so the query does not grow with them
    open_enrolments: dict[tuple[int, int], Enrolment] = {}
    if course_ids:
        enrolments = Enrolment.objects.filter(
            completed_at__isnull=True,
            course_id__in=sorted(course_ids),
            staff_id__in=standings.values("staff_id"),
        ).only("pk", "staff_id", "course_id", "due_date", "source")
        for enrolment in enrolments:
            open_enrolments[(enrolment.staff_id, enrolment.course_id)] = enrolment
    rows = []
    for standing in found:
        taught = courses.get(standing.competency_id, [])
        held = [
            e for c in taught if (e := open_enrolments.get((standing.staff_id, c.pk))) is not None
        ]
        held.sort(key=lambda e: (e.due_date is None, e.due_date or today, e.pk))
        rows.append(
            ExpiringStanding(
                standing=standing,
                days_left=(standing.sufficient_until - today).days,
                courses=taught,
                exams=exams.get(standing.competency_id, []),
                enrolment=held[0] if held else None,
            )
        )
    return rows


def expiring_certificate_list(
    *, user, scope: OrgUnit, within_days: int, filters: Filters = NO_FILTERS
) -> list[Certificate]:
    """Valid certificates of active staff of the subtree (and of the reader's scope) that expire
    within the window, soonest first, each with `days_left`. A certificate the holder already
    has a later one of (same template, valid longer) is not listed: it falls out of nothing.
    The domain filter keeps certificates attesting a competency of the domain. One query (two
    with a domain)."""
    today = timezone.localdate()  # as `certificates_expiring_in_scope` reads it
    low, high = subtree_bounds(scope.path)
    later = Certificate.objects.filter(
        staff_id=OuterRef("staff_id"),
        template_id=OuterRef("template_id"),
        status=Certificate.Status.VALID,
        valid_until__gt=OuterRef("valid_until"),
    )
    certificates = (
        certificates_expiring_in_scope(user=user, within_days=within_days)
        .filter(
            staff__active=True,
            staff__org_unit__path__gte=low,
            staff__org_unit__path__lt=high,
        )
        .filter(~Exists(later))
        .select_related("staff__org_unit", "staff__position", "template")
        .order_by("valid_until", "staff__full_name", "pk")
    )
    if filters.position_id is not None:
        certificates = certificates.filter(staff__position_id=filters.position_id)
    found = list(certificates)
    if filters.domain_id is not None:
        codes = set(
            Competency.objects.filter(domain_id=filters.domain_id).values_list("code", flat=True)
        )
        found = [c for c in found if codes & _attested_codes(c)]
    for certificate in found:
        certificate.days_left = (certificate.valid_until - today).days
    return found


def _attested_codes(certificate: Certificate) -> set[str]:
    return {
        item.get("code", "") for item in certificate.competencies or [] if isinstance(item, dict)
    }


@dataclass
class OverdueEnrolment:
    enrolment: Enrolment  # with staff (its unit and position) and course loaded
    days_overdue: int

    @property
    def staff(self):
        return self.enrolment.staff


def overdue_enrolment_list(
    *, scope: OrgUnit, filters: Filters = NO_FILTERS, today: date | None = None
) -> list[OverdueEnrolment]:
    """Courses an active staff member of the subtree was due to finish before today and has
    not, the longest overdue first; the domain filter is the course's. One query."""
    today = today or timezone.localdate()
    low, high = subtree_bounds(scope.path)
    enrolments = Enrolment.objects.filter(
        due_date__lt=today,
        completed_at__isnull=True,
        staff__active=True,
        staff__org_unit__path__gte=low,
        staff__org_unit__path__lt=high,
    )
    if filters.position_id is not None:
        enrolments = enrolments.filter(staff__position_id=filters.position_id)
    if filters.domain_id is not None:
        enrolments = enrolments.filter(course__domain_id=filters.domain_id)
    enrolments = enrolments.select_related("staff__org_unit", "staff__position", "course").order_by(
        "due_date", "staff__full_name", "pk"
    )
    return [
        OverdueEnrolment(enrolment=e, days_overdue=(today - e.due_date).days) for e in enrolments
    ]
