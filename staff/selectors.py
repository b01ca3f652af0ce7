"""Reads of organisation and staff data, always filtered by what the asking user may see."""

from datetime import date

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Q, QuerySet

from .models import HRAssignment, ImportJob, OrgUnit, StaffHistory, StaffRecord
from .roles import ROLE_GROUP_NAMES, Role


def user_has_role(*, user, role: Role) -> bool:
    if not user.is_authenticated:
        return False
    if role is Role.ADMINISTRATOR and user.is_superuser:
        return True
    return user.groups.filter(name=ROLE_GROUP_NAMES[role]).exists()


def user_is_administrator(*, user) -> bool:
    return user_has_role(user=user, role=Role.ADMINISTRATOR)


def _scope_paths(*, user) -> list[str] | None:
    """Materialised paths of the subtrees the user may see; None means everything."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user_is_administrator(user=user):
        return None
    return list(user.hr_assignments.values_list("org_unit__path", flat=True))


def _prefix_filter(field: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def org_unit_list_in_scope(*, user) -> QuerySet[OrgUnit]:
    paths = _scope_paths(user=user)
    units = OrgUnit.objects.all()
    return units if paths is None else units.filter(_prefix_filter("path", paths))


def staff_list_in_scope(*, user) -> QuerySet[StaffRecord]:
    """Staff records an HR officer may see: those in the subtree of their assigned units."""
    paths = _scope_paths(user=user)
    records = StaffRecord.objects.select_related("org_unit", "position", "user")
    return records if paths is None else records.filter(_prefix_filter("org_unit__path", paths))


def staff_in_scope_of(*, user, staff: StaffRecord) -> bool:
    paths = _scope_paths(user=user)
    return paths is None or any(staff.org_unit.path.startswith(p) for p in paths)


def account_list_linkable(*, user, staff: StaffRecord | None = None, personnel_number: str = ""):
    """The login accounts `user` may link to a staff record in the record's form.

    Administrators may link any account. Anyone else (HR) keeps the record's current account or
    links an unlinked officer account created for this record by the invitation flow, which
    names it after the personnel number: never a trainer's, HR's or administrator's account,
    never one linked to another record, so no username outside the scope is ever offered."""
    User = get_user_model()
    if user_is_administrator(user=user):
        return User.objects.order_by("username")
    keep = Q(pk=staff.user_id) if staff is not None and staff.user_id else Q(pk__in=[])
    number = (personnel_number or (staff.personnel_number if staff else "")).strip()
    privileged_groups = [
        ROLE_GROUP_NAMES[r] for r in (Role.TRAINER, Role.HR_OFFICER, Role.ADMINISTRATOR)
    ]
    unlinked_learner = (
        Q(staff_record__isnull=True, is_staff=False, is_superuser=False, is_active=True)
        & Q(username__iexact=number)
        & ~Q(
            pk__in=User.groups.through.objects.filter(group__name__in=privileged_groups).values(
                "user_id"
            )
        )
        & ~Q(pk__in=HRAssignment.objects.values("user_id"))
    )
    if not number:
        unlinked_learner = Q(pk__in=[])
    return User.objects.filter(keep | unlinked_learner).distinct().order_by("username")


def staff_for_user(*, user) -> StaffRecord | None:
    """The personnel record linked to a login, if any."""
    if not user.is_authenticated:
        return None
    return (
        StaffRecord.objects.select_related("org_unit", "position")
        .filter(user=user, active=True)
        .first()
    )


def staff_members_of_unit_on(
    *, unit: OrgUnit, day: date, include_subunits: bool = False
) -> QuerySet[StaffRecord]:
    """Who belonged to the unit (or, optionally, anywhere under it) on that day, from the
    history periods [started_on, ended_on) — so a unit merged away still answers for its past."""
    periods = StaffHistory.objects.filter(started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )
    if include_subunits:
        periods = periods.filter(org_unit__path__startswith=unit.path)
    else:
        periods = periods.filter(org_unit=unit)
    return StaffRecord.objects.filter(pk__in=periods.values("staff_id")).select_related(
        "org_unit", "position"
    )


def import_job_list_for(*, user) -> QuerySet[ImportJob]:
    """Import jobs are seen by whoever uploaded them; administrators see all of them."""
    jobs = ImportJob.objects.select_related("uploaded_by")
    if not user.is_authenticated:
        return jobs.none()
    return jobs if user_is_administrator(user=user) else jobs.filter(uploaded_by=user)


def import_progress_key(job_id: int) -> str:
    return f"staff:import-progress:{job_id}"


def import_job_progress(*, job: ImportJob) -> int:
    """Rows written so far. A running import writes in one transaction, so its progress is
    published in the cache (Redis in the scale mode) rather than in the job row."""
    if job.status == ImportJob.Status.RUNNING:
        return max(job.processed_rows, cache.get(import_progress_key(job.pk)) or 0)
    return job.processed_rows
