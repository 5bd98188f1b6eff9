"""A bounded load test of the self-assessment journey against the README's production
command: ``gunicorn -c gunicorn.conf.py portal.wsgi`` with 2 sync workers, DEBUG off,
on 127.0.0.1 only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/load.py [--users 200] [--pause 2] [--ramp 60] [--modes all]

It creates a throwaway PostgreSQL database next to the one in DATABASE_URL
(``bench_load_<pid>``), migrates it, collects the static files, and creates one
organisation with ``--users`` staff, each with a login and an open ocsc-2561 round.
Every user (one thread each) logs in once — the login page, then
the POST — and fills the whole self-assessment: each step opened and saved with an answer
to every statement, the review step, then the submit and the page it leads to. Run once
with no pause and once with a pause of 0.5–1.5× ``--pause`` seconds between requests
(someone reading the statements), both with everyone starting in the same second; then
once more with the pause and the starts spread evenly over ``--ramp`` seconds (a round's
opening as it happens: people open the link over the first minutes, not all at once).
It reports requests/s, p50/p95/p99, errors (any status
other than the journey's expected one, or no answer) and, from the database afterwards,
the answers lost (answers expected vs stored), the assessments submitted and the CPU
seconds gunicorn's workers spent per request (read from /proc; Linux), then
drops the database. Requests carry ``X-Forwarded-Proto: https`` as the README's proxy does.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import ROOT, throwaway_database

sys.path.insert(0, str(ROOT / ".ci"))
from production_smoke import Browser, free_port, wait_until_up

PASSWORD = "bench-load-password-2569"
RADIO = re.compile(r'type="radio" name="(item_\d+)" value="(\d+)"')
#: A regular expression, not the smoke check's HTML parser: the load generator shares the
#: machine's cores with gunicorn, and parsing every page would take from the server.
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def csrf(body: bytes) -> str:
    found = CSRF.search(body.decode("utf-8", "replace"))
    return found.group(1) if found else ""


def workers_cpu(master: int) -> float:
    """CPU seconds of gunicorn's workers so far: the live ones, and those the master has
    already replaced (max_requests) and reaped."""
    tick = os.sysconf("SC_CLK_TCK")

    def fields(pid: int) -> list[str]:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()

    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    live = sum(int(fields(int(pid))[11]) + int(fields(int(pid))[12]) for pid in children)
    reaped = int(fields(master)[13]) + int(fields(master)[14])
    return (live + reaped) / tick


@dataclass
class Record:
    """Every request of a run: (what, seconds, ok)."""

    requests: list[tuple[str, float, bool]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, what: str, seconds: float, ok: bool, detail: str = "") -> None:
        with self.lock:
            self.requests.append((what, seconds, ok))
            if not ok and len(self.failures) < 10:
                self.failures.append(f"{what}: {detail}")


def _people(users: int):
    """One organisation, ``users`` staff with logins, an open round; its pk."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from bench.assessment import _organisation
    from portal.models import Membership, Role
    from staff.models import StaffMember

    the_round, first = _organisation(users)
    first.set_password(PASSWORD)
    first.save()
    User = get_user_model()
    password = make_password(PASSWORD)  # hashed once: the same for every bench login
    people = list(
        StaffMember.objects.filter(organization=the_round.organization)
        .exclude(user=first)
        .order_by("pk")
    )
    accounts = User.objects.bulk_create(
        User(username=f"bench-staff-{index}", password=password) for index in range(len(people))
    )
    Membership.objects.bulk_create(
        Membership(user=user, organization=the_round.organization, role=Role.STAFF)
        for user in accounts
    )
    for person, user in zip(people, accounts, strict=True):
        person.user = user
    StaffMember.objects.bulk_update(people, ["user"])
    return the_round.pk, [first.username] + [user.username for user in accounts]


def journey(
    base: str, username: str, round_pk: int, pause: float, record: Record, start: float = 0.0
) -> None:
    browser = Browser(base)
    time.sleep(start)

    def call(what: str, path: str, data: dict | None, expect: int):
        if pause:
            time.sleep(random.uniform(0.5, 1.5) * pause)
        began = time.perf_counter()
        try:
            response = browser.request(path, data)
        except OSError as error:
            record.add(what, time.perf_counter() - began, False, repr(error))
            return None
        ok = response.status == expect
        record.add(what, time.perf_counter() - began, ok, f"{path} answered {response.status}")
        return response if ok else None

    login = call("login page", "/accounts/login/", None, 200)
    if login is None:
        return
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf(login.body)}
    if call("login", "/accounts/login/", form, 302) is None:
        return
    path = f"/skills/rounds/{round_pk}/assess/?step=1"
    while True:
        page = call("step open", path, None, 200)
        if page is None:
            return
        html = page.body.decode("utf-8", "replace")
        choices: dict[str, list[str]] = {}
        for name, value in RADIO.findall(html):
            choices.setdefault(name, []).append(value)
        if not choices:  # the review step: nothing left to answer
            break
        answers = {name: random.choice(values) for name, values in choices.items()}
        answers |= {"go": "next", "csrfmiddlewaretoken": csrf(page.body)}
        saved = call("step save", path, answers, 302)
        if saved is None:
            return
        location = urllib.parse.urlsplit(saved.headers["Location"])
        path = f"{location.path}?{location.query}"
    submit = f"/skills/rounds/{round_pk}/assess/submit/"
    done = call("submit", submit, {"csrfmiddlewaretoken": csrf(page.body)}, 302)
    if done is not None:
        call("result page", urllib.parse.urlsplit(done.headers["Location"]).path, None, 200)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(
    base: str, usernames: list[str], round_pk: int, pause: float, ramp: float
) -> tuple[Record, float]:
    """Every journey at once, each user's start ``ramp / users`` seconds after the one
    before (all together with no ramp); the time returned runs from the first start."""
    record = Record()
    step = ramp / len(usernames)
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(usernames)) as pool:
        for index, username in enumerate(usernames):
            pool.submit(journey, base, username, round_pk, pause, record, index * step)
    return record, time.perf_counter() - began


def stored(round_pk: int) -> tuple[int, int, int]:
    """(answers expected, answers stored, assessments submitted) of the round."""
    from skills.models import Answer, Assessment, AssessmentRound, Item
    from staff.models import StaffMember

    the_round = AssessmentRound.objects.get(pk=round_pk)
    items = Item.objects.filter(domain__framework=the_round.framework).count()
    people = StaffMember.objects.filter(organization=the_round.organization_id)
    people = people.exclude(user=None).count()
    answers = Answer.objects.filter(assessment__round=the_round).count()
    submitted = Assessment.objects.filter(round=the_round).submitted().count()
    return items * people, answers, submitted


def clear_answers(round_pk: int) -> None:
    from skills.models import Assessment

    Assessment.objects.filter(round_id=round_pk).delete()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--pause", type=float, default=2.0, help="mean think time, seconds")
    parser.add_argument(
        "--ramp", type=float, default=60.0, help="seconds over which the starts spread (ramp)"
    )
    parser.add_argument(
        "--modes", choices=["all", "no-pause", "pause", "ramp"], nargs="+", default=["all"]
    )
    parser.add_argument("--host", default="127.0.0.1", help="only 127.0.0.1 is accepted")
    args = parser.parse_args()
    if args.host != "127.0.0.1":
        sys.exit("bench/load.py runs against its own gunicorn on 127.0.0.1 only.")
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        sys.exit("bench/load.py needs DATABASE_URL on a PostgreSQL server.")

    url, clean_up = throwaway_database("bench_load")
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    gunicorn = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        round_pk, usernames = _people(args.users)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "GUNICORN_CMD_ARGS"}}
        env |= {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
            "DATABASE_URL": url,
            "STATIC_ROOT": str(work / "static"),
            "MEDIA_ROOT": str(work / "media"),
            "PDF_CACHE_DIR": str(work / "pdf-cache"),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "2",
        }
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        command = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"]
        log_file = work / "gunicorn.log"
        with log_file.open("wb") as out:
            gunicorn = subprocess.Popen(
                [*command, "portal.wsgi"], cwd=ROOT, env=env, stdout=out, stderr=out
            )
        wait_until_up(Browser(base), gunicorn, log_file)

        modes = {
            "no-pause": ("no pause, all at once", 0.0, 0.0),
            "pause": (f"{args.pause:g} s pause, all at once", args.pause, 0.0),
            "ramp": (f"{args.pause:g} s pause, starts over {args.ramp:g} s", args.pause, args.ramp),
        }
        chosen = list(modes) if "all" in args.modes else args.modes
        # Warm both workers up (imports, templates, the questionnaire in memory) so that
        # the first mode measured does not pay for it.
        run(base, usernames[:4], round_pk, 0.0, 0.0)
        rows = []
        for mode in chosen:
            label, pause, ramp = modes[mode]
            clear_answers(round_pk)
            load, cpu = os.getloadavg()[0], workers_cpu(gunicorn.pid)
            record, seconds = run(base, usernames, round_pk, pause, ramp)
            cpu = workers_cpu(gunicorn.pid) - cpu
            expected, answers, submitted = stored(round_pk)
            times = [took * 1000 for _what, took, _ok in record.requests]
            errors = sum(1 for *_rest, ok in record.requests if not ok)
            rows.append(
                f"| {label} | {args.users} | {len(times)} "
                f"| {len(times) / seconds:.0f} | {statistics.median(times):.0f} "
                f"| {percentile(times, 0.95):.0f} | {percentile(times, 0.99):.0f} "
                f"| {errors} | {expected - answers} of {expected} | {submitted} "
                f"| {cpu * 1000 / len(times):.1f} | {len(times) / cpu:.0f} "
                f"| {load:.1f} → {os.getloadavg()[0]:.1f} |"
            )
            for failure in record.failures:
                print(f"   {label}: {failure}", file=sys.stderr)
            # Which requests the time goes to: each kind's median and p95, on stderr.
            kinds: dict[str, list[float]] = {}
            for what, took, _ok in record.requests:
                kinds.setdefault(what, []).append(took * 1000)
            for what, values in kinds.items():
                print(
                    f"   {label}: {what}: {len(values)} requests, "
                    f"p50 {statistics.median(values):.0f} ms, "
                    f"p95 {percentile(values, 0.95):.0f} ms",
                    file=sys.stderr,
                )
        cores = os.cpu_count()
        print(f"\ngunicorn -c gunicorn.conf.py portal.wsgi, 2 sync workers, {cores} CPUs\n")
        print(
            "| run (think time) | users | requests | requests/s | p50 ms | p95 ms | p99 ms "
            "| errors | answers lost | submitted | worker CPU ms/request "
            "| requests per worker CPU-second | load average (1 min) |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
        print(*rows, sep="\n")
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
        clean_up()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
