"""Org-unit import: code, name, kind, parent code, valid from. Parents may come from the database
or from earlier, later or the same rows of the file; new units are inserted level by level with
their tree paths computed in Python (one bulk insert per level), so a national file of ~3,400
units takes a handful of queries."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..history import chunks, update_rows
from ..models import OrgUnit
from ..selectors import user_is_administrator
from .base import ImportPlan, Progress
from .readers import CellError, ColumnSpec, Formula, Table, cell_text, fold, map_columns, parse_date
from .staff import CodeMap

Kind = OrgUnit.Kind

COLUMNS = [
    ColumnSpec(
        "code",
        gettext_lazy("code"),
        ("Mã đơn vị", "code", "Mã", "unit code", "Mã số"),
        required=True,
    ),
    ColumnSpec(
        "name",
        gettext_lazy("name"),
        ("Tên đơn vị", "name", "Tên", "unit name"),
        required=True,
    ),
    ColumnSpec(
        "kind",
        gettext_lazy("type"),
        ("Loại đơn vị", "kind", "Loại", "Cấp", "type"),
        required=True,
    ),
    ColumnSpec(
        "parent_code",
        gettext_lazy("parent code"),
        (
            "Mã đơn vị cấp trên",
            "parent code",
            "Mã cấp trên",
            "Đơn vị cấp trên",
            "Mã đơn vị cha",
            "parent",
        ),
        required=True,
    ),
    ColumnSpec(
        "valid_from",
        gettext_lazy("valid from"),
        ("Hiệu lực từ", "valid from", "Ngày hiệu lực", "Từ ngày"),
    ),
]
LABELS = {spec.name: spec.label for spec in COLUMNS}

# Vietnamese and English names of the kinds, as HR writes them (compared folded)
KIND_NAMES = {
    Kind.MINISTRY: ("Bộ", "ministry"),
    Kind.PROVINCE: ("Tỉnh", "province"),
    Kind.CITY: (
        "Thành phố",
        "Thành phố trực thuộc trung ương",
        "TP",
        "city",
        "centrally governed city",
    ),
    Kind.COMMUNE: ("Xã", "commune"),
    Kind.WARD: ("Phường", "ward"),
    Kind.SPECIAL_ZONE: ("Đặc khu", "special zone", "special_zone"),
    Kind.DEPARTMENT: ("Sở", "Sở, ngành", "Cơ quan", "department", "department or agency", "agency"),
}
# which kinds a unit of each kind may sit under (the ministry is the root)
PARENT_KINDS = {
    Kind.MINISTRY: set(),
    Kind.PROVINCE: {Kind.MINISTRY},
    Kind.CITY: {Kind.MINISTRY},
    Kind.COMMUNE: {Kind.PROVINCE, Kind.CITY},
    Kind.WARD: {Kind.PROVINCE, Kind.CITY},
    Kind.SPECIAL_ZONE: {Kind.PROVINCE, Kind.CITY},
    Kind.DEPARTMENT: {Kind.MINISTRY, Kind.PROVINCE, Kind.CITY},
}
_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._/\-]{0,31}")


def _kind_lookup() -> dict[str, str]:
    lookup = {}
    for kind, names in KIND_NAMES.items():
        for name in (kind.value, str(kind.label), *names):
            lookup[fold(name)] = kind.value
    return lookup


@dataclass
class _Row:
    row: int
    code: str
    name: str
    kind: str
    parent_code: str
    valid_from: date | None
    ok: bool = True


@dataclass
class OrgUnitOperations:
    fields: list[str]
    updates: list[OrgUnit] = field(default_factory=list)
    # new units by depth below their existing ancestor: level 0 hangs off a unit in the
    # database, level 1 off a unit of level 0, ...
    levels: list[list[_Row]] = field(default_factory=list)
    roots: list[_Row] = field(default_factory=list)


def org_units_import_plan(*, table: Table, user=None, on: date | None = None) -> ImportPlan:
    """Validate every row; only administrators (or the system, user=None) import org units, and
    a unit never changes parent through an import (that is a merger)."""
    on = on or timezone.localdate()
    plan = ImportPlan(kind="org_units", notices=list(table.notices))
    if user is not None and not user_is_administrator(user=user):
        plan.add_error(None, "", _("Only administrators may import org units."))
        return plan
    columns = map_columns(table, COLUMNS, plan)
    if columns is None or not plan.ok:
        plan.total_rows = len(columns.rows) if columns else 0
        return plan
    plan.total_rows = len(columns.rows)
    kinds = _kind_lookup()

    db = list(
        OrgUnit.objects.values("id", "code", "name", "kind", "valid_from", "valid_to", "path")
    )
    by_path = {u["path"]: u for u in db}
    db_units = CodeMap((u["code"], u) for u in db)
    step = OrgUnit.steplen

    rows: list[_Row] = []
    file_units: dict[str, _Row] = {}
    for row, cells in columns.rows:
        parsed = _Row(row=row, code="", name="", kind="", parent_code="", valid_from=None)

        def error(name: str, message: str, parsed=parsed) -> None:
            parsed.ok = False
            plan.add_error(parsed.row, columns.header.get(name) or str(LABELS[name]), message)

        def text(name: str, max_length: int, required: bool = True, cells=cells) -> str | None:
            """The cell's text; None (with the error recorded) when it is unusable."""
            value = columns.get(cells, name)
            if isinstance(value, Formula):
                error(name, _("Formulas are not allowed here; type the value itself."))
                return None
            if isinstance(value, date):  # datetime too
                error(name, _("A date is not allowed here."))
                return None
            if isinstance(value, bool):
                error(name, _("A yes/no value is not allowed here."))
                return None
            value = cell_text(value)
            if required and not value:
                error(name, _("This value is required."))
                return None
            if len(value) > max_length:
                error(name, _("The value is longer than %(max)s characters.") % {"max": max_length})
                return None
            return value

        code = text("code", 32)
        name = text("name", 255)
        kind_text = text("kind", 64)
        parent_code = text("parent_code", 32, required=False)
        parsed.code, parsed.name, parsed.parent_code = code or "", name or "", parent_code or ""
        if code is None:
            pass
        elif not _CODE.fullmatch(parsed.code):
            error(
                "code",
                _("Code “%(code)s” may only contain letters, digits and . _ / -")
                % {"code": parsed.code},
            )
        elif parsed.code.casefold() in file_units:
            error(
                "code",
                _("Code %(code)s also appears on row %(row)s.")
                % {"code": parsed.code, "row": file_units[parsed.code.casefold()].row},
            )
        else:
            file_units[parsed.code.casefold()] = parsed
        if kind_text is None:
            pass
        elif fold(kind_text) not in kinds:
            error(
                "kind",
                _("Unknown unit type “%(value)s”. Use one of: %(kinds)s.")
                % {
                    "value": kind_text,
                    "kinds": ", ".join(names[0] for names in KIND_NAMES.values()),
                },
            )
        else:
            parsed.kind = kinds[fold(kind_text)]
        if parsed.kind == Kind.MINISTRY and parsed.parent_code:
            error("parent_code", _("A ministry is the top of the tree and has no parent unit."))
        elif parsed.kind and parsed.kind != Kind.MINISTRY and parent_code == "":
            error("parent_code", _("This value is required."))
        if "valid_from" in columns:
            value = columns.get(cells, "valid_from")
            if isinstance(value, Formula):
                error("valid_from", _("Formulas are not allowed here; type the value itself."))
            else:
                try:
                    parsed.valid_from = parse_date(value)
                except CellError as exc:
                    error("valid_from", str(exc))
        rows.append(parsed)

    def kind_of(code: str) -> str | None:
        in_file = file_units.get(code.casefold())
        if in_file is not None:
            return in_file.kind or None
        unit = db_units.get(code)
        return unit["kind"] if unit else None

    present = [n for n in ("name", "kind", "valid_from") if n in columns]
    ops = OrgUnitOperations(fields=present)
    depth_of: dict[str, int] = {}

    def level(parsed: _Row, seen: frozenset = frozenset()) -> int | None:
        """0 for a new unit whose parent exists (or is a new ministry, created first), n + 1
        under a new unit of level n; None when the parents loop or are invalid."""
        key = parsed.code.casefold()
        if key not in depth_of:
            parent = file_units.get(parsed.parent_code.casefold())
            if db_units.get(parsed.parent_code) is not None:
                depth_of[key] = 0
            elif parent is None or key in seen or not parent.ok:
                depth_of[key] = None
            elif parent.kind == Kind.MINISTRY:
                depth_of[key] = 0
            else:
                parent_level = level(parent, seen | {key})
                depth_of[key] = None if parent_level is None else parent_level + 1
        return depth_of[key]

    new_rows: list[_Row] = []
    for parsed in rows:
        if not parsed.ok:
            continue
        current = db_units.get(parsed.code)
        if parsed.parent_code:
            parent_kind = kind_of(parsed.parent_code)
            parent_db = db_units.get(parsed.parent_code)
            parent_row = file_units.get(parsed.parent_code.casefold())
            if parent_db is None and parent_row is not None and not parent_row.ok:
                parsed.ok = False  # the parent's own row carries the error
                continue
            if parent_kind is None:
                plan.add_error(
                    parsed.row,
                    columns.header["parent_code"],
                    _("Unknown parent unit code %(code)s.") % {"code": parsed.parent_code},
                )
                parsed.ok = False
                continue
            if parent_db and parent_db["valid_to"] and parent_db["valid_to"] <= on:
                plan.add_error(
                    parsed.row,
                    columns.header["parent_code"],
                    _("Parent unit %(code)s was closed on %(date)s.")
                    % {
                        "code": parent_db["code"],
                        "date": parent_db["valid_to"].strftime("%d/%m/%Y"),
                    },
                )
                parsed.ok = False
                continue
            # from here on the parent is named by its canonical code
            parsed.parent_code = (
                parent_db["code"] if parent_db else file_units[parsed.parent_code.casefold()].code
            )
            if parent_kind not in PARENT_KINDS[parsed.kind]:
                plan.add_error(
                    parsed.row,
                    columns.header["kind"],
                    _("A unit of type %(kind)s cannot be placed under a unit of type %(parent)s.")
                    % {"kind": Kind(parsed.kind).label, "parent": Kind(parent_kind).label},
                )
                parsed.ok = False
                continue
        if current is not None:
            parent_path = current["path"][:-step]
            current_parent = by_path.get(parent_path)
            current_parent_code = current_parent["code"] if current_parent else ""
            if current_parent_code.casefold() != parsed.parent_code.casefold():
                plan.add_error(
                    parsed.row,
                    columns.header["parent_code"],
                    _(
                        "Unit %(code)s already belongs to %(parent)s; an import does not move "
                        "units (merge them instead)."
                    )
                    % {"code": current["code"], "parent": current_parent_code or "-"},
                )
                parsed.ok = False
                continue
            values = {"name": parsed.name, "kind": parsed.kind, "valid_from": parsed.valid_from}
            wanted = {n: values[n] for n in present}
            if all(current[n] == v for n, v in wanted.items()):
                plan.unchanged += 1
            else:
                plan.update += 1
                ops.updates.append(OrgUnit(id=current["id"], **wanted))
            continue
        plan.create += 1
        new_rows.append(parsed)

    for parsed in new_rows:
        if parsed.kind == Kind.MINISTRY:
            ops.roots.append(parsed)
            continue
        depth = level(parsed)
        if depth is None:
            parent = file_units.get(parsed.parent_code.casefold())
            if parent is not None and not parent.ok:
                continue  # the parent's own row already carries the error
            plan.add_error(
                parsed.row,
                columns.header["parent_code"],
                _("The parent units of %(code)s refer to each other in a loop.")
                % {"code": parsed.code},
            )
            continue
        while len(ops.levels) <= depth:
            ops.levels.append([])
        ops.levels[depth].append(parsed)
    if plan.ok:
        plan.operations = ops
    return plan


def org_units_import_apply(*, plan: ImportPlan, progress: Progress | None = None) -> ImportPlan:
    """Write a validated plan in one transaction; a plan with any error writes nothing."""
    if not plan.ok or plan.operations is None or plan.applied:
        return plan
    ops: OrgUnitOperations = plan.operations
    done = 0
    with transaction.atomic():
        if ops.updates:
            update_rows(OrgUnit, ops.updates, ops.fields)
            done += len(ops.updates)
        for parsed in ops.roots:
            OrgUnit.add_root(**_fields(parsed))
            done += 1
        # a ministry created just now may be the parent of level 0
        for level_rows in ops.levels:
            _insert_level(level_rows)
            done += len(level_rows)
            if progress:
                progress(done)
    plan.applied = True
    return plan


def _fields(parsed: _Row) -> dict:
    return {
        "code": parsed.code,
        "name": parsed.name,
        "kind": parsed.kind,
        "valid_from": parsed.valid_from,
    }


def _insert_level(level_rows: list[_Row]) -> None:
    """Insert the new children of each parent. When they all sort after the parent's existing
    children (always true for a new parent), their paths are computed and inserted in bulk;
    otherwise treebeard's sorted insertion shifts the siblings one unit at a time."""
    by_parent: dict[str, list[_Row]] = defaultdict(list)
    for parsed in level_rows:
        by_parent[parsed.parent_code.casefold()].append(parsed)
    parents = {}
    for batch in chunks(list({r.parent_code for r in level_rows}), 500):
        for unit in OrgUnit.objects.filter(code__in=batch):
            parents[unit.code.casefold()] = unit
    new_units = []
    for key, children in by_parent.items():
        parent = parents[key]
        children.sort(key=lambda r: r.code)
        last = parent.get_last_child() if parent.numchild else None
        if last is not None and last.code >= children[0].code:
            for parsed in children:
                OrgUnit.objects.get(pk=parent.pk).add_child(**_fields(parsed))
            continue
        position = last._get_lastpos_in_path() if last else 0
        for parsed in children:
            position += 1
            new_units.append(
                OrgUnit(
                    **_fields(parsed),
                    depth=parent.depth + 1,
                    numchild=0,
                    path=OrgUnit._get_path(parent.path, parent.depth + 1, position),
                )
            )
        OrgUnit.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(children))
    OrgUnit.objects.bulk_create(new_units, batch_size=1000)
