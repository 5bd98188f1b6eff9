"""Documents off the web worker (README "Documents and the worker"): a plan of 2,000
projects rendered by the document worker, a plain page's p95 while four documents
render against its idle p95, and a repeat download from storage.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \
        .venv/bin/python bench/documents.py [--projects 2000] [--staff 500] [--requests 60]

It makes a throwaway database (bench/_common.py), an organisation of ``--staff`` people
and a plan of ``--projects`` projects (bench/plans.py), and starts on 127.0.0.1 only:

- gunicorn as the README's production command, 2 sync workers, its default 30 s
  timeout, with the database task backend;
- one `manage.py document_worker` under `nice -n 19`, as deploy/portal-worker.service
  runs it, started again whenever it exits (its limits), as systemd would.

Then, as the HR officer: ``--requests`` requests of a plain page (the plan list) while
nothing renders; the four documents of the plan (the plan book and the three annual
plans) asked for — each answers at once with the waiting page — and the same plain
page asked for again while they render; every answer's status (no 5xx anywhere); the
render time of each document in the worker; and the repeat download of the plan book
from storage, over HTTP and in-process with its query count. Bounded: every loop has
a count and a deadline, and everything it started is stopped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import ROOT, throwaway_database

DEADLINE_S = 3600
#: Between two requests: one reader clicking, not a load test (the machine is shared).
PAUSE_S = 0.2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


class Http:
    """Requests to the local gunicorn with the HR officer's session cookie."""

    def __init__(self, port: int, session: str) -> None:
        self.port, self.session = port, session
        self.statuses: list[int] = []

    def get(self, path: str, **headers: str) -> tuple[int, bytes, dict, float]:
        time.sleep(PAUSE_S)
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        start = time.perf_counter()
        connection.request("GET", path, headers={"Cookie": f"sessionid={self.session}", **headers})
        response = connection.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - start
        connection.close()
        self.statuses.append(response.status)
        return response.status, body, dict(response.getheaders()), elapsed


def wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--staff", type=int, default=500)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()

    url, clean_up = throwaway_database("bench_documents")
    media = tempfile.mkdtemp(prefix="bench-documents-media-")
    # A 2,000-project plan book on a busy shared machine may need more than the
    # production default of 300 s; DOCUMENT_TIME_LIMIT in the environment wins.
    os.environ.setdefault("DOCUMENT_TIME_LIMIT", "1800")
    # A cache of its own: the renderer's HTML-keyed cache (var/cache/pdf) would serve the
    # same generated plan from an earlier run.
    os.environ.update(
        TASKS_BACKEND="database", MEDIA_ROOT=media, PDF_CACHE_DIR=f"{media}/pdf-cache"
    )
    processes: list[subprocess.Popen] = []
    started = time.monotonic()
    deadline = started + DEADLINE_S
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from bench.plans import _organisation, _plan
        from portal import data_version
        from portal.models import RenderedDocument

        call_command("migrate", verbosity=0)
        organization, user, units = _organisation(args.staff)
        build = time.perf_counter()
        plan = _plan(organization, units, args.projects)
        print(f"made a plan of {args.projects} projects in {time.perf_counter() - build:.0f} s")
        # The data was written by this process, outside a request: its organisation's
        # data version moves on now, before another process looks at it.
        data_version.flush_process_writes()
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value

        env = {**os.environ, "DATABASE_URL": url}
        port = free_port()
        gunicorn = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--workers", "2"]
        gunicorn += ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        processes.append(subprocess.Popen(gunicorn, cwd=ROOT, env=env))
        wait_for(port, deadline)
        web = Http(port, session)
        plain = reverse("plans:list")
        for _n in range(5):
            web.get(plain)
        idle = [web.get(plain)[3] for _n in range(args.requests)]

        worker_command = ["nice", "-n", "19", sys.executable, "manage.py", "document_worker"]
        worker_command += ["--interval", "0.2", "--no-startup-delay"]
        workers: list[subprocess.Popen] = []

        def worker_alive() -> None:
            """Start the worker, and again whenever it exited (as systemd would)."""
            if not workers or workers[-1].poll() is not None:
                workers.append(subprocess.Popen(worker_command, cwd=ROOT, env=env))
                processes.append(workers[-1])

        documents = [reverse("plans:plan_pdf", args=[plan.pk])] + [
            reverse("plans:annual_pdf", args=[plan.pk, fy]) for fy in plan.fiscal_years
        ]
        asked = [web.get(path) for path in documents]
        worker_alive()
        busy = []
        while time.monotonic() < deadline:
            worker_alive()
            busy.append(web.get(plain)[3])
            # Polls as the waiting page does, every couple of requests.
            if len(busy) % 4 == 0:
                web.get(documents[len(busy) // 4 % 4], **{"HX-Request": "true"})
            if not RenderedDocument.objects.exclude(status="ready").exists():
                break
        rendered = list(RenderedDocument.objects.order_by("created_at"))
        repeat = [web.get(documents[0])[3] for _n in range(args.requests)]
        queries: list[str] = []
        with connection.execute_wrapper(
            lambda run, sql, *rest: queries.append(sql) or run(sql, *rest)
        ):
            response = client.get(documents[0])
        in_process = []
        for _n in range(args.requests):
            start = time.perf_counter()
            client.get(documents[0])
            in_process.append(time.perf_counter() - start)

        print(
            f"database: {connection.vendor}; python {sys.version.split()[0]}; "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; gunicorn 2 sync "
            f"workers; 1 document worker (nice 19); DOCUMENT_TIME_LIMIT "
            f"{os.environ['DOCUMENT_TIME_LIMIT']} s"
        )
        print(
            "documents asked for: first answer "
            + ", ".join(f"{status} in {elapsed * 1000:.0f} ms" for status, *_r, elapsed in asked)
        )
        for document in rendered:
            took = (
                (document.finished_at - document.started_at).total_seconds()
                if (document.finished_at and document.started_at)
                else float("nan")
            )
            print(
                f"  {document.kind} {document.params}: {document.status}, {took:.1f} s in the "
                f"worker, {(document.size or 0) / 2**20:.1f} MiB {document.error[:80]}"
            )
        ratio = p95(busy) / p95(idle)
        print(
            f"plain page ({plain}) p95: idle {p95(idle) * 1000:.0f} ms, while four documents "
            f"render {p95(busy) * 1000:.0f} ms over {len(busy)} requests; ratio {ratio:.2f} "
            f"(aim ≤ 1.2); medians {statistics.median(idle) * 1000:.0f} / "
            f"{statistics.median(busy) * 1000:.0f} ms"
        )
        print(
            f"repeat download of the plan book from storage: over HTTP median "
            f"{statistics.median(repeat) * 1000:.1f} ms, p95 {p95(repeat) * 1000:.1f} ms; "
            f"in-process median {statistics.median(in_process) * 1000:.1f} ms with "
            f"{len(queries)} queries ({response.status_code}, {response.get('Content-Type')}, "
            f"{len(response.content) / 2**20:.1f} MiB)"
        )
        errors = [status for status in web.statuses if status >= 500]
        print(
            f"answers: {len(web.statuses)}, 5xx: {len(errors)}; worker restarts by its "
            f"limits: {len(workers) - 1}; total {time.monotonic() - started:.0f} s"
        )
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        clean_up()
        subprocess.run(["rm", "-rf", media], check=False)


if __name__ == "__main__":
    main()
