"""Competency status for a whole country: 100,000 staff × 10 requirements each.

Run:
    DJANGO_SETTINGS_MODULE=lms.settings.base DATABASE_URL=sqlite:////tmp/bench-status.sqlite3 \
        .venv/bin/python bench/bench_competency_status.py [--staff 100000] [--runs 5]

The database is migrated and, when it does not hold the bench data yet, filled with bulk_create:
a published framework, 4 positions × 10 requirements, an org-unit root with 10 provinces,
the staff, and about 0.9 records per requirement (random levels and expiry dates, some staff
with two records for a competency). Then the status of every requirement of every staff member
is computed with `requirement_statuses_for_staff` (the selector HR reports use) and timed.
Use a throw-away database: the script never deletes anything."""

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.base")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/bench-status.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from competencies.models import (  # noqa: E402
    Competency,
    CompetencyRecord,
    Domain,
    Framework,
    ProficiencyLevel,
    Requirement,
)
from competencies.selectors import (  # noqa: E402
    requirement_statuses_for_staff,
    statuses_are_compliant,
)
from staff.models import OrgUnit, Position, StaffRecord  # noqa: E402

POSITIONS = 4
REQUIREMENTS_PER_POSITION = 10
COMPETENCIES = 20
PROVINCES = 10
BATCH = 5000


def populate(staff_count: int) -> None:
    rng = random.Random(42)  # noqa: S311 - bench data, not secrets
    today = timezone.localdate()
    with transaction.atomic():
        levels = [
            ProficiencyLevel.objects.update_or_create(rank=r, defaults={"name": f"Mức {r}"})[0]
            for r in (1, 2, 3, 4)
        ]
        domain, _ = Domain.objects.get_or_create(code="BENCH", defaults={"name": "Bench"})
        competencies = [
            Competency.objects.get_or_create(
                code=f"BEN-{i:02d}", defaults={"title": f"Năng lực {i}", "domain": domain}
            )[0]
            for i in range(COMPETENCIES)
        ]
        Framework.objects.filter(status=Framework.Status.PUBLISHED).update(
            status=Framework.Status.RETIRED
        )
        framework = Framework.objects.create(
            name="Bench", version=1, status=Framework.Status.PUBLISHED, published_at=timezone.now()
        )
        positions = [
            Position.objects.get_or_create(
                code=f"BEN-POS-{p}", defaults={"name": f"Vị trí {p}", "level": "commune"}
            )[0]
            for p in range(POSITIONS)
        ]
        required = {}
        for p, position in enumerate(positions):
            # overlapping subsets of the competencies, 10 each
            chosen = [competencies[(p * 3 + k) % COMPETENCIES] for k in range(10)]
            required[position.pk] = chosen
            Requirement.objects.bulk_create(
                Requirement(
                    framework=framework,
                    position=position,
                    competency=c,
                    min_level=levels[rng.randint(0, 2)],
                    validity_months=36,
                )
                for c in chosen
            )
        root = OrgUnit.add_root(code="BEN", name="Bench", kind=OrgUnit.Kind.MINISTRY)
        units = [
            root.add_child(code=f"BEN-{i:02d}", name=f"Tỉnh {i}", kind=OrgUnit.Kind.PROVINCE)
            for i in range(PROVINCES)
        ]

    for start in range(0, staff_count, BATCH):
        with transaction.atomic():
            StaffRecord.objects.bulk_create(
                StaffRecord(
                    personnel_number=f"BEN{n:07d}",
                    full_name=f"Cán bộ {n}",
                    org_unit=units[n % PROVINCES],
                    position=positions[n % POSITIONS],
                )
                for n in range(start, min(start + BATCH, staff_count))
            )
    print(f"staff: {staff_count}", flush=True)

    batch: list[CompetencyRecord] = []
    created = 0
    staff_rows = StaffRecord.objects.filter(personnel_number__startswith="BEN").values_list(
        "pk", "position_id"
    )
    for staff_id, position_id in staff_rows.iterator(chunk_size=BATCH):
        for competency in required[position_id]:
            if rng.random() < 0.15:
                continue  # a gap: no evidence at all
            for copy in range(2 if rng.random() < 0.05 else 1):
                valid_until = today + timedelta(days=rng.randint(-365, 3 * 365))
                batch.append(
                    CompetencyRecord(
                        staff_id=staff_id,
                        competency=competency,
                        level=levels[rng.randint(0, 3)],
                        source=CompetencyRecord.Source.EXAM,
                        evidence_ref=f"bench:{copy}",
                        assessed_on=valid_until - timedelta(days=36 * 30),
                        valid_until=valid_until,
                    )
                )
        if len(batch) >= BATCH * 4:
            with transaction.atomic():
                CompetencyRecord.objects.bulk_create(batch)
            created += len(batch)
            batch = []
    with transaction.atomic():
        CompetencyRecord.objects.bulk_create(batch)
    created += len(batch)
    print(f"records: {created}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not StaffRecord.objects.filter(personnel_number__startswith="BEN").exists():
        start = time.perf_counter()
        populate(args.staff)
        print(f"populated in {time.perf_counter() - start:.0f} s", flush=True)

    staff = StaffRecord.objects.all()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"staff: {staff.count()}, records: {CompetencyRecord.objects.count()}")
    times = []
    result = {}
    for _ in range(args.runs):
        start = time.perf_counter()
        result = requirement_statuses_for_staff(staff=staff)
        times.append(time.perf_counter() - start)
    statuses = Counter(s.status for rows in result.values() for s in rows)
    compliant = sum(statuses_are_compliant(rows) for rows in result.values())
    print(f"statuses: {sum(statuses.values())} {dict(statuses)}")
    print(f"compliant staff: {compliant}")
    print(f"runs: {args.runs}, median {statistics.median(times):.2f} s, best {min(times):.2f} s")

    province = OrgUnit.objects.get(code="BEN-00")
    scoped = StaffRecord.objects.filter(org_unit__path__startswith=province.path)
    start = time.perf_counter()
    one = requirement_statuses_for_staff(staff=scoped)
    print(f"one province ({len(one)} staff): {time.perf_counter() - start:.2f} s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
