"""Where an exam request spends its time, in-process: the WSGI handler gunicorn calls, without
the network or the load generator (issue 5).

Run (PostgreSQL and Redis on 127.0.0.1, as for bench/bench_exam_load.py, whose database, seed
and settings it reuses):
    .venv/bin/python bench/profile_exam_requests.py [--requests 300] [--profile page|save|ceiling]

For the ceiling (one UPDATE behind the same middleware), a question page and a JSON save it
prints the CPU time of this process per request (median of --requests, after a warm-up), and
with --profile the functions that cost the most for that request. CPU time of this process
excludes PostgreSQL's and Redis's own work, which the load test counts.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import bench_exam_load as load  # noqa: E402


def wsgi_environ(method: str, path: str, taker, body: bytes = b"", content_type: str = ""):
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_NAME": load.HOST,
        "SERVER_PORT": "80",
        "HTTP_HOST": load.HOST,
        "HTTP_COOKIE": taker.cookie,
        "HTTP_ACCEPT_ENCODING": "gzip",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_ADDR": load.HOST,
    }
    if method == "POST":
        environ["HTTP_X_CSRFTOKEN"] = taker.csrf
        environ["HTTP_ACCEPT"] = "application/json"
        environ["CONTENT_TYPE"] = content_type
    return environ


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--profile", choices=["page", "save", "ceiling"])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="cumulative, tottime, ...")
    args = parser.parse_args()

    os.environ.update(load.ENV)
    load.WORKDIR.mkdir(exist_ok=True)
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command

    load.create_database()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    exam, staff = load.seed(1)
    load.reset_attempts(exam)
    taker = load.sign_in(staff[:1])[0]
    load.start_attempts(exam, staff[:1], [taker])
    handler = WSGIHandler()
    count = load.QUESTIONS_PER_ATTEMPT

    def call(environ):
        status = []
        body = b"".join(handler(environ, lambda s, h, *a: status.append(s)))
        if not status[0].startswith(("200", "302")):
            raise SystemExit(f"{environ['PATH_INFO']}: {status[0]}\n{body[:500]!r}")
        return body

    def page(n):
        return wsgi_environ("GET", load.question_path(taker.attempt_id, n % count + 1), taker)

    def save(n):
        position = n % count + 1
        taker.seq += 1
        body = load.multipart([("seq", str(taker.seq)), ("answer", taker.answers[position - 1])])
        content_type = f"multipart/form-data; boundary={load.BOUNDARY}"
        path = load.question_path(taker.attempt_id, position)
        return wsgi_environ("POST", path, taker, body, content_type)

    def ceiling(n):
        return wsgi_environ("POST", "/bench/ceiling/?row=0", taker, b"", "text/plain")

    kinds = {"ceiling": ceiling, "page": page, "save": save}
    for name, make in kinds.items():
        for n in range(50):  # warm-up: caches, compiled templates, connections
            call(make(n))
        costs = []
        for n in range(args.requests):
            environ = make(n)
            started = time.process_time()
            call(environ)
            costs.append(time.process_time() - started)
        print(f"{name:8} {1000 * statistics.median(costs):6.2f} ms CPU per request (median)")

    if args.profile:
        make = kinds[args.profile]
        profiler = cProfile.Profile()
        for n in range(args.requests):
            environ = make(n)
            profiler.enable()
            call(environ)
            profiler.disable()
        stats = pstats.Stats(profiler).sort_stats(args.sort)
        stats.print_stats(args.top)


if __name__ == "__main__":
    main()
