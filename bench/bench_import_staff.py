"""Staff import throughput: N staff rows over ~3,300 communes of 34 provinces and 4 positions.

Run: .venv/bin/python bench/bench_import_staff.py [N] [--xlsx]

Uses its own SQLite database (BENCH_DATABASE_URL, default sqlite:////tmp/bench-import.sqlite3),
recreated on every run, so the project's database is never touched. Times, each as read + validate
+ apply (one transaction):
  1. the org-unit tree imported from CSV (ministry, 34 provinces, ~3,300 communes),
  2. N new staff records from a UTF-8 CSV (creates, with their history periods),
  3. the same file again (every row unchanged: nothing written),
  4. a file where 10% of the people changed unit and 10% changed name (updates + history).
With --xlsx, also the time to read the N rows from an XLSX workbook."""

import io
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.base"
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "sqlite:////tmp/bench-import.sqlite3"
)
os.environ["CACHE_URL"] = "locmemcache://"
os.environ.setdefault("DJANGO_DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from staff.importing import import_apply, import_plan  # noqa: E402
from staff.importing.readers import read_table  # noqa: E402
from staff.models import OrgUnit, Position, StaffHistory, StaffRecord  # noqa: E402
from staff.services import position_upsert  # noqa: E402

PROVINCES = 34
COMMUNES_PER_PROVINCE = 98  # 3,332 communes, wards and special zones
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Thị", "Văn", "Hữu", "Minh", "Thu", "Ngọc", "Quốc", "Thanh", "Đức", "Hồng"]
GIVEN = ["Hương", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Ơn"]
POSITIONS = ["XA-KHCN", "XA-VHXH", "XA-DCXD", "XA-VPTK"]


def csv_of(rows) -> bytes:
    return ("\ufeff" + "\r\n".join(",".join(row) for row in rows) + "\r\n").encode("utf-8")


def fresh_database() -> None:
    name = Path(settings.DATABASES["default"]["NAME"])
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
    call_command("migrate", verbosity=0)


def org_units_file() -> tuple[bytes, list[str]]:
    rows = [["Mã đơn vị", "Tên đơn vị", "Loại", "Mã đơn vị cấp trên", "Hiệu lực từ"]]
    rows.append(["BKHCN", "Bộ Khoa học và Công nghệ", "Bộ", "", ""])
    communes = []
    kinds = ["Xã", "Phường", "Xã", "Xã", "Đặc khu"]
    for p in range(1, PROVINCES + 1):
        province = f"{p:02d}"
        rows.append([province, f"Tỉnh {p}", "Tỉnh", "BKHCN", "01/07/2025"])
        for c in range(1, COMMUNES_PER_PROVINCE + 1):
            code = f"{province}-{c:03d}"
            communes.append(code)
            rows.append([code, f"Xã số {c} tỉnh {p}", kinds[c % 5], province, "01/07/2025"])
    return csv_of(rows), communes


def staff_rows(n: int, communes: list[str], rng: random.Random) -> list[list[str]]:
    header = ["Số hiệu cán bộ", "Họ và tên", "Ngày sinh", "Mã đơn vị", "Mã vị trí", "Email"]
    rows = [header]
    for i in range(n):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        born = f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1965, 2000)}"
        rows.append(
            [
                f"CB{i:07d}",
                name,
                born,
                rng.choice(communes),
                rng.choice(POSITIONS),
                f"cb{i:07d}@xa.gov.vn",
            ]
        )
    return rows


def timed(label: str, data: bytes, n: int, on: date) -> None:
    started = time.perf_counter()
    plan = import_plan(kind="staff" if "staff" in label else "org_units", data=data, on=on)
    planned = time.perf_counter()
    assert plan.ok, plan.errors[:5]
    import_apply(plan=plan)
    done = time.perf_counter()
    total = done - started
    print(
        f"{label:<34} rows {n:>7,}  read+validate {planned - started:6.2f} s  "
        f"apply {done - planned:6.2f} s  total {total:6.2f} s  {n / total:9,.0f} rows/s  "
        f"(create {plan.create:,}, update {plan.update:,}, unchanged {plan.unchanged:,})"
    )


def main(n: int, with_xlsx: bool) -> None:
    rng = random.Random(20251123)
    fresh_database()
    print(f"database: {settings.DATABASES['default']['NAME']}")

    units, communes = org_units_file()
    day = date(2026, 1, 5)
    timed("org units (tree)", units, len(communes) + PROVINCES + 1, day)
    for code in POSITIONS:
        position_upsert(code=code, name=f"Vị trí {code}", level=Position.Level.COMMUNE)

    rows = staff_rows(n, communes, rng)
    data = csv_of(rows)
    print(f"staff file: {len(data) / 1e6:.1f} MB CSV UTF-8")
    timed("staff: new file", data, n, day)
    assert StaffRecord.objects.count() == n and StaffHistory.objects.count() == n
    timed("staff: same file again", data, n, day + timedelta(days=1))

    changed = [rows[0]]
    for row in rows[1:]:
        row = list(row)
        roll = rng.random()
        if roll < 0.1:
            row[3] = rng.choice(communes)
        elif roll < 0.2:
            row[1] = row[1] + " Anh"
        changed.append(row)
    # a month later: the moves close the open periods and open new ones
    timed("staff: 10% moved, 10% renamed", csv_of(changed), n, day + timedelta(days=30))
    print(f"history periods: {StaffHistory.objects.count():,}, units: {OrgUnit.objects.count():,}")

    if with_xlsx:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        started = time.perf_counter()
        table = read_table(buffer.getvalue())
        elapsed = time.perf_counter() - started
        print(
            f"xlsx read ({len(buffer.getvalue()) / 1e6:.1f} MB): {len(table.rows) - 1:,} rows in "
            f"{elapsed:.2f} s ({(len(table.rows) - 1) / elapsed:,.0f} rows/s)"
        )


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 100_000, "--xlsx" in sys.argv)
