"""Staff-record import: every row is checked first; the file is written only when no row has an
error, in one transaction, with bulk queries (no query per row)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..history import (
    BATCH_SIZE,
    Move,
    chunks,
    history_moves_apply,
    open_periods_of,
    update_rows,
)
from ..models import OrgUnit, Position, StaffRecord
from ..selectors import org_unit_list_in_scope, user_is_administrator
from .base import ImportPlan, Progress
from .readers import (
    CellError,
    ColumnSpec,
    Formula,
    Table,
    cell_text,
    map_columns,
    parse_bool,
    parse_date,
)

COLUMNS = [
    ColumnSpec(
        "personnel_number",
        gettext_lazy("personnel number"),
        (
            "Số hiệu cán bộ",
            "Mã cán bộ",
            "personnel number",
            "Mã số cán bộ",
            "Số hiệu công chức",
            "Mã nhân viên",
            "Số hiệu",
            "employee number",
            "personnel no",
        ),
        required=True,
    ),
    ColumnSpec(
        "full_name",
        gettext_lazy("full name"),
        ("Họ và tên", "full name", "Họ tên", "name"),
        required=True,
    ),
    ColumnSpec(
        "date_of_birth",
        gettext_lazy("date of birth"),
        ("Ngày sinh", "date of birth", "Ngày tháng năm sinh", "birth date", "dob"),
    ),
    ColumnSpec(
        "unit_code",
        gettext_lazy("unit code"),
        ("Mã đơn vị", "unit code", "Mã đơn vị công tác", "org unit code", "org unit"),
        required=True,
    ),
    ColumnSpec(
        "position_code",
        gettext_lazy("position code"),
        ("Mã vị trí", "position code", "Mã vị trí việc làm", "Mã chức danh", "position"),
        required=True,
    ),
    ColumnSpec("email", gettext_lazy("email"), ("Email", "Thư điện tử", "e-mail", "Địa chỉ email")),
    ColumnSpec(
        "phone",
        gettext_lazy("phone"),
        ("Điện thoại", "phone", "Số điện thoại", "SĐT", "telephone", "phone number"),
    ),
    ColumnSpec(
        "active",
        gettext_lazy("active"),
        ("Đang công tác", "active", "Còn công tác", "in service"),
    ),
]
LABELS = {spec.name: spec.label for spec in COLUMNS}
# file column → model field, for the optional columns: absent columns leave the field alone
MODEL_FIELDS = {
    "full_name": "full_name",
    "date_of_birth": "date_of_birth",
    "unit_code": "org_unit_id",
    "position_code": "position_id",
    "email": "email",
    "phone": "phone",
    "active": "active",
}
_PHONE = re.compile(r"[0-9+().\-/ ]{1,32}")
_validate_email = EmailValidator()
# personnel numbers are looked up in batches of this size (bound parameters per query)
LOOKUP_BATCH = 2000


@dataclass
class StaffOperations:
    on: date
    fields: list[str]
    creates: list[StaffRecord] = field(default_factory=list)
    updates: list[StaffRecord] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    # StaffRecord instances in `creates` that start an open period (their pk exists after insert)
    openings: list[StaffRecord] = field(default_factory=list)
    open_periods: dict = field(default_factory=dict)


@dataclass
class _Unit:
    id: int
    code: str
    valid_to: date | None
    successor_code: str | None


class CodeMap:
    """code → value; an exact code wins, else the same code in another case ("01-bd")."""

    def __init__(self, pairs):
        self.exact = dict(pairs)
        self.folded = {}
        for code, value in self.exact.items():
            self.folded.setdefault(code.casefold(), value)

    def get(self, code: str):
        found = self.exact.get(code)
        return found if found is not None else self.folded.get(code.casefold())


def _usable_as_text(value) -> bool:
    """Whether a cell can hold a text field (the rule of `text()` in the planner)."""
    return value is not None and not isinstance(value, Formula | date | bool)


def staff_import_plan(*, table: Table, user=None, on: date | None = None) -> ImportPlan:
    """Validate every row; a row may only create or change staff in units the importing user
    manages (user=None: the system, e.g. a management command, without a scope limit)."""
    on = on or timezone.localdate()
    plan = ImportPlan(kind="staff", notices=list(table.notices))
    columns = map_columns(table, COLUMNS, plan)
    if columns is None or not plan.ok:
        plan.total_rows = len(columns.rows) if columns else 0
        return plan
    plan.total_rows = len(columns.rows)

    units = CodeMap(
        (c, _Unit(id=i, code=c, valid_to=vt, successor_code=sc))
        for i, c, vt, sc in OrgUnit.objects.values_list("id", "code", "valid_to", "successor__code")
    )
    positions = CodeMap(Position.objects.values_list("code", "id"))
    allowed_units = (
        None
        if user is None or user_is_administrator(user=user)
        else set(org_unit_list_in_scope(user=user).values_list("id", flat=True))
    )

    numbers = []
    for _row, cells in columns.rows:
        value = columns.get(cells, "personnel_number")
        if _usable_as_text(value):
            numbers.append(cell_text(value))
    existing: dict[str, dict] = {}
    for batch in chunks(list(dict.fromkeys(numbers)), LOOKUP_BATCH):
        for record in StaffRecord.objects.filter(personnel_number__in=batch).values(
            "id",
            "personnel_number",
            "full_name",
            "date_of_birth",
            "org_unit_id",
            "position_id",
            "email",
            "phone",
            "active",
        ):
            existing[record["personnel_number"]] = record

    present = [name for name in MODEL_FIELDS if name in columns]
    ops = StaffOperations(on=on, fields=[MODEL_FIELDS[name] for name in present])
    first_row_of: dict[str, int] = {}
    mover_rows: dict[int, int] = {}  # staff id → row, to report a change dated too early

    for row, cells in columns.rows:
        row_ok = True

        def error(name: str, message: str, row=row) -> None:
            nonlocal row_ok
            row_ok = False
            plan.add_error(row, columns.header.get(name) or str(LABELS[name]), message)

        def text(name: str, *, max_length: int, required: bool = False, cells=cells) -> str:
            value = columns.get(cells, name)
            if isinstance(value, Formula):
                error(name, _("Formulas are not allowed here; type the value itself."))
                return ""
            if isinstance(value, date):  # datetime too
                error(name, _("A date is not allowed here."))
                return ""
            if isinstance(value, bool):
                error(name, _("A yes/no value is not allowed here."))
                return ""
            value = cell_text(value)
            if required and not value:
                error(name, _("This value is required."))
            elif len(value) > max_length:
                error(
                    name,
                    _("The value is longer than %(max)s characters.") % {"max": max_length},
                )
            return value

        number = text("personnel_number", max_length=32, required=True)
        full_name = text("full_name", max_length=255, required=True)
        unit_code = text("unit_code", max_length=32, required=True)
        position_code = text("position_code", max_length=32, required=True)
        email = text("email", max_length=254)
        phone = text("phone", max_length=32)

        if number:
            if number in first_row_of:
                error(
                    "personnel_number",
                    _("Personnel number %(number)s also appears on row %(row)s.")
                    % {"number": number, "row": first_row_of[number]},
                )
            else:
                first_row_of[number] = row

        birth = None
        if "date_of_birth" in columns:
            value = columns.get(cells, "date_of_birth")
            if isinstance(value, Formula):
                error("date_of_birth", _("Formulas are not allowed here; type the value itself."))
            else:
                try:
                    birth = parse_date(value)
                except CellError as exc:
                    error("date_of_birth", str(exc))
                else:
                    if birth is not None and not date(1900, 1, 1) <= birth <= on:
                        error(
                            "date_of_birth",
                            _("Date of birth %(value)s is not plausible.")
                            % {"value": birth.strftime("%d/%m/%Y")},
                        )

        if email:
            try:
                _validate_email(email)
            except ValidationError:
                error("email", _("“%(value)s” is not a valid email address.") % {"value": email})
        if phone and not _PHONE.fullmatch(phone):
            error(
                "phone",
                _("“%(value)s” is not a phone number (digits, spaces, + ( ) - . only).")
                % {"value": phone},
            )

        active = True
        if "active" in columns:
            value = columns.get(cells, "active")
            if isinstance(value, Formula):
                error("active", _("Formulas are not allowed here; type the value itself."))
            else:
                try:
                    active = parse_bool(value, default=True)
                except CellError as exc:
                    error("active", str(exc))

        unit = units.get(unit_code) if unit_code else None
        if unit_code and unit is None:
            error("unit_code", _("Unknown unit code %(code)s.") % {"code": unit_code})
        elif unit is not None:
            if unit.valid_to is not None and unit.valid_to <= on:
                message = _("Unit %(code)s was closed on %(date)s.") % {
                    "code": unit.code,
                    "date": unit.valid_to.strftime("%d/%m/%Y"),
                }
                if unit.successor_code:
                    message += " " + _("Its successor is %(code)s.") % {"code": unit.successor_code}
                error("unit_code", message)
            elif allowed_units is not None and unit.id not in allowed_units:
                error(
                    "unit_code",
                    _("Unit %(code)s is not among the units you manage.") % {"code": unit.code},
                )
        position = positions.get(position_code) if position_code else None
        if position_code and position is None:
            error("position_code", _("Unknown position code %(code)s.") % {"code": position_code})

        record = existing.get(number) if number else None
        if (
            record is not None
            and allowed_units is not None
            and record["org_unit_id"] not in allowed_units
        ):
            error(
                "personnel_number",
                _("Personnel number %(number)s belongs to a unit you do not manage.")
                % {"number": number},
            )
        if not row_ok:
            continue

        values = {
            "full_name": full_name,
            "date_of_birth": birth,
            "org_unit_id": unit.id,
            "position_id": position,
            "email": email,
            "phone": phone,
            "active": active,
        }
        if record is None:
            plan.create += 1
            # required columns are always present; absent optional ones keep the model default
            instance = StaffRecord(personnel_number=number, **{f: values[f] for f in ops.fields})
            ops.creates.append(instance)
            if instance.active:
                ops.openings.append(instance)
            continue
        wanted = {f: values[f] for f in ops.fields}
        if all(record[f] == v for f, v in wanted.items()):
            plan.unchanged += 1
            continue
        plan.update += 1
        ops.updates.append(StaffRecord(id=record["id"], personnel_number=number, **wanted))
        was_active, now_active = record["active"], wanted.get("active", record["active"])
        moved = (wanted["org_unit_id"], wanted["position_id"]) != (
            record["org_unit_id"],
            record["position_id"],
        )
        if now_active and (moved or not was_active):
            ops.moves.append(Move(record["id"], wanted["org_unit_id"], wanted["position_id"]))
            mover_rows[record["id"]] = row
        elif was_active and not now_active:
            ops.moves.append(Move(record["id"], None, None))
            mover_rows[record["id"]] = row

    if mover_rows:
        ops.open_periods = open_periods_of(mover_rows)
        for staff_id, period in ops.open_periods.items():
            if period.started_on > on:
                plan.add_error(
                    mover_rows[staff_id],
                    columns.header.get("unit_code") or str(LABELS["unit_code"]),
                    _(
                        "The current assignment only begins on %(start)s; a change dated "
                        "%(on)s cannot precede it."
                    )
                    % {
                        "start": period.started_on.strftime("%d/%m/%Y"),
                        "on": on.strftime("%d/%m/%Y"),
                    },
                )
    if plan.ok:
        plan.operations = ops
    return plan


def staff_import_apply(*, plan: ImportPlan, progress: Progress | None = None) -> ImportPlan:
    """Write a validated plan in one transaction; a plan with any error writes nothing."""
    if not plan.ok or plan.operations is None or plan.applied:
        return plan
    ops: StaffOperations = plan.operations
    done = 0
    with transaction.atomic():
        for batch in chunks(ops.creates, BATCH_SIZE):
            StaffRecord.objects.bulk_create(batch)
            done += len(batch)
            if progress:
                progress(done)
        missing = [r for r in ops.openings if r.pk is None]
        if missing:  # databases that cannot return ids from a bulk insert
            ids = {}
            for batch in chunks([r.personnel_number for r in missing], LOOKUP_BATCH):
                ids.update(
                    StaffRecord.objects.filter(personnel_number__in=batch).values_list(
                        "personnel_number", "id"
                    )
                )
            for record in missing:
                record.pk = record.id = ids[record.personnel_number]
        fields = [f.removesuffix("_id") for f in ops.fields]
        for batch in chunks(ops.updates, BATCH_SIZE):
            update_rows(StaffRecord, batch, fields)
            done += len(batch)
            if progress:
                progress(done)
        openings = [Move(r.pk, r.org_unit_id, r.position_id) for r in ops.openings]
        history_moves_apply(moves=ops.moves + openings, on=ops.on, open_periods=ops.open_periods)
    plan.applied = True
    return plan
