"""Staff and org-unit import: read a CSV/XLSX file, validate every row into an ImportPlan, and
apply it all-or-nothing. `import_plan` never raises on a bad file: every problem becomes an
error of the plan, with its row and column."""

from __future__ import annotations

from datetime import date

from .base import MAX_REPORTED_ERRORS, ImportPlan, Progress, RowError
from .org_units import org_units_import_apply, org_units_import_plan
from .readers import ImportFileError, read_table
from .staff import staff_import_apply, staff_import_plan

__all__ = [
    "MAX_REPORTED_ERRORS",
    "ImportPlan",
    "RowError",
    "import_apply",
    "import_plan",
]

_IMPORTERS = {
    "staff": (staff_import_plan, staff_import_apply),
    "org_units": (org_units_import_plan, org_units_import_apply),
}


def import_plan(*, kind: str, data: bytes, user=None, on: date | None = None) -> ImportPlan:
    """What importing these bytes would do; user=None imports without a scope limit."""
    planner, _apply = _IMPORTERS[kind]
    try:
        table = read_table(data)
    except ImportFileError as exc:
        plan = ImportPlan(kind=kind)
        plan.add_error(exc.row, exc.column, exc.message)
        return plan
    return planner(table=table, user=user, on=on)


def import_apply(*, plan: ImportPlan, progress: Progress | None = None) -> ImportPlan:
    """Write the plan in one transaction when it has no error; otherwise write nothing."""
    _planner, apply = _IMPORTERS[plan.kind]
    return apply(plan=plan, progress=progress)
