"""What every importer returns: a plan (counts and errors) that is applied only when it has no
errors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# a file with 100,000 broken rows would otherwise give a 100,000-line error page; the total is
# still counted and shown
MAX_REPORTED_ERRORS = 1000

Progress = Callable[[int], None]


@dataclass(frozen=True)
class RowError:
    """One problem in the file. `row` is 1-based and counts the header as row 1; file-level
    problems (wrong type, empty, too large) have no row. `column` is the header as written in
    the file, or the field's label when the column is missing."""

    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row is not None else "file"
        if self.column:
            where = f"{where}, {self.column}"
        return f"{where}: {self.message}"


@dataclass
class ImportPlan:
    """The outcome of validating a whole file: what applying it would do, or why it cannot."""

    kind: str
    total_rows: int = 0
    create: int = 0
    update: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    # facts the person importing should know that are not errors (e.g. a legacy encoding)
    notices: list[str] = field(default_factory=list)
    applied: bool = False
    # importer-specific write operations, filled only when there are no errors
    operations: Any = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int | None, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(RowError(row=row, column=str(column), message=str(message)))

    @property
    def counts(self) -> dict[str, int]:
        return {
            "create": self.create,
            "update": self.update,
            "unchanged": self.unchanged,
            "errors": self.error_count,
        }
