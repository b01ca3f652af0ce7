"""Exam load: gunicorn + PostgreSQL on 127.0.0.1, simulated takers, the load generator on the
same machine (issue 5).

Run (PostgreSQL and Redis on 127.0.0.1, as in the scale mode):
    .venv/bin/python bench/bench_exam_load.py [--runs 3] [--write]

Self-contained and stops by itself. It creates the database `bench_exam` if missing
(BENCH_DATABASE_URL points elsewhere), migrates it, collects the static files (hashed, as in
production) into /tmp/bench-exam/, and seeds once: TAKERS officers with accounts, a bank of
approved single-choice and true/false questions and a published practice exam of 20 questions
(no attempt limit, no cool-down, one hour). Each taker is signed in server-side (a session made
with SessionStore, as a login would leave it, without hashing 200 passwords) and gets a CSRF
cookie; attempts are started with the service, except in the whole-attempt scenario where the
takers start them over HTTP.

The server is `gunicorn lms.wsgi` with the production settings plus one URL, the ceiling
(bench/exam_site: a bench-only settings/urls module, never deployed): a view that does one
UPDATE of one row through the same middleware (CSRF checked). The load generator is one
asyncio process (raw HTTP/1.1 over asyncio streams, keep-alive when the server allows it)
running N closed-loop takers: each sends its next request as soon as the previous one answered.
Each scenario runs WARMUP seconds unmeasured, then DURATION seconds measured; any answer other
than 2xx/3xx (or a save not answered `"saved": true`) is an error. Only 127.0.0.1 is targeted.

Scenarios:
  page     GET of a question page (the taker's attempt, positions 1..20 in turn), 50 takers
  save     the background save attempt.js sends (multipart form, Accept: application/json,
           X-CSRFToken, increasing per-attempt sequence numbers), 50 takers
  save200  the same with 200 takers (p95 latency)
  attempt  whole attempts, 50 takers each looping: POST start, 20 x (GET question page, save),
           GET review, POST submit, GET result; completed attempts per second
  ceiling / ceiling200   the ceiling view, POST, 50 and 200 takers
Grading runs in submit; the item-statistics task it queues on commit goes to a Redis broker
(BENCH_BROKER_URL, default db 15) that no worker reads, as in the scale mode where workers run
elsewhere; the queue is emptied after the run.
"""

import argparse
import asyncio
import gzip
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = Path(tempfile.gettempdir()) / "bench-exam"
DOC = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- bench_exam_load:start -->"
END_MARK = "<!-- bench_exam_load:end -->"
QUESTIONS_PER_ATTEMPT = 20
BANK_SIZE = 40
HOST = "127.0.0.1"

ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.exam_site.settings",
    "DJANGO_SECRET_KEY": "bench-exam-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": HOST,
    "DJANGO_SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@{HOST}:5432/bench_exam"
    ),
    "CACHE_URL": os.environ.get("BENCH_CACHE_URL", f"redis://{HOST}:6379/14"),
    "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", f"redis://{HOST}:6379/15"),
    "STATIC_ROOT": str(WORKDIR / "static"),
    "MEDIA_ROOT": str(WORKDIR / "media"),
    "PRIVATE_MEDIA_ROOT": str(WORKDIR / "private"),
    "LOG_LEVEL": "WARNING",
}


# --- the database ------------------------------------------------------------------------------
def create_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres",
        password=db["PASSWORD"] or None, autocommit=True,
    ) as conn:  # fmt: skip
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')


STEM = (
    "<p>Câu {n}: Khi kiểm tra cân đồng hồ lò xo dùng trong mua bán tại chợ, cán bộ khoa học và "
    "công nghệ cấp xã phát hiện tem kiểm định đã hết hạn. Theo Luật Đo lường và Thông tư "
    "23/2013/TT-BKHCN, việc nào sau đây là đúng?</p>"
)
OPTIONS = [
    "Lập biên bản, hướng dẫn hộ kinh doanh đưa cân đi kiểm định lại trước khi tiếp tục sử dụng.",
    "Cho phép tiếp tục sử dụng đến hết năm vì sai số nhỏ.",
    "Tịch thu cân và xử phạt ngay tại chỗ không cần lập biên bản.",
    "Không cần xử lý vì cân đồng hồ không thuộc phương tiện đo nhóm 2.",
]


def seed(takers: int):
    """Once per database: officers, the bank, the exam. Returns (exam, staff records)."""
    from django.contrib.auth import get_user_model

    from assessments.models import BlueprintCell, Exam, Question
    from assessments.services import question_version_create
    from competencies.models import Competency, Domain, ProficiencyLevel
    from staff.models import OrgUnit, Position, StaffRecord

    User = get_user_model()
    domain, _ = Domain.objects.get_or_create(code="BENCH", defaults={"name": "Đo lường"})
    competency, _ = Competency.objects.get_or_create(
        code="BENCH-01", defaults={"title": "Quản lý phương tiện đo nhóm 2", "domain": domain}
    )
    level, _ = ProficiencyLevel.objects.get_or_create(rank=2, defaults={"name": "Vận dụng"})
    exam = Exam.objects.filter(title="Bài thi tải").first()
    if exam is None:
        for n in range(1, BANK_SIZE + 1):
            truefalse = n % 4 == 0
            question = Question.objects.create(
                name=f"Câu tải {n}",
                qtype=Question.Type.TRUE_FALSE if truefalse else Question.Type.SINGLE_CHOICE,
                competency=competency,
                difficulty="easy",
                status=Question.Status.APPROVED,
            )
            if truefalse:
                options = [
                    {"key": "true", "text": "Đúng", "correct": True},
                    {"key": "false", "text": "Sai", "correct": False},
                ]
            else:
                options = [
                    {"key": k, "text": t, "correct": k == "a"}
                    for k, t in zip("abcd", OPTIONS, strict=True)
                ]
            question_version_create(
                question=question,
                stem=STEM.format(n=n),
                options=options,
                explanation="<p>Giải thích: phương tiện đo nhóm 2 phải được kiểm định.</p>",
            )
        exam = Exam.objects.create(
            title="Bài thi tải",
            kind=Exam.Kind.PRACTICE,
            requires_course_completion=False,
            time_limit_minutes=60,
            pass_mark_percent=60,
            max_attempts=32767,
            cooldown_minutes=0,
            awarded_level=level,
            review_after_submit="score",
            review_after_close="score",
            published=True,
        )
        BlueprintCell.objects.create(
            exam=exam, competency=competency, difficulty="easy", count=QUESTIONS_PER_ATTEMPT
        )
    unit = OrgUnit.objects.filter(code="BENCH").first() or OrgUnit.add_root(
        code="BENCH", name="Phường Ba Đình", kind="ward"
    )
    position, _ = Position.objects.get_or_create(
        code="BENCH", defaults={"name": "Công chức khoa học và công nghệ cấp xã"}
    )
    have = StaffRecord.objects.filter(org_unit=unit).count()
    if have < takers:
        users = User.objects.bulk_create(
            User(username=f"bench{i:05d}", email=f"bench{i:05d}@example.vn", password="!")  # noqa: S106 - unusable
            for i in range(have, takers)
        )
        StaffRecord.objects.bulk_create(
            StaffRecord(
                personnel_number=f"BENCH-{i:05d}",
                full_name="Nguyễn Thị Thu Hương",
                org_unit=unit,
                position=position,
                user=user,
            )
            for i, user in zip(range(have, takers), users, strict=True)
        )
    staff = list(
        StaffRecord.objects.filter(org_unit=unit).select_related("user").order_by("pk")[:takers]
    )
    with django_connection().cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_ceiling (id int PRIMARY KEY, n bigint)")
        cursor.execute(
            "INSERT INTO bench_ceiling SELECT g, 0 FROM generate_series(0, %s) g "
            "ON CONFLICT DO NOTHING",
            [takers],
        )
    return exam, staff


def django_connection():
    from django.db import connection

    return connection


@dataclass
class Taker:
    index: int
    cookie: str
    csrf: str
    attempt_id: int = 0
    # per position: a valid answer (an option key the page offers)
    answers: list = field(default_factory=list)
    seq: int = 0


def sign_in(staff) -> list[Taker]:
    """A session per taker, as allauth's login leaves it; a CSRF cookie per taker."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store_class = import_string(settings.SESSION_ENGINE + ".SessionStore")
    takers = []
    for index, record in enumerate(staff):
        session = store_class()
        session[SESSION_KEY] = str(record.user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = record.user.get_session_auth_hash()
        session.create()
        session.save()
        csrf = secrets.token_hex(16)  # 32 characters, the length of Django's CSRF secret
        cookie = f"{settings.SESSION_COOKIE_NAME}={session.session_key}; csrftoken={csrf}"
        takers.append(Taker(index=index, cookie=cookie, csrf=csrf))
    return takers


def reset_attempts(exam) -> None:
    from assessments.models import Attempt, AttemptItem

    AttemptItem.objects.filter(attempt__exam=exam).delete()
    Attempt.objects.filter(exam=exam).delete()


def start_attempts(exam, staff, takers) -> None:
    from assessments.services import attempt_start

    for record, taker in zip(staff, takers, strict=True):
        attempt = attempt_start(exam=exam, staff=record)
        taker.attempt_id = attempt.pk
        taker.answers = [item.option_order[0] for item in attempt.items.order_by("position")]
        taker.seq = 0


# --- the load generator ------------------------------------------------------------------------
class Connection:
    """One keep-alive HTTP/1.1 connection to the server (reopened when the server closes it)."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict, body: bytes = b""):
        head = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            head.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        for retry in (True, False):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
                fresh = True
            else:
                fresh = False
            try:
                self.writer.write(raw)
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if fresh or not retry:
                    raise

    async def _response(self):
        header = await self.reader.readuntil(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                body += await self.reader.readexactly(size + 2)
                if size == 0:
                    break
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


@dataclass
class Tally:
    latencies: list = field(default_factory=list)  # seconds, measured requests
    errors: int = 0
    error_samples: list = field(default_factory=list)
    done: int = 0  # completed units (requests, or whole attempts)

    def error(self, text: str):
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(text[:300])


BOUNDARY = "----benchExamLoad7MA4YWxkTrZu0gW"


def multipart(fields: list[tuple[str, str]]) -> bytes:
    """The body a browser's FormData makes (what attempt.js posts)."""
    parts = []
    for name, value in fields:
        parts.append(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        )
    parts.append(f"--{BOUNDARY}--\r\n")
    return "".join(parts).encode()


BROWSER = {
    "User-Agent": "Mozilla/5.0 (Linux; Android 12) bench_exam_load",
    "Accept-Encoding": "gzip, deflate",
    "Accept-Language": "vi-VN,vi;q=0.9",
}


def page_headers(taker: Taker) -> dict:
    return {**BROWSER, "Accept": "text/html,*/*;q=0.8", "Cookie": taker.cookie}


def save_headers(taker: Taker) -> dict:
    return {
        **BROWSER,
        "Accept": "application/json",
        "X-CSRFToken": taker.csrf,
        "Cookie": taker.cookie,
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
    }


def question_path(attempt_id: int, position: int) -> str:
    return f"/attempts/{attempt_id}/questions/{position}/"


async def save_once(conn, taker: Taker, position: int, answer: str, tally: Tally) -> bool:
    taker.seq += 1
    body = multipart(
        [("csrfmiddlewaretoken", taker.csrf), ("seq", str(taker.seq)), ("answer", answer)]
    )
    status, _, text = await conn.request(
        "POST", question_path(taker.attempt_id, position), save_headers(taker), body
    )
    if status != 200 or b'"saved": true' not in text:
        tally.error(f"save {status} {text[:200]!r}")
        return False
    return True


def decoded(headers: dict, body: bytes) -> bytes:
    return gzip.decompress(body) if headers.get("content-encoding") == "gzip" else body


ANSWER_RE = re.compile(rb'name="answer" value="([^"]+)"')
LAST_SEQ_RE = re.compile(rb'data-last-seq="(\d+)"')
KEY_RE = re.compile(rb'name="idempotency_key" value="([^"]+)"')
ATTEMPT_RE = re.compile(r"/attempts/(\d+)/questions/1/")


async def run_takers(kind: str, takers: list[Taker], port: int, warmup: float, duration: float):
    tally = Tally()
    loop = asyncio.get_running_loop()
    t_start = loop.time()
    measure_from = t_start + warmup
    end = measure_from + duration

    def measured(t0: float, t1: float) -> bool:
        return t0 >= measure_from and t1 <= end

    async def page_loop(taker: Taker):
        conn = Connection(port)
        position = taker.index % QUESTIONS_PER_ATTEMPT
        while loop.time() < end:
            position = position % QUESTIONS_PER_ATTEMPT + 1
            t0 = loop.time()
            try:
                status, _, body = await conn.request(
                    "GET", question_path(taker.attempt_id, position), page_headers(taker)
                )
                ok = status == 200
                if not ok:
                    tally.error(f"page {status} {body[:200]!r}")
            except OSError as error:
                ok = False
                tally.error(f"page {error!r}")
            t1 = loop.time()
            if ok and measured(t0, t1):
                tally.latencies.append(t1 - t0)
                tally.done += 1
        conn.close()

    async def save_loop(taker: Taker):
        conn = Connection(port)
        position = taker.index % QUESTIONS_PER_ATTEMPT
        while loop.time() < end:
            position = position % QUESTIONS_PER_ATTEMPT + 1
            t0 = loop.time()
            try:
                ok = await save_once(conn, taker, position, taker.answers[position - 1], tally)
            except OSError as error:
                ok = False
                tally.error(f"save {error!r}")
            t1 = loop.time()
            if ok and measured(t0, t1):
                tally.latencies.append(t1 - t0)
                tally.done += 1
        conn.close()

    async def ceiling_loop(taker: Taker):
        conn = Connection(port)
        headers = {**save_headers(taker), "Content-Type": "application/x-www-form-urlencoded"}
        while loop.time() < end:
            t0 = loop.time()
            try:
                status, _, body = await conn.request(
                    "POST", f"/bench/ceiling/?row={taker.index}", headers, b""
                )
                ok = status == 200 and b'"saved": true' in body
                if not ok:
                    tally.error(f"ceiling {status} {body[:200]!r}")
            except OSError as error:
                ok = False
                tally.error(f"ceiling {error!r}")
            t1 = loop.time()
            if ok and measured(t0, t1):
                tally.latencies.append(t1 - t0)
                tally.done += 1
        conn.close()

    async def attempt_loop(taker: Taker):
        conn = Connection(port)
        form = {**page_headers(taker), "Content-Type": "application/x-www-form-urlencoded"}
        csrf_body = f"csrfmiddlewaretoken={taker.csrf}".encode()
        while loop.time() < end:
            t0 = loop.time()
            try:
                ok = await one_attempt(conn, taker, form, csrf_body)
            except OSError as error:
                ok = False
                tally.error(f"attempt {error!r}")
            t1 = loop.time()
            # an attempt takes longer than a request: every one completed in the window counts
            # (steady state of a closed loop); those still running at the end are abandoned
            if ok and measure_from <= t1 <= end:
                tally.latencies.append(t1 - t0)
                tally.done += 1
        conn.close()

    async def one_attempt(conn, taker: Taker, form: dict, csrf_body: bytes) -> bool:
        status, headers, body = await conn.request(
            "POST", f"/exams/{EXAM_ID}/start/", form, csrf_body
        )
        found = ATTEMPT_RE.search(headers.get("location", ""))
        if status != 302 or not found:
            tally.error(f"start {status} {headers.get('location')} {body[:200]!r}")
            return False
        taker.attempt_id = int(found.group(1))
        for position in range(1, QUESTIONS_PER_ATTEMPT + 1):
            if loop.time() > end:
                return False
            status, headers, body = await conn.request(
                "GET", question_path(taker.attempt_id, position), page_headers(taker)
            )
            body = decoded(headers, body)
            answer = ANSWER_RE.search(body)
            if status != 200 or not answer:
                tally.error(f"page {status} {body[:200]!r}")
                return False
            if position == 1:
                taker.seq = int(LAST_SEQ_RE.search(body).group(1))
            if not await save_once(conn, taker, position, answer.group(1).decode(), tally):
                return False
        status, headers, body = await conn.request(
            "GET", f"/attempts/{taker.attempt_id}/review/", page_headers(taker)
        )
        body = decoded(headers, body)
        key = KEY_RE.search(body)
        if status != 200 or not key:
            tally.error(f"review {status} {body[:200]!r}")
            return False
        status, headers, body = await conn.request(
            "POST",
            f"/attempts/{taker.attempt_id}/submit/",
            form,
            csrf_body + b"&idempotency_key=" + key.group(1),
        )
        if status != 302 or "/result/" not in headers.get("location", ""):
            tally.error(f"submit {status} {headers.get('location')} {body[:200]!r}")
            return False
        status, _, body = await conn.request(
            "GET", f"/attempts/{taker.attempt_id}/result/", page_headers(taker)
        )
        if status != 200:
            tally.error(f"result {status} {body[:200]!r}")
            return False
        return True

    loops = {
        "page": page_loop,
        "save": save_loop,
        "ceiling": ceiling_loop,
        "attempt": attempt_loop,
    }[kind]
    await asyncio.gather(*(loops(t) for t in takers))
    return tally


EXAM_ID = 0


@dataclass
class Result:
    scenario: str
    takers: int
    rate: float  # per second: requests, or attempts for "attempt"
    p50: float  # ms
    p95: float
    p99: float
    errors: int
    load: float  # 1-minute load average when the run ended
    client_cpu: float  # share of one core the load generator used
    machine_busy: float  # share of all cores busy during the run (server, database, client)
    samples: list = field(default_factory=list)


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def measure(kind: str, takers, port, warmup, duration, label) -> Result:
    cpu0 = time.process_time()
    ticks0 = cpu_ticks()
    tally = asyncio.run(run_takers(kind, takers, port, warmup, duration))
    ticks1 = cpu_ticks()
    cpu = time.process_time() - cpu0
    lat = sorted(tally.latencies) or [float("nan")]

    def pct(p):
        return lat[min(len(lat) - 1, int(p * len(lat)))] * 1000

    return Result(
        scenario=label,
        takers=len(takers),
        rate=tally.done / duration,
        p50=pct(0.50),
        p95=pct(0.95),
        p99=pct(0.99),
        errors=tally.errors,
        load=os.getloadavg()[0],
        client_cpu=cpu / (warmup + duration),
        machine_busy=(ticks1[0] - ticks0[0]) / max(1, ticks1[1] - ticks0[1]),
        samples=tally.error_samples,
    )


# --- orchestration ---------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for(url: str, limit_s=60.0) -> None:
    end = time.monotonic() + limit_s
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer at {url}")


def purge_broker() -> None:
    import redis

    redis.Redis.from_url(ENV["CELERY_BROKER_URL"]).flushdb()


SCENARIOS = {
    # name: (kind, takers)
    "page": ("page", 50),
    "save": ("save", 50),
    "save200": ("save", 200),
    "attempt": ("attempt", 50),
    "ceiling": ("ceiling", 50),
    "ceiling200": ("ceiling", 200),
}


def main() -> None:
    global EXAM_ID
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", default="ceiling,page,save,ceiling200,save200,attempt")
    parser.add_argument("--runs", type=int, default=1, help="runs of each; the median is kept")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--duration", type=float, default=12.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1, help=">1: gthread workers")
    parser.add_argument("--takers", type=int, help="override every scenario's number of takers")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    if args.takers:
        for name, (kind, _count) in SCENARIOS.items():
            SCENARIOS[name] = (kind, args.takers)
    scenarios = args.scenarios.split(",")

    os.environ.update(ENV)
    WORKDIR.mkdir(exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    create_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    most = max(SCENARIOS[s][1] for s in scenarios)
    exam, staff = seed(most)
    EXAM_ID = exam.pk
    reset_attempts(exam)
    all_takers = sign_in(staff)
    django_connection().close()

    args.idle_load = os.getloadavg()[0]  # before the server starts: the machine's other work
    port = free_port()
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "--bind", f"{HOST}:{port}",
        "--workers", str(args.workers),
        "--log-level", "warning",
        "--backlog", "2048",
        "lms.wsgi",
    ]  # fmt: skip
    if args.threads > 1:
        command[-1:-1] = ["--worker-class", "gthread", "--threads", str(args.threads)]
    server = subprocess.Popen(command, env={**os.environ}, cwd=ROOT)  # noqa: S603
    results: dict[str, list[Result]] = {}
    try:
        wait_for(f"http://{HOST}:{port}/healthz")
        for _ in range(args.runs):
            for name in scenarios:
                kind, count = SCENARIOS[name]
                takers = all_takers[:count]
                if kind in ("page", "save", "attempt"):
                    reset_attempts(exam)
                    if kind != "attempt":
                        start_attempts(exam, staff[:count], takers)
                    django_connection().close()
                # whole attempts: a longer warm-up, so that attempts finish all along the window
                warmup = args.warmup if kind != "attempt" else max(args.warmup, 15.0)
                duration = args.duration if kind != "attempt" else max(args.duration, 20.0)
                result = measure(kind, takers, port, warmup, duration, name)
                results.setdefault(name, []).append(result)
                print(
                    f"{name:10} {count:3} takers: {result.rate:7.1f}/s  p50 {result.p50:6.1f} ms"
                    f"  p95 {result.p95:6.1f} ms  p99 {result.p99:6.1f} ms  errors "
                    f"{result.errors}  load {result.load:.2f}  client CPU "
                    f"{100 * result.client_cpu:.0f}%  machine busy "
                    f"{100 * result.machine_busy:.0f}%",
                    flush=True,
                )
                for sample in result.samples:
                    print("   ", sample)
                time.sleep(1)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        purge_broker()
    medians = {name: median_result(runs) for name, runs in results.items()}
    block = markdown(medians, args)
    print(block)
    if args.write:
        write_doc(block)
        print(f"written to {DOC.relative_to(ROOT)}")


def median_result(runs: list[Result]) -> Result:
    ordered = sorted(runs, key=lambda r: r.rate)
    chosen = ordered[len(ordered) // 2]
    chosen.errors = sum(r.errors for r in runs)
    return chosen


TARGETS = {
    "page": ("≥ 300 requests/s", lambda r: r.rate >= 300),
    "save": ("≥ 500 requests/s", lambda r: r.rate >= 500),
    "save200": ("p95 ≤ 100 ms", lambda r: r.p95 <= 100),
    "attempt": ("≥ 9 attempts/s", lambda r: r.rate >= 9),
}


def markdown(medians: dict, args) -> str:
    rows = []
    ceiling50, ceiling200 = medians.get("ceiling"), medians.get("ceiling200")
    labels = {
        "page": "question page (GET), 50 takers",
        "save": "answer save (JSON), 50 takers",
        "save200": "answer save (JSON), 200 takers: p95",
        "attempt": "whole 20-question attempt (44 requests), 50 takers",
    }
    for name in ("page", "save", "save200", "attempt"):
        r = medians.get(name)
        if r is None:
            continue
        target, met = TARGETS[name]
        if name == "save200":
            product = f"p95 {r.p95:.0f} ms ({r.rate:.0f}/s, p50 {r.p50:.0f} ms)"
            ceiling = f"p95 {ceiling200.p95:.0f} ms ({ceiling200.rate:.0f}/s)" if ceiling200 else ""
            ratio = f"{ceiling200.p95 / r.p95:.2f}" if ceiling200 else ""
        elif name == "attempt":
            product = f"{r.rate:.1f} attempts/s ({44 * r.rate:.0f} requests/s)"
            ceiling = f"{ceiling50.rate / 44:.1f} attempts/s" if ceiling50 else ""
            ratio = f"{44 * r.rate / ceiling50.rate:.2f}" if ceiling50 else ""
        else:
            product = f"{r.rate:.0f} requests/s (p50 {r.p50:.0f} ms, p95 {r.p95:.0f} ms)"
            ceiling = f"{ceiling50.rate:.0f} requests/s" if ceiling50 else ""
            ratio = f"{r.rate / ceiling50.rate:.2f}" if ceiling50 else ""
        rows.append(
            f"| {labels[name]} | {product} | {ceiling} | {ratio} | {target} "
            f"| {'met' if met(r) else '**missed**'} | {r.errors} "
            f"| {100 * r.machine_busy:.0f}% / {r.load:.1f} |"
        )
    command = "BENCH_DATABASE_URL=... " if os.environ.get("BENCH_DATABASE_URL") else ""
    command += f".venv/bin/python bench/bench_exam_load.py --runs {args.runs}"
    if args.workers != 4:
        command += f" --workers {args.workers}"
    if args.threads > 1:
        command += f" --threads {args.threads}"
    command += " --write"
    server = (
        f"gunicorn, {args.workers} sync workers"
        if args.threads == 1
        else (f"gunicorn, {args.workers} gthread workers × {args.threads} threads")
    )
    return f"""{START_MARK}
Command: `{command}`

Measured {date.today().isoformat()} on {os.cpu_count()} cores: {server}, PostgreSQL, Redis
(cache, sessions, broker) and the load generator all on this machine; {args.warmup:g} s of
warm-up then {args.duration:g} s measured per scenario (whole attempts: 15 s and 20 s), median
of {args.runs} run(s). Load average before the server started: {args.idle_load:.1f}; "CPU busy"
is the share of both cores busy during the scenario (server, database and load generator
included), the load average is the one-minute one at its end.

| scenario | product | ceiling (one UPDATE, same stack) | ratio | target | | errors | CPU / load |
|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}
{END_MARK}"""


def write_doc(block: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if START_MARK in text and END_MARK in text:
        before, rest = text.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n## Exam load (issue 5)\n\n" + block + "\n"
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
