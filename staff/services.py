"""Writes to organisation and staff data."""

import csv
import logging
import uuid
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.queue import task_enqueue_on_commit

from .history import Move, history_moves_apply
from .importing import ImportPlan, import_apply, import_plan, readers
from .importing.base import Progress
from .models import HRAssignment, ImportJob, OrgUnit, Position, StaffRecord
from .roles import ROLE_GROUP_NAMES, ROLE_PERMISSIONS, Role
from .selectors import import_progress_key

logger = logging.getLogger(__name__)

PROVINCES_CSV = Path(__file__).resolve().parent / "data" / "provinces.csv"
MINISTRY_CODE = "BKHCN"


@transaction.atomic
def roles_sync() -> dict[Role, Group]:
    """Every role exists as a group carrying exactly its declared permissions."""
    groups = {}
    for role, name in ROLE_GROUP_NAMES.items():
        group, _created = Group.objects.get_or_create(name=name)
        if role is Role.ADMINISTRATOR:
            perms = Permission.objects.all()
        else:
            wanted = [p.split(".", 1) for p in ROLE_PERMISSIONS[role]]
            perms = [
                p
                for p in Permission.objects.select_related("content_type").filter(
                    codename__in=[c for _, c in wanted]
                )
                if [p.content_type.app_label, p.codename] in wanted
            ]
        group.permissions.set(perms)
        groups[role] = group
    return groups


def user_role_grant(*, user, role: Role) -> None:
    user.groups.add(Group.objects.get(name=ROLE_GROUP_NAMES[role]))
    if role is Role.ADMINISTRATOR and not user.is_staff:
        # is_staff flags administrator accounts for the two-factor requirement
        user.is_staff = True
        user.save(update_fields=["is_staff"])


@transaction.atomic
def org_unit_upsert(
    *, code: str, name: str, kind: str, parent: OrgUnit | None, valid_from: date | None = None
) -> OrgUnit:
    """A unit with this code exists under this parent with this name and kind."""
    unit = OrgUnit.objects.filter(code=code).first()
    if unit is None:
        fields = {"code": code, "name": name, "kind": kind, "valid_from": valid_from}
        return parent.add_child(**fields) if parent else OrgUnit.add_root(**fields)
    if (unit.name, unit.kind) != (name, kind):
        unit.name, unit.kind = name, kind
        unit.save(update_fields=["name", "kind"])
    return unit


@transaction.atomic
def provinces_load(*, csv_path: Path = PROVINCES_CSV) -> OrgUnit:
    """The ministry root and the 34 provinces/cities of the 2025 two-level government exist."""
    ministry = org_unit_upsert(
        code=MINISTRY_CODE,
        name="Bộ Khoa học và Công nghệ",
        kind=OrgUnit.Kind.MINISTRY,
        parent=None,
    )
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            org_unit_upsert(
                code=row["code"].strip(),
                name=row["name"].strip(),
                kind=row["kind"].strip(),
                parent=ministry,
                valid_from=date(2025, 7, 1),
            )
    return ministry


@transaction.atomic
def position_upsert(
    *, code: str, name: str, level: str, description: str = "", name_en: str = ""
) -> Position:
    position, _created = Position.objects.update_or_create(
        code=code,
        defaults={"name": name, "name_en": name_en, "level": level, "description": description},
    )
    return position


@transaction.atomic
def staff_record_upsert(
    *,
    personnel_number: str,
    full_name: str,
    org_unit: OrgUnit,
    position: Position,
    email: str = "",
    user=None,
    on: date | None = None,
) -> StaffRecord:
    """A record with this personnel number holds these values; a new record, or a change of
    unit or position, opens a history period from `on` (today by default)."""
    record, created = StaffRecord.objects.select_for_update().get_or_create(
        personnel_number=personnel_number,
        defaults={
            "full_name": full_name,
            "org_unit": org_unit,
            "position": position,
            "email": email,
            "user": user,
        },
    )
    moved = created or (record.org_unit_id, record.position_id) != (org_unit.pk, position.pk)
    if not created:
        record.full_name, record.org_unit, record.position = full_name, org_unit, position
        record.email, record.user = email, user
        record.save()
    if moved and record.active:
        history_moves_apply(
            moves=[Move(record.pk, org_unit.pk, position.pk)], on=on or timezone.localdate()
        )
    return record


@transaction.atomic
def staff_record_history_sync(
    *, staff: StaffRecord, before: tuple[int, int, bool] | None, on: date | None = None
) -> None:
    """A record created or changed by hand (admin form) keeps its history like an import:
    a new unit or position opens a period, leaving service closes the open one."""
    now = (staff.org_unit_id, staff.position_id, staff.active)
    if before == now or (before is None and not staff.active):
        return
    move = (
        Move(staff.pk, staff.org_unit_id, staff.position_id)
        if staff.active
        else Move(staff.pk, None, None)
    )
    history_moves_apply(moves=[move], on=on or timezone.localdate())


@transaction.atomic
def org_unit_merge(*, units: Iterable[OrgUnit], into: OrgUnit, on: date) -> OrgUnit:
    """Merged units close on `on` with `into` as their successor, and their staff in service
    move to `into` from that day, each move recorded in their history."""
    ids = sorted({unit.pk for unit in units})
    merged = list(OrgUnit.objects.select_for_update().filter(pk__in=ids))
    into = OrgUnit.objects.select_for_update().get(pk=into.pk)
    problems = []
    if not merged:
        problems.append(_("Choose at least one unit to merge."))
    if into.pk in ids:
        problems.append(_("A unit cannot be merged into itself."))
    if into.valid_to is not None and into.valid_to <= on:
        problems.append(_("%(unit)s is closed and cannot take over other units.") % {"unit": into})
    for unit in merged:
        if unit.valid_to is not None:
            problems.append(_("%(unit)s is already closed.") % {"unit": unit})
        elif unit.valid_from is not None and unit.valid_from > on:
            problems.append(
                _("%(unit)s only exists from %(date)s.")
                % {"unit": unit, "date": unit.valid_from.strftime("%d/%m/%Y")}
            )
        elif (
            OrgUnit.objects.filter(path__startswith=unit.path, depth__gt=unit.depth)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
            .exists()
        ):
            problems.append(
                _("%(unit)s still has open sub-units; merge or close them first.") % {"unit": unit}
            )
    if problems:
        raise ValidationError(problems)
    OrgUnit.objects.filter(pk__in=ids).update(valid_to=on, successor=into)
    movers = list(
        StaffRecord.objects.filter(org_unit_id__in=ids, active=True).values_list(
            "pk", "position_id"
        )
    )
    StaffRecord.objects.filter(pk__in=[pk for pk, _position in movers]).update(org_unit=into)
    history_moves_apply(moves=[Move(pk, into.pk, position) for pk, position in movers], on=on)
    return into


# --- imports -------------------------------------------------------------------------------------

# confirmed files up to this many rows are applied during the request; larger ones in Celery
IMPORT_SYNC_MAX_ROWS = 2000
# uploads up to this size are checked during the request (about 13,000 CSV or 25,000 XLSX
# rows, a few seconds); larger ones are checked in Celery so no request nears the web timeout
IMPORT_SYNC_PREVIEW_MAX_BYTES = 1024 * 1024


def import_file(
    *,
    kind: str,
    data: bytes,
    user=None,
    on: date | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportPlan:
    """A file is applied all-or-nothing: nothing is written when any row has an error, nor on a
    dry run. user=None imports as the system (management commands), without a scope limit."""
    plan = import_plan(kind=kind, data=data, user=user, on=on)
    if plan.ok and not dry_run:
        import_apply(plan=plan, progress=progress)
    return plan


def _plan_summary(plan: ImportPlan) -> dict:
    return {
        "counts": {**plan.counts, "notices": plan.notices},
        "errors": [error.as_dict() for error in plan.errors],
        "total_rows": plan.total_rows,
    }


def import_job_preview(*, kind: str, uploaded_file, user) -> ImportJob:
    """An uploaded file is stored privately and checked (in the background when large);
    nothing else is written until the person who uploaded it confirms."""
    original_name = Path(uploaded_file.name or "file").name[:255]
    job = ImportJob(kind=kind, original_name=original_name, uploaded_by=user)
    if uploaded_file.size > readers.MAX_FILE_BYTES:
        # never read (or keep) an oversized upload
        plan = ImportPlan(kind=kind)
        plan.add_error(None, "", readers.file_too_large_message())
        for name, value in _plan_summary(plan).items():
            setattr(job, name, value)
        job.save()
        return job
    data = uploaded_file.read()
    suffix = Path(original_name).suffix.lower()
    suffix = suffix if suffix in {".csv", ".txt", ".tsv", ".xlsx"} else ".bin"
    job.file.save(f"{uuid.uuid4().hex}{suffix}", ContentFile(data), save=False)
    if len(data) <= IMPORT_SYNC_PREVIEW_MAX_BYTES:
        plan = import_plan(kind=kind, data=data, user=user)
        for name, value in _plan_summary(plan).items():
            setattr(job, name, value)
        job.save()
        return job
    job.status = ImportJob.Status.CHECKING
    job.save()
    task_enqueue_on_commit("staff.tasks.import_job_check_task", job.pk)
    return job


def import_job_check(*, job_id: int) -> ImportJob:
    """A large upload is checked once, in the background, and then waits for its preview to be
    confirmed; checking writes nothing but the job's counts and errors."""
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if job.status != ImportJob.Status.CHECKING:
        return job
    with job.file.open("rb") as fh:
        data = fh.read()
    plan = import_plan(kind=job.kind, data=data, user=job.uploaded_by)
    ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CHECKING).update(
        status=ImportJob.Status.PREVIEWED, **_plan_summary(plan)
    )
    job.refresh_from_db()
    return job


def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """A previewed file without errors is applied once: at once when small, otherwise queued for
    a background worker; confirming twice changes nothing."""
    if job.counts.get("errors") or job.errors:
        raise ValidationError(_("A file with errors cannot be imported."))
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
        status=ImportJob.Status.QUEUED
    )
    if claimed and job.total_rows <= IMPORT_SYNC_MAX_ROWS:
        try:
            import_job_apply(job_id=job.pk)
        except Exception:  # logged; the job says it failed and nothing was written
            logger.exception("import job %s failed", job.pk)
            import_job_fail(job_id=job.pk)
    elif claimed:
        task_enqueue_on_commit("staff.tasks.import_job_apply_task", job.pk)
    job.refresh_from_db()
    return job


def import_job_apply(*, job_id: int) -> ImportJob:
    """A confirmed job is applied at most once, all-or-nothing, with the uploader's scope as it
    is now; a job already done (or failed) is left alone."""
    Status = ImportJob.Status
    claimed = ImportJob.objects.filter(
        pk=job_id, status__in=[Status.QUEUED, Status.RUNNING]
    ).update(status=Status.RUNNING, processed_rows=0)
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if not claimed:
        return job
    with job.file.open("rb") as fh:
        data = fh.read()
    plan = import_plan(kind=job.kind, data=data, user=job.uploaded_by)
    key = import_progress_key(job_id)
    cache.set(key, 0, 3600)
    try:
        with transaction.atomic():
            import_apply(plan=plan, progress=lambda done: cache.set(key, done, 3600))
            if plan.ok:
                # marked done in the same transaction as the data: both or neither
                finished = ImportJob.objects.filter(pk=job_id, status=Status.RUNNING).update(
                    status=Status.DONE,
                    processed_rows=plan.total_rows,
                    finished_at=timezone.now(),
                    **{name: v for name, v in _plan_summary(plan).items() if name != "total_rows"},
                )
                if not finished:  # another worker finished it meanwhile: keep theirs
                    raise _AlreadyDone
    except _AlreadyDone:
        pass
    except IntegrityError:
        # the database changed under the import (another import of the same people)
        job.refresh_from_db()
        if job.status != Status.DONE:
            plan.add_error(
                None, "", _("The data changed while the file was imported; nothing was written.")
            )
    if not plan.ok:
        ImportJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
            status=Status.FAILED, finished_at=timezone.now(), **_plan_summary(plan)
        )
    cache.delete(key)
    job.refresh_from_db()
    return job


class _AlreadyDone(Exception):
    pass


def import_job_fail(*, job_id: int) -> None:
    """A job that stopped on an unexpected error is marked failed; its transaction wrote
    nothing."""
    ImportJob.objects.filter(pk=job_id).exclude(status=ImportJob.Status.DONE).update(
        status=ImportJob.Status.FAILED,
        finished_at=timezone.now(),
        errors=[
            {
                "row": None,
                "column": "",
                "message": _(
                    "The import stopped on an unexpected error; nothing was written. Try again "
                    "or contact an administrator."
                ),
            }
        ],
    )


def hr_assignment_grant(*, user, org_unit: OrgUnit) -> HRAssignment:
    assignment, _created = HRAssignment.objects.get_or_create(user=user, org_unit=org_unit)
    return assignment
