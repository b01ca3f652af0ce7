"""Certificate PDF rendering and PAdES signing per certificate, and bulk issuance throughput.

One core, render + sign (nothing written to a database):
    taskset -c 0 .venv/bin/python bench/bench_certificate_sign.py 50

Bulk issuance of N certificates through the job's chunks (issue → render → sign → store), in a
throw-away database (SQLite `/tmp/bench-certs.sqlite3` unless BENCH_DATABASE_URL is set), with
P worker processes each taking chunks the way Celery workers would:
    .venv/bin/python bench/bench_certificate_sign.py --bulk 1000 --processes 2

The signing key is the embedded default (RSA 3072, generated once into a temporary folder)."""

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_DIR = Path(tempfile.gettempdir()) / "bench-certs"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.base")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench-certs.sqlite3'}"
)
os.environ["PRIVATE_MEDIA_ROOT"] = str(BENCH_DIR / "private")
os.environ["CERTIFICATE_SIGNER_DIR"] = str(BENCH_DIR / "signing")
os.environ.setdefault("LOG_LEVEL", "WARNING")
BENCH_DIR.mkdir(exist_ok=True)

import django  # noqa: E402

django.setup()


def _sample():
    from certificates.models import Certificate, CertificateTemplate

    template = CertificateTemplate(
        title="Chứng chỉ năng lực Đo lường cơ bản",
        body="Được công nhận năng lực: {competencies}.",
        issuer="Bộ Khoa học và Công nghệ",
        signatory_name="Nguyễn Văn A",
        signatory_title="Giám đốc Trung tâm Bồi dưỡng",
    )
    return Certificate(
        serial="CC-2026-000001",
        template=template,
        holder_name="Nguyễn Thị Thu Hương",
        position_name="Công chức phụ trách khoa học và công nghệ cấp xã",
        unit_name="Phường Ba Đình",
        competencies=[{"code": "MET-01", "title": "Quản lý phương tiện đo nhóm 2", "level": "2"}],
        issued_on=date(2026, 11, 23),
        valid_until=date(2029, 11, 23),
        verification_code="x" * 43,
    )


def per_certificate(n: int) -> None:
    from certificates.pdf import certificate_pdf_bytes
    from certificates.services import certificate_body_html
    from certificates.signing import signer_get

    certificate = _sample()
    context = {
        "certificate": certificate,
        "template": certificate.template,
        "body_html": certificate_body_html(certificate=certificate),
        "verify_url": "https://lms.example.gov.vn/verify/" + "x" * 43 + "/",
    }
    render_ms, sign_ms, render_cpu, sign_cpu = [], [], [], []
    with signer_get().session() as session:  # key generated/loaded once, as in a worker
        session.sign_pdf(certificate_pdf_bytes(context=context))  # warm-up
        for _ in range(n):
            start, start_cpu = time.perf_counter(), time.process_time()
            pdf = certificate_pdf_bytes(context=context)
            middle, middle_cpu = time.perf_counter(), time.process_time()
            signed = session.sign_pdf(pdf, reason="Chứng chỉ số CC-2026-000001", location="Hà Nội")
            end, end_cpu = time.perf_counter(), time.process_time()
            render_ms.append((middle - start) * 1000)
            sign_ms.append((end - middle) * 1000)
            render_cpu.append((middle_cpu - start_cpu) * 1000)
            sign_cpu.append((end_cpu - middle_cpu) * 1000)
    # CPU time is printed too: on a machine shared with other work, wall time includes waiting
    for name, times, cpu in (("render", render_ms, render_cpu), ("sign", sign_ms, sign_cpu)):
        times.sort()
        print(
            f"{name}: median {statistics.median(times):.1f} ms, "
            f"p95 {times[int(0.95 * (n - 1))]:.1f} ms, "
            f"CPU median {statistics.median(cpu):.1f} ms"
        )
    print(f"load average: {os.getloadavg()[0]:.1f}")
    print(f"pdf: {len(pdf) / 1024:.1f} KiB unsigned, {len(signed) / 1024:.1f} KiB signed")


def _run_chunks(job_id: int, starts: list[int]) -> None:
    from django.db import connection

    from certificates.services import issuance_job_chunk

    connection.close()  # a forked process opens its own connection
    for start in starts:
        issuance_job_chunk(job_id=job_id, start=start)


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def bulk(n: int, processes: int) -> None:
    from django.core.management import call_command

    from certificates.models import Certificate, CertificateTemplate, IssuanceJob
    from certificates.services import ISSUANCE_CHUNK, issuance_job_create
    from certificates.signing import signer_get
    from staff.models import OrgUnit, Position, StaffRecord

    if "BENCH_DATABASE_URL" in os.environ:
        from bench.bench_exam_load import create_database  # PostgreSQL: created if missing

        create_database()
    call_command("migrate", verbosity=0)
    with signer_get().session():
        pass  # the key exists before the workers start
    Certificate.objects.all().delete()
    IssuanceJob.objects.all().delete()
    unit = OrgUnit.objects.filter(code="BENCH").first() or OrgUnit.add_root(
        code="BENCH", name="Phường Ba Đình", kind="ward"
    )
    position, _ = Position.objects.get_or_create(
        code="BENCH", defaults={"name": "Công chức khoa học và công nghệ cấp xã"}
    )
    existing = StaffRecord.objects.filter(org_unit=unit).count()
    StaffRecord.objects.bulk_create(
        StaffRecord(
            personnel_number=f"BENCH-{i:06d}",
            full_name="Nguyễn Thị Thu Hương",
            org_unit=unit,
            position=position,
        )
        for i in range(existing, n)
    )
    template = CertificateTemplate.objects.create(
        title="Chứng chỉ năng lực Đo lường cơ bản",
        body="Được công nhận năng lực: {competencies}.",
        issuer="Bộ Khoa học và Công nghệ",
        signatory_name="Nguyễn Văn A",
        signatory_title="Giám đốc",
    )
    staff = StaffRecord.objects.filter(org_unit=unit, personnel_number__lt=f"BENCH-{n:06d}")
    job = issuance_job_create(template=template, staff=staff, by=None, start=False)
    IssuanceJob.objects.filter(pk=job.pk).update(status=IssuanceJob.Status.RUNNING)
    starts = list(range(0, job.total, ISSUANCE_CHUNK))
    shares = [starts[i::processes] for i in range(processes)]
    from django.db import connection

    connection.close()
    begin = time.perf_counter()
    cpu_before = _cpu_seconds()
    if processes == 1:
        _run_chunks(job.pk, starts)
    else:
        workers = [
            multiprocessing.get_context("fork").Process(target=_run_chunks, args=(job.pk, share))
            for share in shares
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    seconds = time.perf_counter() - begin
    cpu = _cpu_seconds() - cpu_before
    job.refresh_from_db()
    print(f"database: {django.db.connection.vendor}, processes: {processes}")
    print(f"job: {job.processed}/{job.total}, status {job.status}")
    print(f"bulk: {job.total} certificates in {seconds:.1f} s = {job.total / seconds:.1f}/s")
    # what the work costs, whatever else the machine is doing: per certificate, and what that
    # gives on `processes` idle cores (the database's own CPU is included only for SQLite)
    per = cpu / job.total
    print(
        f"CPU: {per * 1000:.0f} ms per certificate = {processes / per:.1f}/s on "
        f"{processes} idle core(s); load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=50)
    parser.add_argument("--bulk", type=int)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    if args.bulk:
        bulk(args.bulk, args.processes)
    else:
        per_certificate(args.n)
