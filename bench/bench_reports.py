"""Competency reports at national scale (issue 12), on PostgreSQL.

Run (PostgreSQL on 127.0.0.1, as in the scale mode):
    .venv/bin/python bench/bench_reports.py [--staff 100000] [--records 5000000] [--runs 20]
        [--export-runs 3] [--write]

Self-contained and stops by itself. It creates its own database (`lms_bench_reports`;
BENCH_DATABASE_URL points elsewhere, and its name must contain "bench": the script drops it),
migrates it and builds the nation with COPY: a ministry, 34 provinces and 98 communes, wards or
special zones under each (3,332), STAFF officers (97 % in communes, 3 % attached to a province
itself) over POSITIONS positions, a published framework of 10 requirements per position over 32
competencies in 4 domains, and RECORDS competency records (per requirement: 10 % with no
evidence, 5 % with evidence below the minimum only, the rest with a latest sufficient record
valid until between 300 days ago and 1,100 days ahead; the remaining records are older history,
90 % of it for the required competencies). Then it times:

  * `standings_rebuild()` from an empty table, and the publication of a new framework version
    (one requirement per position raised a level) as production runs it: the reports' handler of
    `requirements_changed` lists the staff and enqueues CHUNK-sized tasks, and each
    `standings_refresh_task` is run in turn, as one Celery worker would;
  * RUNS runs (after one warm-up) of the national, one province's and one commune's compliance
    overview, the national coverage, a province's 90-day expiry list, and ceilings on the same
    rows (a bare count and a one-level GROUP BY of the same subtree), with the plan PostgreSQL
    chose; in a fresh process, as a web worker would run them (not in the process that
    generated the data), and the national ones again with `jit = off`;
  * EXPORT_RUNS XLSX exports of every person of the nation: `PeopleView` answering an
    administrator's `?export=xlsx` (the middleware aside), its response read to the end, each in
    a fresh process so its peak RSS (VmHWM) is its own; the rows in the file are counted;
  * the national reads again after VACUUM FULL (the table and its indexes compact: a
    publication leaves them half empty).

Prints a markdown table; `--write` replaces the section "Competency reports at national scale
(issue 12)" of docs/benchmarks.md (or appends it). The database is dropped at the end, also on
an error or Ctrl-C (`--keep` leaves it, `--reuse` measures a kept one again without building).
`--explain` prints EXPLAIN ANALYZE of the report queries."""

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Competency reports at national scale (issue 12)"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lms_bench_reports"

os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.base"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ["CACHE_URL"] = "locmemcache://"
os.environ["DJANGO_DEBUG"] = "false"  # DEBUG would keep every query in memory
os.environ["CELERY_BROKER_URL"] = ""  # nothing is sent anywhere: the bench runs the tasks

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

PROVINCES = 34
COMMUNES_PER_PROVINCE = 98  # 3,332 communes, wards and special zones
DOMAINS = [
    ("DL", "Đo lường"),
    ("TCCL", "Tiêu chuẩn, chất lượng"),
    ("SHTT", "Sở hữu trí tuệ"),
    ("ATBX", "An toàn bức xạ, hạt nhân"),
]
COMPETENCIES_PER_DOMAIN = 8
REQUIREMENTS_PER_POSITION = 10
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Thị", "Văn", "Hữu", "Minh", "Thu", "Ngọc", "Quốc", "Thanh", "Đức", "Hồng"]
GIVEN = ["Hương", "Bình", "Cường", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Ơn"]
COPY_BLOCK = 200_000
EXPORT_FILE = (
    Path(tempfile.gettempdir()) / "bench-reports-export.xlsx"
)  # rows per write to the COPY stream
BUDGETS_MS = {
    "overview_nation": 200,
    "overview_province": 100,
    "overview_commune": 50,
    "coverage_nation": 200,
    "expiry_province": 100,
}


# --- the database ------------------------------------------------------------------------------
def _admin_connection():
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _db_name() -> str:
    name = settings.DATABASES["default"]["NAME"]
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("bench_reports measures PostgreSQL: BENCH_DATABASE_URL must be postgres://")
    if "bench" not in name or not name.replace("_", "").isalnum():
        sys.exit(f"refusing to create and drop {name!r}: the name must contain 'bench'")
    return name


def database_exists() -> bool:
    with _admin_connection() as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_db_name()]).fetchone()
        )


def database_create() -> None:
    name = _db_name()
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def database_drop() -> None:
    name = _db_name()
    connections.close_all()
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _copy(table: str, columns: list[str], lines) -> int:
    """COPY text lines (tab-separated, newline-ended) into a table; the number of rows."""
    count, block = 0, []
    sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for line in lines:
            block.append(line)
            if len(block) >= COPY_BLOCK:
                copy.write("".join(block))
                count += len(block)
                block = []
                if count % 1_000_000 == 0:
                    print(f"  {table}: {count:,} rows", flush=True)
        copy.write("".join(block))
        count += len(block)
    return count


# --- the nation ---------------------------------------------------------------------------------
def build(*, staff_count: int, records: int, positions: int, rng: random.Random) -> dict:
    from competencies.models import (
        Competency,
        CompetencyRecord,
        Domain,
        Framework,
        ProficiencyLevel,
        Requirement,
    )
    from staff.models import OrgUnit, Position, StaffRecord

    today = timezone.localdate()
    started = time.perf_counter()
    with transaction.atomic():
        levels = {
            rank: ProficiencyLevel.objects.update_or_create(
                rank=rank, defaults={"name": f"Mức {rank}"}
            )[0]
            for rank in (1, 2, 3, 4)
        }
        competencies = []
        for code, name in DOMAINS:
            domain = Domain.objects.create(code=code, name=name)
            competencies += [
                Competency.objects.create(
                    code=f"{code}-{i:02d}", title=f"{name}: năng lực {i}", domain=domain
                )
                for i in range(1, COMPETENCIES_PER_DOMAIN + 1)
            ]
        Framework.objects.filter(status=Framework.Status.PUBLISHED).update(
            status=Framework.Status.RETIRED
        )
        framework = Framework.objects.create(
            name="Khung năng lực cấp xã",
            version=1,
            status=Framework.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        required: dict[int, list[tuple[int, int]]] = {}
        for p in range(positions):
            position = Position.objects.create(
                code=f"XA-{p + 1:02d}", name=f"Công chức cấp xã, vị trí {p + 1}", level="commune"
            )
            # ten consecutive competencies from a different start: each domain is required by
            # more than one position, and each position by more than one domain
            chosen = [
                competencies[(p * 6 + k) % len(competencies)]
                for k in range(REQUIREMENTS_PER_POSITION)
            ]
            ranks = [rng.randint(1, 3) for _c in chosen]
            Requirement.objects.bulk_create(
                Requirement(
                    framework=framework,
                    position=position,
                    competency=c,
                    min_level=levels[rank],
                    validity_months=36,
                )
                for c, rank in zip(chosen, ranks, strict=True)
            )
            required[position.pk] = [(c.pk, rank) for c, rank in zip(chosen, ranks, strict=True)]

        root = OrgUnit.add_root(code="BKHCN", name="Bộ Khoa học và Công nghệ", kind="ministry")
        provinces = [
            root.add_child(
                code=f"{p:02d}", name=f"Tỉnh {p:02d}", kind="province", valid_from=date(2025, 7, 1)
            )
            for p in range(1, PROVINCES + 1)
        ]
        communes = []
        for p, province in enumerate(provinces, start=1):
            for c in range(1, COMMUNES_PER_PROVINCE + 1):
                kind = "ward" if c % 4 == 0 else "commune"
                if c == COMMUNES_PER_PROVINCE and p % 3 == 0:
                    kind = "special_zone"
                communes.append(
                    OrgUnit(
                        path=OrgUnit._get_path(province.path, province.depth + 1, c),
                        depth=province.depth + 1,
                        numchild=0,
                        code=f"{p:02d}-{c:03d}",
                        name=f"{'Phường' if kind == 'ward' else 'Xã'} {c:03d} tỉnh {p:02d}",
                        kind=kind,
                        valid_from=date(2025, 7, 1),
                    )
                )
        OrgUnit.objects.bulk_create(communes, batch_size=2000)
        OrgUnit.objects.filter(depth=2).update(numchild=COMMUNES_PER_PROVINCE)
    commune_ids = list(OrgUnit.objects.filter(depth=3).values_list("pk", flat=True))
    province_ids = [p.pk for p in provinces]
    position_ids = list(required)

    def staff_lines():
        for n in range(staff_count):
            unit = (
                rng.choice(province_ids) if rng.random() < 0.03 else rng.choice(commune_ids)
            )  # a province's own officers, or a commune's
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            born = date(1965, 1, 1) + timedelta(days=rng.randrange(35 * 365))
            position = position_ids[rng.randrange(len(position_ids))]
            yield f"CB{n:07d}\t{name}\t{born.isoformat()}\t{unit}\t{position}\t\t\tt\n"

    table = StaffRecord._meta.db_table
    columns = [
        "personnel_number",
        "full_name",
        "date_of_birth",
        "org_unit_id",
        "position_id",
        "email",
        "phone",
        "active",
    ]
    _copy(table, columns, staff_lines())
    staff_built = time.perf_counter()
    print(f"staff: {staff_count:,} in {staff_built - started:.1f} s", flush=True)

    # per staff member, records in staff order (as evidence would accumulate over the years)
    dates = {off: (today + timedelta(days=off)).isoformat() for off in range(-4500, 1200)}
    level_ids = {rank: level.pk for rank, level in levels.items()}
    all_competencies = [c.pk for c in competencies]
    staff_rows = list(StaffRecord.objects.order_by("pk").values_list("pk", "position_id"))
    per_staff, extra = divmod(records, len(staff_rows))

    def record_lines():
        random_, randint, randrange = rng.random, rng.randint, rng.randrange
        for index, (staff_id, position_id) in enumerate(staff_rows):
            budget = per_staff + (1 if index < extra else 0)
            reqs = required[position_id]
            own = {cid for cid, _rank in reqs}
            others = [cid for cid in all_competencies if cid not in own]
            held = []
            n = 0
            for cid, min_rank in reqs:
                roll = random_()
                if roll < 0.10:
                    continue  # no evidence at all
                off = randint(-300, 1100)
                if roll < 0.15 and min_rank > 1:
                    level = randint(1, min_rank - 1)  # evidence below the minimum only
                else:
                    level = randint(min_rank, 4)
                    held.append((cid, off))
                n += 1
                yield (
                    f"{staff_id}\t{cid}\t{level_ids[level]}\texam\tbench:{n}\t\t\t"
                    f"{dates[off - 1095]}\t{dates[off]}\t\n"
                )
            while n < budget:
                if held and random_() < 0.9:
                    cid, latest = held[randrange(len(held))]
                    off = latest - 30 - randrange(2000)  # older than the latest
                else:
                    cid, off = others[randrange(len(others))], randint(-1500, 1100)
                n += 1
                yield (
                    f"{staff_id}\t{cid}\t{level_ids[randint(1, 4)]}\texam\tbench:{n}\t\t\t"
                    f"{dates[off - 1095]}\t{dates[off]}\t\n"
                )

    columns = [
        "staff_id",
        "competency_id",
        "level_id",
        "source",
        "evidence_ref",
        "note",
        "evidence_file",
        "assessed_on",
        "valid_until",
        "withdrawn_reason",
    ]
    written = _copy(CompetencyRecord._meta.db_table, columns, record_lines())
    records_built = time.perf_counter()
    print(f"records: {written:,} in {records_built - staff_built:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    done = time.perf_counter()
    print(f"vacuum analyze: {done - records_built:.1f} s", flush=True)
    return {
        "staff_s": staff_built - started,
        "records_s": records_built - staff_built,
        "vacuum_s": done - records_built,
        "total_s": done - started,
    }


# --- the standings -------------------------------------------------------------------------------
def standings_times() -> dict:
    from competencies.models import Framework, ProficiencyLevel, Requirement
    from competencies.services import framework_new_version, framework_publish
    from reports import handlers
    from reports.models import Standing
    from reports.standings import CHUNK, standings_rebuild
    from reports.tasks import standings_refresh_task

    rebuild_load = os.getloadavg()[0]
    started = time.perf_counter()
    rows = standings_rebuild()
    rebuild_s = time.perf_counter() - started
    print(f"standings_rebuild: {rows:,} rows in {rebuild_s:.1f} s", flush=True)

    # a new version of the framework, one requirement per position a level higher, published
    load = os.getloadavg()[0]
    framework = Framework.objects.get(status=Framework.Status.PUBLISHED)
    sent = []
    with mock.patch("competencies.services.requirements_changed.send") as send:
        with transaction.atomic():
            draft = framework_new_version(framework=framework)
            top = ProficiencyLevel.objects.get(rank=4)
            raised = {}
            for requirement in Requirement.objects.filter(framework=draft).order_by("pk"):
                raised.setdefault(requirement.position_id, requirement)
            Requirement.objects.filter(pk__in=[r.pk for r in raised.values()]).update(min_level=top)
            framework_publish(framework=draft)
        sent = [call.kwargs["position_ids"] for call in send.call_args_list]
    assert sent, "the publication announced no change"
    # what the reports' receiver does: list the staff, enqueue a task per chunk
    chunks = []
    dispatch_started = time.perf_counter()
    with mock.patch.object(handlers, "task_enqueue", lambda name, ids: chunks.append(ids)):
        for position_ids in sent:
            handlers.on_requirements_changed(sender=Requirement, position_ids=position_ids)
    dispatch_s = time.perf_counter() - dispatch_started
    per_chunk = []
    written = 0
    for ids in chunks:
        chunk_started = time.perf_counter()
        written += standings_refresh_task(ids)
        per_chunk.append(time.perf_counter() - chunk_started)
    publication_s = dispatch_s + sum(per_chunk)
    assert not Standing.objects.exclude(requirement__framework=draft).exists()
    print(
        f"publication: dispatch {dispatch_s:.2f} s, {len(chunks)} chunks of {CHUNK}, "
        f"median {statistics.median(per_chunk):.2f} s, total {publication_s:.1f} s",
        flush=True,
    )
    # autovacuum would do this within a minute of a million-row write
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Standing._meta.db_table}")
    return {
        "rows": rows,
        "rebuild_s": rebuild_s,
        "dispatch_s": dispatch_s,
        "chunks": len(chunks),
        "chunk": CHUNK,
        "chunk_median_s": statistics.median(per_chunk),
        "chunk_p95_s": _p95(per_chunk),
        "chunk_max_s": max(per_chunk),
        "publication_s": publication_s,
        "publication_rows": written,
        "load": load,
        "rebuild_load": rebuild_load,
    }


# --- the reads -----------------------------------------------------------------------------------
def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _timed(function, runs: int) -> tuple[float, float, object]:
    result = function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times), 1000 * _p95(times), result


def _fetch(sql: str, params: list):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def scopes():
    from staff.models import OrgUnit

    nation = OrgUnit.objects.get(depth=1)
    # the province and the commune with the median number of staff: typical, not the extremes
    sized = _fetch(
        """SELECT u.id, COUNT(s.id) FROM staff_orgunit u JOIN staff_staffrecord s
           ON s.org_unit_id = u.id WHERE u.depth = 3 GROUP BY u.id ORDER BY 2, 1""",
        [],
    )
    commune = OrgUnit.objects.get(pk=sized[len(sized) // 2][0])
    province = commune.get_parent()
    return nation, province, commune


def reads(runs: int, explain: bool) -> list[dict]:
    from reports.coverage import coverage_report
    from reports.expiry import expiring_standing_list
    from reports.models import Standing
    from reports.selectors import compliance_overview, subtree_bounds
    from staff.models import OrgUnit

    nation, province, commune = scopes()
    table = Standing._meta.db_table

    def ceiling_group(scope):
        low, high = subtree_bounds(scope.path)
        length = len(scope.path) + OrgUnit.steplen
        sql = f"""SELECT SUBSTR(unit_path, 1, %s), COUNT(*) FROM {table}
                  WHERE unit_path >= %s AND unit_path < %s GROUP BY 1"""  # noqa: S608
        return lambda: _fetch(sql, [length, low, high])

    def ceiling_count(scope):
        low, high = subtree_bounds(scope.path)
        sql = f"SELECT COUNT(*) FROM {table} WHERE unit_path >= %s AND unit_path < %s"  # noqa: S608
        return lambda: _fetch(sql, [low, high])

    def rows_of(scope):
        return ceiling_count(scope)()[0][0]

    cases = [
        (
            "overview_nation",
            "national overview (`compliance_overview`, the ministry)",
            lambda: compliance_overview(scope=nation),
            rows_of(nation),
            [
                (
                    "bare `SELECT count(*)` of the table",
                    lambda: _fetch(f"SELECT COUNT(*) FROM {table}", []),  # noqa: S608
                ),
                ("GROUP BY province, same rows", ceiling_group(nation)),
            ],
        ),
        (
            "overview_province",
            f"one province (`compliance_overview`, {province.name})",
            lambda: compliance_overview(scope=province),
            rows_of(province),
            [("GROUP BY commune, same rows", ceiling_group(province))],
        ),
        (
            "overview_commune",
            f"one commune (`compliance_overview`, {commune.name})",
            lambda: compliance_overview(scope=commune),
            rows_of(commune),
            [("GROUP BY, same rows", ceiling_group(commune))],
        ),
        (
            "coverage_nation",
            "coverage of the nation (`coverage_report`, the ministry)",
            lambda: coverage_report(scope=nation),
            rows_of(nation),
            [("GROUP BY province, same rows", ceiling_group(nation))],
        ),
        (
            "expiry_province",
            f"90-day expiry list of a province (`expiring_standing_list`, {province.name})",
            lambda: expiring_standing_list(scope=province, within_days=90),
            rows_of(province),
            [("count of the same subtree", ceiling_count(province))],
        ),
    ]
    results = []
    for key, label, function, rows, ceilings in cases:
        load = os.getloadavg()[0]
        median, p95, result = _timed(function, runs)
        measured = [(name, *_timed(f, runs)[:2]) for name, f in ceilings]
        scan = _scan(function)
        jit_off = None
        if rows > 100_000:  # PostgreSQL compiles the big plans (jit_above_cost): without
            with connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            jit_off = _timed(function, runs)[:2]
            with connection.cursor() as cursor:
                cursor.execute("RESET jit")
        if key.startswith("overview"):
            size = f"{result.total.staff:,} staff in {len(result.children):,} units"
        elif key == "coverage_nation":
            size = (
                f"{len(result.rows):,} units × {len(result.domains)} domains, "
                f"{sum(len(d.uncovered) for d in result.per_domain):,} uncovered cells"
            )
        else:
            size = f"{len(result):,} expiring standings"
        results.append(
            {
                "key": key,
                "label": label,
                "rows": rows,
                "size": size,
                "median_ms": median,
                "p95_ms": p95,
                "budget_ms": BUDGETS_MS[key],
                "ceilings": measured,
                "jit_off": jit_off,
                "scan": scan,
                "load": load,
            }
        )
        print(
            f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms ({size}; {rows:,} standings); "
            + "; ".join(f"{n} {m:.1f} ms" for n, m, _p in measured)
            + (f"; with jit = off: {jit_off[0]:.1f} ms (p95 {jit_off[1]:.1f})" if jit_off else "")
            + f"; plan: {scan}",
            flush=True,
        )
    if explain:
        explain_queries(nation, province)
    return results


def _sizes_mib() -> dict:
    """The standings table and its grouped-read index, in MiB."""
    table, index = _fetch(
        "SELECT pg_relation_size('reports_standing'), "
        "pg_relation_size('standing_unit_staff_domain')",
        [],
    )[0]
    return {"table": table / 2**20, "index": index / 2**20}


def reads_reindexed(runs: int) -> dict:
    """The national reads again once the table and its indexes are compact (a refresh deletes
    and re-inserts its rows: after a publication that rewrote them all, half of every index
    page is free space until a REINDEX)."""
    from reports.coverage import coverage_report
    from reports.selectors import compliance_overview

    nation = scopes()[0]
    before = _sizes_mib()
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM FULL reports_standing")
        cursor.execute("VACUUM ANALYZE reports_standing")  # the visibility map, for index-only
    compacted_s = time.perf_counter() - started
    after = _sizes_mib()
    overview = _timed(lambda: compliance_overview(scope=nation), runs)[:2]
    coverage = _timed(lambda: coverage_report(scope=nation), runs)[:2]
    scans = {
        "overview": _scan(lambda: compliance_overview(scope=nation)),
        "coverage": _scan(lambda: coverage_report(scope=nation)),
    }
    print(
        f"after VACUUM FULL ({compacted_s:.0f} s; table {before['table']:.0f} → "
        f"{after['table']:.0f} MiB, index {before['index']:.0f} → {after['index']:.0f} MiB): "
        f"national overview {overview[0]:.0f} ms (p95 {overview[1]:.0f}), coverage "
        f"{coverage[0]:.0f} ms (p95 {coverage[1]:.0f}); plans: {scans}",
        flush=True,
    )
    return {
        "before": before,
        "after": after,
        "compacted_s": compacted_s,
        "overview": overview,
        "coverage": coverage,
        "scans": scans,
        "load": os.getloadavg()[0],
    }


def _scan(function) -> str:
    """How PostgreSQL reads the standings for the selector's grouped query (its EXPLAIN)."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    sql = next(q["sql"] for q in captured.captured_queries if "reports_standing" in q["sql"])
    plan = [line for (line,) in _fetch(f"EXPLAIN {sql}", [])]
    scans = [
        line.split("->")[-1].split("  (")[0].strip()
        for line in plan
        if " Scan " in line and "reports_standing" in line
    ]
    return "; ".join(scans)


def explain_queries(nation, province) -> None:
    """EXPLAIN ANALYZE of what the reports run, captured from the selectors themselves."""
    from django.test.utils import CaptureQueriesContext

    from reports.coverage import coverage_report
    from reports.expiry import expiring_standing_list
    from reports.selectors import compliance_overview

    for label, function in [
        ("overview nation", lambda: compliance_overview(scope=nation)),
        ("overview province", lambda: compliance_overview(scope=province)),
        ("coverage nation", lambda: coverage_report(scope=nation)),
        ("expiry province", lambda: expiring_standing_list(scope=province, within_days=90)),
    ]:
        with CaptureQueriesContext(connection) as captured:
            function()
        for query in captured.captured_queries:
            sql = query["sql"]
            if "reports_standing" not in sql:
                continue
            print(f"\n--- {label}\n{sql[:300]}")
            for (line,) in _fetch(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", []):
                print(line)


# --- the export (in a fresh process: its peak memory is its own) --------------------------------
def _status_mib(field: str) -> float:
    """VmRSS / VmHWM of this process: its own, unlike `ru_maxrss`, which a process started with
    vfork + exec inherits from its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_child() -> None:
    """One XLSX export of the nation through `PeopleView` (as a request with `?export=xlsx`
    from an administrator, the middleware aside), the response read to its end."""
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory
    from django.utils import translation

    from reports.admin_views import PeopleView

    translation.activate("vi")
    User = get_user_model()
    user = User.objects.filter(username="bench-admin").first() or User.objects.create_superuser(
        "bench-admin", "bench-admin@example.invalid", None
    )
    rss_before = _status_mib("VmHWM")
    request = RequestFactory().get("/admin/reports/people/", {"export": "xlsx"})
    request.user = user
    started = time.perf_counter()
    response = PeopleView.as_view()(request)
    answered = time.perf_counter()
    size = 0
    with EXPORT_FILE.open("wb") as out:  # as a browser saves the download
        for chunk in response.streaming_content if response.streaming else [response.content]:
            size += out.write(chunk)
    response.close()
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "status": response.status_code,
                "answer_s": answered - started,
                "total_s": done - started,
                "bytes": size,
                "rss_before_mib": rss_before,
                "rss_peak_mib": _status_mib("VmHWM"),
            }
        )
    )


def _xlsx_rows(path: Path) -> int:
    """Rows of the workbook's first sheet, the header included (counted in its XML)."""
    with zipfile.ZipFile(path) as workbook:
        sheet = next(n for n in workbook.namelist() if n.startswith("xl/worksheets/sheet"))
        return workbook.read(sheet).count(b"<row ")


def in_child(kind: str, *options: str):
    """Run a part of the bench in a fresh process of this script, as a web worker would run it
    (not in the process that generated five million rows), and return what it prints last as
    JSON; its other output is passed on."""
    out = subprocess.run(  # noqa: S603 - this script, again
        [sys.executable, __file__, "--child", kind, *options],
        check=True,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
        timeout=1800,
    )
    *lines, last = out.stdout.strip().splitlines()
    if lines:
        print("\n".join(lines), flush=True)
    return json.loads(last)


def exports(runs: int) -> list[dict]:
    results = []
    for _ in range(runs):
        load = os.getloadavg()[0]
        result = in_child("export")
        result["load"] = load
        result["people"] = _xlsx_rows(EXPORT_FILE) - 1
        EXPORT_FILE.unlink()
        print(
            f"xlsx export: {result['people']:,} people, answered in {result['answer_s']:.1f} s, "
            f"read to the end in {result['total_s']:.1f} s, "
            f"{result['bytes'] / 1e6:.1f} MB, peak RSS {result['rss_peak_mib']:.0f} MiB "
            f"(after start-up {result['rss_before_mib']:.0f} MiB)",
            flush=True,
        )
        results.append(result)
    return results


# --- the report ----------------------------------------------------------------------------------
def _uptime() -> str:
    return subprocess.run(["/usr/bin/uptime"], capture_output=True, text=True).stdout.strip()


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def scale_counts() -> dict:
    """What the database holds (also for a kept database measured again)."""
    from competencies.models import CompetencyRecord
    from reports.models import Standing
    from staff.models import OrgUnit, StaffRecord

    return {
        "staff": StaffRecord.objects.count(),
        "records": CompetencyRecord.objects.count(),
        "standings": Standing.objects.count(),
        "communes": OrgUnit.objects.filter(depth=3).count(),
        "provinces": OrgUnit.objects.filter(depth=2).count(),
        "positions": len(set(Standing.objects.values_list("position_id", flat=True).distinct())),
    }


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def table(counts, standings, read_results, export_results, compact) -> str:
    lines = [
        "| figure | data | median | p95 | budget | | ceiling on the same rows (median) "
        "| ratio | load |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    if standings:
        lines.append(
            f"| standings brought up to date after a framework publication touching every "
            f"officer: the handler's dispatch ({standings['dispatch_s']:.1f} s) + "
            f"{standings['chunks']} `standings_refresh_task`s of {standings['chunk']:,} staff "
            f"run one after another (one worker) | {standings['publication_rows']:,} standings "
            f"rewritten | {standings['chunk_median_s']:.2f} s a task "
            f"(max {standings['chunk_max_s']:.2f} s) | {standings['chunk_p95_s']:.2f} s a task "
            f"| ≤ 60 s in all | {_verdict(standings['publication_s'] <= 60)}: "
            f"**{standings['publication_s']:.1f} s** | | | {standings['load']:.1f} |"
        )
        lines.append(
            f"| `standings_rebuild()` into an empty table | {standings['rows']:,} standings "
            f"| | | ≤ 60 s | {_verdict(standings['rebuild_s'] <= 60)}: "
            f"**{standings['rebuild_s']:.1f} s** | | | {standings['rebuild_load']:.1f} |"
        )
    for r in read_results:
        ceiling = "; ".join(f"{name}: {_ms(median)}" for name, median, _p95 in r["ceilings"])
        ratio = "; ".join(f"{r['median_ms'] / median:.1f}×" for _n, median, _p in r["ceilings"])
        jit = (
            f" (jit off: {_ms(r['jit_off'][0])}, p95 {_ms(r['jit_off'][1])})"
            if r["jit_off"]
            else ""
        )
        plan = f"; read by {r['scan']}" if r["rows"] > 100_000 else ""
        lines.append(
            f"| {r['label']} | {r['rows']:,} standings; {r['size']}{plan} "
            f"| **{_ms(r['median_ms'])}**{jit} | {_ms(r['p95_ms'])} | ≤ {r['budget_ms']} ms "
            f"| {_verdict(r['p95_ms'] <= r['budget_ms'])} | {ceiling} | {ratio} "
            f"| {r['load']:.1f} |"
        )
    if compact:
        for key, label, budget in (
            ("overview", "national overview", 200),
            ("coverage", "coverage of the nation", 200),
        ):
            median, p95 = compact[key]
            lines.append(
                f"| {label}, table and indexes compact again (after `VACUUM FULL`) "
                f"| index {compact['before']['index']:.0f} → {compact['after']['index']:.0f} MiB, "
                f"table {compact['before']['table']:.0f} → {compact['after']['table']:.0f} MiB; "
                f"read by {compact['scans'][key]} "
                f"| **{_ms(median)}** | {_ms(p95)} | ≤ {budget} ms | {_verdict(p95 <= budget)} "
                f"| | | {compact['load']:.1f} |"
            )
    if export_results:
        totals = [e["total_s"] for e in export_results]
        peaks = [e["rss_peak_mib"] for e in export_results]
        first = export_results[0]
        ok = max(totals) <= 30 and max(peaks) < 300
        lines.append(
            f"| XLSX export of the nation: `PeopleView` answering `?export=xlsx`, the file "
            f"read to its end; {len(export_results)} runs, each in a fresh process "
            f"| {first['people']:,} people in the file ({first['bytes'] / 1e6:.1f} MB) "
            f"| **{statistics.median(totals):.1f} s** | max {max(totals):.1f} s "
            f"| ≤ 30 s, peak < 300 MB | {_verdict(ok)}: peak RSS **{max(peaks):.0f} MiB** "
            f"(of which {first['rss_before_mib']:.0f} MiB is the process after start-up) "
            f"| | | {first['load']:.1f} |"
        )
    return "\n".join(lines)


NOTES = """\
"Data" is what a figure reads: the standings of its scope, one per officer and requirement of
the framework in force. The ceilings run on the same rows in the same run: the bare count is
what PostgreSQL needs merely to touch them, the one-level GROUP BY what any grouped figure of the
subtree costs; the ratio is the report's median over the ceiling's. The reads run in a fresh
process (as a web worker would, not in the one that generated the data), with a warm cache (the
table and its indexes sit in the OS page cache; shared_buffers is the default 128 MB). The
expiry list runs with no course or exam in the database (their look-ups return nothing). After
the publication the table is vacuumed and analysed, as autovacuum does within a minute of a
million-row write: the reads meet it as it stands the morning after a publication or a nightly
rebuild.

What changed in reports/ for these figures (migrations 0005 and 0006): a refresh writes its rows
with COPY on PostgreSQL (`bulk_create` spent most of a chunk building model instances and SQL)
and reads what a row copies from its requirement once per requirement; the standings lost the
indexes of their foreign keys alone (11 indexes written per row, now 6) and the database
constraints of the four copied keys (checking them was more than half of each commit); the
index on (unit_path, staff) became (unit_path, staff, domain) including position, competency and
valid-until, and the overview and the coverage group in its order; the coverage and the expiry
list pause Python's garbage collector while they build their rows (as the bulk status selector
does: a full collection of a worker's heap takes 0.2-0.5 s here, and the nation's coverage set
one off on most reads). Before, on the same data and machine (load 1.9-2.9): the publication
took 116 s (2.35 s a task), the rebuild 114 s, the national overview 442 ms, the coverage 973 ms,
a province's overview 27 ms, its expiry list 172 ms (p95 394 ms), and the export 14.9 s at a
315 MiB peak (the export has streamed since a2439f4, another change).

Why the national figures miss. Each reads all of the nation's million standings and groups them
twice (per officer, then per province, or per commune and domain). Read in the order of the
(unit_path, staff, domain) index, from the index alone, the grouping needs no sort and no table:
the rows "compact again" (after VACUUM FULL and VACUUM: the index small and all-visible) show
PostgreSQL choosing that plan, and the overview's median within its budget (its p95 not, on
these shared cores). But a refresh deletes and
re-inserts its rows, so after a publication (or a nightly rebuild) that rewrote them all the
index is three times that size, mostly free space (the new entries split the pages that still
hold the old ones), and PostgreSQL rightly prefers a parallel scan of the table with hash
aggregation, at 2-3 times a bare one-level GROUP BY of the same rows. Two ways to keep the fast
plan, not made here: `REINDEX INDEX CONCURRENTLY standing_unit_staff_domain` once a
publication's tasks and the nightly rebuild are done (seconds, reads go on), and a refresh that
rewrites only the rows whose values changed (the nightly rebuild would then write almost
nothing). The coverage stays over its budget even then (its inner grouping keeps 200,000
officer × domain groups, and building 3,332 × 4 cells in Python takes about 100 ms): it needs
fewer rows, a stored summary per officer and domain (the earliest valid-until of its
requirements) written by the same refresh, which would also serve the overview (a quarter of the
rows). JIT compilation (on by default) makes no consistent difference (the "jit off" figures).
A province and a commune are well inside their budgets.

The expiry list's query takes 30-70 ms (it joins the staff, units, positions and competencies of
its 1,600 rows); building their 8,000 model instances is most of the rest. A `gc.freeze()` once
each web worker has started would take the import heap (Django, Wagtail, xhtml2pdf, pyHanko) out
of every collection, for every view, rather than pausing the collector in a few selectors.

A task of the publication deletes its chunk's 20,000 old rows, reads its officers' 100,000
records (about a tenth of its time), applies the rule in Python, COPYs the new rows and commits
(the WAL flush and the two remaining key checks, a third). Two Celery workers would halve the
wall time on idle cores; on these two shared cores PostgreSQL itself needs one of them."""


def section(args, counts, built, standings, read_results, export_results, compact, before, after):
    pg = _fetch("SHOW server_version", [])[0][0]
    work_mem = _fetch("SHOW work_mem", [])[0][0]
    shared = _fetch("SHOW shared_buffers", [])[0][0]
    command = ".venv/bin/python bench/bench_reports.py"
    if args.staff != 100_000:
        command += f" --staff {args.staff}"
    if args.records != 5_000_000:
        command += f" --records {args.records}"
    if args.runs != 20:
        command += f" --runs {args.runs}"
    if args.export_runs != 3:
        command += f" --export-runs {args.export_runs}"
    command += " --write"
    if os.environ.get("BENCH_DATABASE_URL"):
        command = "BENCH_DATABASE_URL=... " + command
    build_text = (
        f"built in {built['total_s']:.0f} s (staff {built['staff_s']:.0f} s, records "
        f"{built['records_s']:.0f} s, both with COPY; VACUUM ANALYZE {built['vacuum_s']:.0f} s)"
        if built
        else "a kept database, measured again (`--reuse`)"
    )
    return f"""{SECTION}

Command (PostgreSQL on 127.0.0.1; the script creates the database `lms_bench_reports`, builds
the nation with COPY, measures, drops the database and stops): `{command}`

Measured {date.today().isoformat()} on {os.cpu_count()} cores shared with other agents' test
runs, PostgreSQL {pg.split()[0]} on the same machine with its default settings (shared_buffers
{shared}, work_mem {work_mem}, jit on). Scale: {counts["staff"]:,} staff over
{counts["provinces"]} provinces and {counts["communes"]:,} communes, wards and special zones (3 %
attached to a province itself), {counts["positions"]} positions × {REQUIREMENTS_PER_POSITION}
requirements over 32 competencies in 4 domains, {counts["records"]:,} competency records (about
50 per officer: 10 % of requirements with no evidence, 5 % below the minimum only, the rest a
latest record valid until 300 days ago to 1,100 days ahead, and older history),
{counts["standings"]:,} standings; {build_text}. Load (`uptime`) before: `{before}`; after:
`{after}`; the "load" column is the one-minute load average when each figure started. Reads:
median and p95 of {args.runs} runs after one warm-up, timed from the selector call to its
Python result (unit look-ups included, no template). Budgets are judged on the p95.

{table(counts, standings, read_results, export_results, compact)}

{NOTES}
"""


def write_doc(block: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if SECTION in text:
        before, rest = text.split(SECTION, 1)
        following = rest.find("\n## ")
        after = rest[following + 1 :] if following >= 0 else ""
        text = before + block.rstrip("\n") + "\n" + ("\n" + after if after else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block.rstrip("\n") + "\n"
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--records", type=int, default=5_000_000)
    parser.add_argument("--positions", type=int, default=4, choices=range(3, 6))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--export-runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="leave the database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the reads")
    parser.add_argument("--child", choices=["reads", "compact", "export"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "export":
        export_child()
        return
    if args.child == "reads":
        print(json.dumps(reads(args.runs, args.explain)))
        return
    if args.child == "compact":
        print(json.dumps(reads_reindexed(args.runs)))
        return

    before = _uptime()
    print(f"uptime before: {before}", flush=True)
    rng = random.Random(20261208)  # noqa: S311 - bench data, not secrets
    built = standings = None
    try:
        if args.reuse and database_exists():
            print("reusing the kept database", flush=True)
        else:
            from django.core.management import call_command

            database_create()
            started = time.perf_counter()
            call_command("migrate", verbosity=0)
            print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
            built = build(
                staff_count=args.staff, records=args.records, positions=args.positions, rng=rng
            )
            standings = standings_times()
        counts = scale_counts()
        options = ["--runs", str(args.runs)]
        read_results = in_child("reads", *options, *(["--explain"] if args.explain else []))
        export_results = exports(args.export_runs) if args.export_runs else []
        compact = in_child("compact", *options)
        after = _uptime()
        print(f"uptime after: {after}", flush=True)
        block = section(
            args, counts, built, standings, read_results, export_results, compact, before, after
        )
        print("\n" + block)
        if args.write:
            write_doc(block)
            print(f"written to {DOC}")
    finally:
        if not args.keep:
            database_drop()
            print("database dropped", flush=True)


if __name__ == "__main__":
    main()
