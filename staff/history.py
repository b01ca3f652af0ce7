"""Bulk writes of position/unit history periods, shared by the services and the importer.

A period covers [started_on, ended_on): the end date is the day the next period starts, so
"who belonged where on day D" is `started_on <= D AND (ended_on IS NULL OR ended_on > D)`.
Periods cover time in service only: leaving service closes the open period, returning opens one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction

from .models import StaffHistory
from .signals import staff_moved

BATCH_SIZE = 2000


def chunks(items: Sequence, size: int = BATCH_SIZE) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def update_rows(model, objects: Sequence, fields: list[str]) -> None:
    """UPDATE … WHERE pk = %s once per object, as one prepared statement run many times.

    Django's bulk_update builds a CASE over the whole batch for every field, which SQLite
    evaluates row by row (quadratic per batch); a prepared statement executed many times is
    linear on SQLite and pipelined by psycopg on PostgreSQL."""
    if not objects:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    # identifiers come from the model's metadata (quoted), values are parameters
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608
        quote(meta.db_table),
        ", ".join(f"{quote(field.column)} = %s" for field in columns),
        quote(meta.pk.column),
    )
    params = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


@dataclass(frozen=True)
class OpenPeriod:
    id: int
    staff_id: int
    org_unit_id: int
    position_id: int
    started_on: date


@dataclass(frozen=True)
class Move:
    """From `on`, the staff member holds this position in this unit; (None, None) means they
    leave service and the open period is closed."""

    staff_id: int
    org_unit_id: int | None
    position_id: int | None


def open_periods_of(staff_ids: Iterable[int]) -> dict[int, OpenPeriod]:
    ids = list(staff_ids)
    periods = {}
    for batch in chunks(ids):
        for row in StaffHistory.objects.filter(staff_id__in=batch, ended_on__isnull=True).values(
            "id", "staff_id", "org_unit_id", "position_id", "started_on"
        ):
            periods[row["staff_id"]] = OpenPeriod(**row)
    return periods


def history_moves_apply(
    *, moves: Iterable[Move], on: date, open_periods: dict[int, OpenPeriod] | None = None
) -> None:
    """Close each mover's open period on `on` and open the new one. A period that began on `on`
    itself is re-pointed (or dropped when the person leaves): history is kept per day."""
    moves = list(moves)
    if open_periods is None:
        open_periods = open_periods_of(m.staff_id for m in moves)
    close, drop, repoint, create = [], [], [], []
    for move in moves:
        period = open_periods.get(move.staff_id)
        if period is not None and period.started_on >= on:
            if move.org_unit_id is None:
                drop.append(period.id)
            else:
                repoint.append(
                    StaffHistory(
                        id=period.id, org_unit_id=move.org_unit_id, position_id=move.position_id
                    )
                )
            continue
        if period is not None:
            close.append(period.id)
        if move.org_unit_id is not None:
            create.append(
                StaffHistory(
                    staff_id=move.staff_id,
                    org_unit_id=move.org_unit_id,
                    position_id=move.position_id,
                    started_on=on,
                )
            )
    # closing first: one open period per staff member is a database constraint
    for batch in chunks(close):
        StaffHistory.objects.filter(id__in=batch).update(ended_on=on)
    for batch in chunks(drop):
        StaffHistory.objects.filter(id__in=batch).delete()
    update_rows(StaffHistory, repoint, ["org_unit", "position"])
    StaffHistory.objects.bulk_create(create, batch_size=BATCH_SIZE)
    # leaving service is a move too: what reports count of a unit changes
    moved = [m.staff_id for m in moves]
    if moved:
        transaction.on_commit(lambda: staff_moved.send(sender=StaffHistory, staff_ids=moved))
