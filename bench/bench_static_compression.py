"""Static files on the wire in the embedded mode: the question page's CSS and JS served by
runserver's static view (before) and by WhiteNoise, pre-compressed (after, `make run`).

Run: .venv/bin/python bench/bench_static_compression.py [--write] [--keep]

Self-contained and stops by itself. In a temporary folder it creates a SQLite database, migrates
it, collects the static files with the compressed storage (hashed names, .gz and .br copies:
lms/staticfiles.py) and seeds the demo; the demo officer (`canbo`) starts an attempt at the
metrology exam (its course-completion condition lifted in this database only). It then serves
the site twice with `manage.py runserver --noreload` on 127.0.0.1, in the embedded mode's
settings (lms.settings.base, DEBUG on):
  before  STATIC_COMPRESSED=false: Django's static view answers /static/ (what `make run` did),
  after   STATIC_COMPRESSED=true: WhiteNoise answers from the collected files (what it does now).
Each time it signs in over HTTP, reads the first question page, and requests every stylesheet
and script the page links to, over a raw socket with the request headers Chromium sends
(`Accept-Encoding: gzip, deflate, br, zstd`). Bytes on the wire are everything the server sent
for the request: status line, headers and body. A revisit is the same request made again with
what the first answer allows: nothing (fresh, `immutable`) or a conditional request
(`If-Modified-Since` / `If-None-Match`, answered 304).

The transfer time is estimated for the link the project measures pages on (docs/benchmarks.md,
"Page weight"; Chromium's "Regular 2G" preset throttles the same way): 250 kbit/s down and
300 ms of round trip, each request one round trip plus its bytes at 250 kbit/s; the page's CSS
and JS are requested together once the HTML has arrived, so the page pays one round trip and
the sum of their bytes. No TCP or TLS set-up is counted (the connection of the HTML is reused).
With --write the table replaces the block between the markers in docs/benchmarks.md, or is
appended as a section of its own (nothing else in that file is touched).
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass
from datetime import date
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DOC = ROOT / "docs" / "benchmarks.md"
START_MARK = "<!-- bench_static_compression:start -->"
END_MARK = "<!-- bench_static_compression:end -->"
HOST = "127.0.0.1"
# the link of docs/benchmarks.md's page weight figures (bench/bench_transfer_sizes.py)
DOWN_BITS_PER_S = 250_000
RTT_S = 0.300
ACCEPT_ENCODING = "gzip, deflate, br, zstd"  # what Chromium sends
USER_AGENT = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 Chrome/131.0 Mobile"
EXAM_TITLE = "Đo lường cơ bản"
OFFICER = "canbo"


@dataclass
class Fetch:
    url: str
    status: int
    wire: int  # bytes the server sent: status line, headers, body
    body: int
    raw: int  # the file's size as it is (identity)
    encoding: str
    cache_control: str
    revisit_wire: int  # bytes of the revisit; 0 when the browser need not ask
    revisit_status: int  # 0 when no request is made

    @property
    def kind(self) -> str:
        return "CSS" if self.url.split("?")[0].endswith(".css") else "JS"


def transfer_s(n_bytes: int) -> float:
    return RTT_S + n_bytes * 8 / DOWN_BITS_PER_S


# --- HTTP ----------------------------------------------------------------------------------------
def raw_get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes, int]:
    """GET over a fresh socket; returns status, headers (lower-case names), body and the number
    of bytes received in all."""
    lines = [f"GET {path} HTTP/1.1", f"Host: {HOST}:{port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    with socket.create_connection((HOST, port), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    data = b"".join(chunks)
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parsed: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), parsed, body, len(data)


def http(port: int, method: str, path: str, cookies: dict, form: dict | None = None):
    """A plain request through urllib (no redirect following); returns status, headers, text
    and the cookies it set merged into `cookies`."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    data = urlencode(form).encode() if form is not None else None
    request = urllib.request.Request(  # noqa: S310 - 127.0.0.1 only
        f"http://{HOST}:{port}{path}", data=data, method=method
    )
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    opener = urllib.request.build_opener(NoRedirect)
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:  # 3xx land here without a redirect handler
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            cookies[name] = morsel.value
    return response.status, response.headers, response.read().decode("utf-8", "replace")


def sign_in(port: int, password: str) -> dict:
    cookies: dict = {}
    _, _, page = http(port, "GET", "/accounts/login/", cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    status, _, _ = http(
        port,
        "POST",
        "/accounts/login/",
        cookies,
        {"login": OFFICER, "password": password, "csrfmiddlewaretoken": token},
    )
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"signing in as {OFFICER} failed ({status})")
    return cookies


def page_assets(html: str) -> list[str]:
    """The stylesheets and scripts a page links to, in document order."""
    css = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    js = re.findall(r'<script src="([^"]+)"', html)
    return css + js


def fetch(port: int, url: str, source: Path) -> Fetch:
    request = {"Accept-Encoding": ACCEPT_ENCODING, "User-Agent": USER_AGENT, "Accept": "*/*"}
    status, headers, body, wire = raw_get(port, url, request)
    if status != 200:
        raise RuntimeError(f"{url}: {status}")
    cache_control = headers.get("cache-control", "")
    if "immutable" in cache_control or re.search(r"max-age=[1-9]", cache_control):
        revisit_wire, revisit_status = 0, 0  # fresh: the browser takes its copy
    else:
        conditional = dict(request)
        if "last-modified" in headers:
            conditional["If-Modified-Since"] = headers["last-modified"]
        if "etag" in headers:
            conditional["If-None-Match"] = headers["etag"]
        revisit_status, _, _, revisit_wire = raw_get(port, url, conditional)
    return Fetch(
        url=url,
        status=status,
        wire=wire,
        body=len(body),
        raw=source.stat().st_size,
        encoding=headers.get("content-encoding", "identity"),
        cache_control=cache_control or "(none)",
        revisit_wire=revisit_wire,
        revisit_status=revisit_status,
    )


# --- the site --------------------------------------------------------------------------------
def prepare(env: dict) -> str:
    """Database, collected static files, demo data, and the officer's attempt; returns the
    path of its first question page."""
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from assessments.models import Exam
    from assessments.services import attempt_start
    from demo.seed import seed_demo
    from staff.models import StaffRecord

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seed_demo()
    exam = Exam.objects.get(title__contains=EXAM_TITLE)
    Exam.objects.filter(pk=exam.pk).update(requires_course_completion=False)
    exam.refresh_from_db()
    attempt = attempt_start(exam=exam, staff=StaffRecord.objects.get(user__username=OFFICER))
    return f"/attempts/{attempt.pk}/questions/1/"


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


def measure(mode: str, env: dict, question_path: str, password: str) -> list[Fetch]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "runserver", "--noreload", f"{HOST}:{port}"],
        env={**env, "STATIC_COMPRESSED": "true" if mode == "after" else "false"},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(f"http://{HOST}:{port}/healthz")
        cookies = sign_in(port, password)
        status, _, html = http(port, "GET", question_path, cookies)
        if status != 200:
            raise RuntimeError(f"question page: {status}")
        assets = page_assets(html)
        if not any("attempt" in a for a in assets):
            raise RuntimeError(f"no attempt.js on the question page: {assets}")
        results = []
        for url in assets:
            name = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", url.split("?")[0])
            results.append(fetch(port, url, ROOT / "static" / name.removeprefix("/static/")))
        return results
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


# --- reporting ---------------------------------------------------------------------------------
def kb(n: int) -> str:
    return f"{n / 1000:.1f}"


def table(results: dict[str, list[Fetch]]) -> str:
    lines = [
        "| served by | file | as it is | on the wire | Content-Encoding | Cache-Control "
        "| 2G, alone | revisit |",
        "|---|---|---|---|---|---|---|---|",
    ]
    labels = {"before": "runserver's static view", "after": "WhiteNoise (`make run`)"}
    for mode, fetches in results.items():
        for f in fetches:
            revisit = (
                "no request"
                if not f.revisit_status
                else f"{f.revisit_status}, {f.revisit_wire} B, {transfer_s(f.revisit_wire):.2f} s"
            )
            lines.append(
                f"| {labels[mode]} | `{f.url}` | {kb(f.raw)} kB | **{kb(f.wire)} kB** "
                f"| {f.encoding} | {f.cache_control} | {transfer_s(f.wire):.2f} s | {revisit} |"
            )
        total = sum(f.wire for f in fetches)
        revisits = [f for f in fetches if f.revisit_status]
        revisit = (
            "no request"
            if not revisits
            else f"{len(revisits)} × 304, {transfer_s(sum(f.revisit_wire for f in revisits)):.2f} s"
        )
        lines.append(
            f"| {labels[mode]} | **CSS + JS of the page** | "
            f"{kb(sum(f.raw for f in fetches))} kB | **{kb(total)} kB** | | "
            f"| **{transfer_s(total):.2f} s** | {revisit} |"
        )
    return "\n".join(lines)


def markdown(results: dict[str, list[Fetch]]) -> str:
    before = sum(f.wire for f in results["before"])
    after = sum(f.wire for f in results["after"])
    note = textwrap.fill(
        f"Measured {date.today().isoformat()} on {os.cpu_count()} cores, Python "
        f"{sys.version.split()[0]}: the demo officer's first question page of the metrology "
        "exam, its stylesheets and scripts requested with Chromium's `Accept-Encoding`. Bytes "
        "on the wire: status line, headers and body, kB = 1,000 bytes. Times estimated for "
        f"{DOWN_BITS_PER_S // 1000} kbit/s down and {RTT_S * 1000:.0f} ms per round trip "
        "(one round trip plus the bytes; the page's CSS and JS share one round trip). "
        f"CSS and JS of the page: {kb(before)} kB → {kb(after)} kB "
        f"({after / before:.0%}), {transfer_s(before):.2f} s → {transfer_s(after):.2f} s.",
        width=96,
        break_on_hyphens=False,
    )
    return f"{START_MARK}\n{note}\n\n{table(results)}\n{END_MARK}"


SECTION = """## Static files on the wire in the embedded mode (issue 16, item 25)

Command (self-contained: a temporary SQLite database and collected static folder, the demo
data, `manage.py runserver --noreload` on 127.0.0.1 with the embedded settings, once with
`STATIC_COMPRESSED=false`, runserver's static view as `make run` used to serve, once with
`STATIC_COMPRESSED=true`, WhiteNoise serving what `collectstatic` wrote, as `make run` does now;
`--write` replaces the figures below):

```
.venv/bin/python bench/bench_static_compression.py --write
```

`make run` collects the static files (`collectstatic`, again only when one changed) with
`lms.staticfiles.CompressedManifestStorage`, production's storage: hashed names, a .gz and a .br
copy of each file; `{{% static %}}` gives the hashed name even under DEBUG, and runserver leaves
/static/ to WhiteNoise (`whitenoise.runserver_nostatic`), which sends the brotli copy to a
browser that accepts it and marks hashed names cacheable for ten years (`immutable`). Before,
runserver's static view sent each file as it is with no Cache-Control: the browser either asked
again on every page (a 304 round trip per file) or reused it for a while by guesswork (10 % of
its age since Last-Modified). The HTML itself is unchanged (GZipMiddleware in both cases).
Guarded by `tests/lms/test_static_serving.py`.

{block}
"""


def write_doc(block: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    if START_MARK in text and END_MARK in text:
        before, rest = text.split(START_MARK, 1)
        after = rest.split(END_MARK, 1)[1]
        text = before + block + after
    else:
        text = text.rstrip("\n") + "\n\n" + SECTION.format(block=block)
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-static-"))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STATIC_"))},
        "DJANGO_SETTINGS_MODULE": "lms.settings.base",
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "CACHE_URL": "dbcache://django_cache",
        "CELERY_BROKER_URL": "",
        "STATIC_COMPRESSED": "true",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
        "CERTIFICATE_SIGNER_DIR": str(workdir / "signing"),
        "LOG_LEVEL": "WARNING",
    }
    try:
        print(f"preparing {workdir} …", flush=True)
        question_path = prepare(env)
        from demo.accounts import DEMO_PASSWORD

        results = {}
        for mode in ("before", "after"):
            print(f"measuring {mode} …", flush=True)
            results[mode] = measure(mode, env, question_path, DEMO_PASSWORD)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    block = markdown(results)
    print(block)
    if args.write:
        write_doc(block)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
