"""Keeping the stored standings current: a refresh rewrites the rows of the staff it is given,
from the same rule the officer's own page applies (competencies.selectors)."""

from django.db import connection, transaction

from competencies.selectors import Status, requirement_statuses_for_staff
from staff.models import StaffRecord

from .models import Standing

# a refresh holds one chunk of staff in memory and in one transaction
CHUNK = 2000
# what a refresh writes per row, in this order
COLUMNS = (
    "staff_id",
    "requirement_id",
    "unit_path",
    "org_unit_id",
    "position_id",
    "competency_id",
    "domain_id",
    "min_rank",
    "level_rank",
    "sufficient_until",
)


@transaction.atomic
def standings_refresh(*, staff_ids: list[int]) -> int:
    """Rewrite the standings of these staff (an inactive or deleted one keeps none); the number
    of rows written. A constant number of queries per call, whatever the number of staff."""
    staff_ids = sorted(set(staff_ids))
    Standing.objects.filter(staff_id__in=staff_ids).delete()
    active = StaffRecord.objects.filter(pk__in=staff_ids, active=True)
    units = {
        pk: (path, unit_id)
        for pk, path, unit_id in active.values_list("pk", "org_unit__path", "org_unit_id")
    }
    statuses = requirement_statuses_for_staff(staff=active.select_related(None))
    rows = []
    # what a row copies from its requirement, read once per requirement (a few dozen), not
    # through the related objects for each of the chunk's 20,000 rows
    copied: dict[int, tuple] = {}
    for staff_id, staff_statuses in statuses.items():
        path, unit_id = units[staff_id]
        for status in staff_statuses:
            requirement = status.requirement
            fields = copied.get(requirement.pk)
            if fields is None:
                fields = copied[requirement.pk] = (
                    requirement.position_id,
                    requirement.competency_id,
                    requirement.competency.domain_id,
                    requirement.min_level.rank,
                )
            position_id, competency_id, domain_id, min_rank = fields
            rows.append(
                (
                    staff_id,
                    requirement.pk,
                    path,
                    unit_id,
                    position_id,
                    competency_id,
                    domain_id,
                    min_rank,
                    status.level.rank if status.level else None,
                    None if status.status == Status.GAP else status.valid_until,
                )
            )
    _standings_write(rows)
    return len(rows)


def _standings_write(rows: list[tuple]) -> None:
    """Insert rows of COLUMNS. On PostgreSQL with COPY: a chunk of 20,000 rows goes in about a
    third of the time `bulk_create` takes, which spends most of it building model instances and
    the SQL (a framework publication rewrites every standing of the nation); elsewhere (the
    embedded mode's SQLite) with the ORM."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Standing._meta.db_table)
        sql = f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN"
        # psycopg 3's COPY, on the connection (and so in the transaction) of the ORM
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    Standing.objects.bulk_create(
        [Standing(**dict(zip(COLUMNS, row, strict=True))) for row in rows], batch_size=1000
    )


def standings_rebuild() -> int:
    """Every active staff member's standings, in chunks (after a restore, or to check)."""
    total = 0
    Standing.objects.exclude(staff__active=True).delete()
    ids = list(StaffRecord.objects.filter(active=True).order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        total += standings_refresh(staff_ids=ids[start : start + CHUNK])
    return total
