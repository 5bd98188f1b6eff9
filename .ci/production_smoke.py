"""Production smoke check: the portal as the README's "Production" section runs it.

DEBUG off, a PostgreSQL database of its own (``smoke_<random>``, dropped at the end),
``migrate``, ``seed_demo``, ``collectstatic`` into a temporary STATIC_ROOT (so the
manifest-hashed names production has), then gunicorn exactly as the README starts it,
on a free 127.0.0.1 port. Requests carry ``X-Forwarded-Proto: https`` as the README's
proxy does, so SECURE_SSL_REDIRECT, secure cookies and the CSRF origin check are live.

For each demo role it logs in, walks the links of the main navigation and the pages
under them (a few of each kind of page), and fetches every PDF it finds on the way.
It fails on any error status, on a PDF without Sarabun embedded or whose pages are not
A4 in the orientation its document has, on a document kind it never reached, and on
the renderer's "refused to fetch" (or any traceback) in gunicorn's log. PDFs are
rendered by the document worker (``manage.py document_worker``, started beside
gunicorn): the check follows each waiting page as htmx does until the file is there.

Tests run with DEBUG on and never see the hashed names; this is what does.

    .venv/bin/python .ci/production_smoke.py   # DATABASE_URL: the server to use

gunicorn starts as the README says, ``gunicorn -c gunicorn.conf.py portal.wsgi``, with
GUNICORN_BIND set to the free port and GUNICORN_WORKERS=3. A gunicorn worker killed by its
30 s timeout fails the check too. On a machine too loaded to render a plan book in 30 s,
GUNICORN_TIMEOUT=120 (passed through, read by gunicorn.conf.py) lets the check run with the
README's command unchanged.
"""

from __future__ import annotations

import argparse
import html.parser
import io
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REFUSAL = "PDF renderer refused to fetch"

#: What each printed document must look like: (kind, path pattern, orientation rule).
#: "portrait"/"landscape": every page; "mixed": a portrait first page (the cover) and
#: at least one landscape page (templates/plans/pdf/plan_book.html, part 5).
DOCUMENTS = [
    ("plan book", re.compile(r"/plans/\d+/pdf/$"), "mixed"),
    ("annual plan", re.compile(r"/plans/\d+/years/\d+/pdf/$"), "landscape"),
    ("progress report", re.compile(r"/plans/\d+/years/\d+/progress\.pdf$"), "landscape"),
    ("results report", re.compile(r"/plans/\d+/years/\d+/results\.pdf$"), "landscape"),
    (
        "issued report",
        re.compile(r"/plans/\d+/years/\d+/(progress|results)/issued/\d+\.pdf$"),
        "landscape",
    ),
    ("round summary", re.compile(r"/skills/rounds/\d+/summary\.pdf$"), "portrait"),
    ("assessment result", re.compile(r"/skills/assessments/\d+/result\.pdf$"), "portrait"),
]
A4 = (595.28, 841.89)  # points
#: Never followed: they change state, leave the portal or are not pages of a role.
SKIP = re.compile(r"^/(accounts/logout|admin|i18n|switch)/")
#: HTML pages of one shape (/staff/<n>/) visited per role: the crawl stays small while
#: every kind of page, and every PDF linked from them, is reached.
PAGES_PER_KIND = 1


class Links(html.parser.HTMLParser):
    """The ``<a href>`` of a page, and separately those inside the site navigation."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.nav: list[str] = []
        self.csrf = ""
        self._nav_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._nav_depth += 1 if "site-nav" in (attrs.get("class") or "") else 0
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
            if self._nav_depth:
                self.nav.append(attrs["href"])
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.csrf = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1


def parse(body: bytes) -> Links:
    parser = Links()
    parser.feed(body.decode("utf-8", "replace"))
    return parser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    url: str


@dataclass
class Browser:
    """Just enough of a browser behind the README's proxy: it keeps cookies itself
    (they are Secure, and this side of the proxy is plain HTTP) and says https."""

    base: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, path: str, data: dict[str, str] | None = None, extra: dict[str, str] | None = None
    ) -> Response:
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "th", **(extra or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            origin = "https://" + urllib.parse.urlsplit(self.base).netloc
            headers |= {"Origin": origin, "Referer": origin + path}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=600) as raw:  # gunicorn times out first
                status, header_list, content = raw.status, raw.headers, raw.read()
        except urllib.error.HTTPError as error:
            status, header_list, content = error.code, error.headers, error.read()
        for cookie in header_list.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return Response(status, dict(header_list.items()), content, path)

    def get(self, path: str, *, follow: int = 3) -> Response:
        response = self.request(path)
        while response.status in (301, 302, 303) and follow:
            location = urllib.parse.urlsplit(response.headers["Location"])
            path = location.path + (f"?{location.query}" if location.query else "")
            response, follow = self.request(path), follow - 1
        return response


#: How long a document may take in the worker before the check gives up on it.
DOCUMENT_WAIT_S = 300


def log(message: str) -> None:
    print(message, flush=True)


# -- the environment: database, settings, gunicorn ---------------------------------------


def server_url(url: str, database: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{database}"))


def admin_sql(url: str, sql: str) -> None:
    with psycopg.connect(server_url(url, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(browser: Browser, process: subprocess.Popen, log_file: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited:\n{log_file.read_text()}")
        try:
            if browser.request("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer /healthz within 60 s:\n{log_file.read_text()}")


# -- the checks --------------------------------------------------------------------------


def document_kind(path: str) -> tuple[str, str] | None:
    for kind, pattern, orientation in DOCUMENTS:
        if pattern.search(path):
            return kind, orientation
    return None


def pdf_problems(path: str, content: bytes) -> list[str]:
    expected = document_kind(path)
    if expected is None:
        return [f"{path}: a PDF with no expectation in DOCUMENTS (add its page rule)"]
    kind, orientation = expected
    reader = PdfReader(io.BytesIO(content))
    problems = []
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    if not any("Sarabun" in name for name in fonts):
        problems.append(f"{path} ({kind}): Sarabun not embedded, fonts are {sorted(fonts)}")
    shapes = []
    for number, page in enumerate(reader.pages, 1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        if sorted((round(width), round(height))) != [round(A4[0]), round(A4[1])]:
            problems.append(f"{path} ({kind}): page {number} is {width:.0f}×{height:.0f} pt")
        shapes.append("landscape" if width > height else "portrait")
    if orientation == "mixed":
        ok = shapes[0] == "portrait" and "landscape" in shapes
    else:
        ok = set(shapes) == {orientation}
    if not ok:
        problems.append(f"{path} ({kind}): pages are {Counter(shapes)}, expected {orientation}")
    return problems


def shape(path: str) -> str:
    return re.sub(r"\d+", "<n>", path)


def walk_role(browser: Browser, username: str, password: str, seen_documents: set[str]):
    """Log in, walk the role's pages, then fetch every PDF found on them one after the
    other (in parallel, a loaded machine can exceed gunicorn's 30 s timeout); return
    (pages, pdfs, problems)."""
    login = browser.get("/accounts/login/")
    form = {"username": username, "password": password}
    answer = browser.request(
        "/accounts/login/", form | {"csrfmiddlewaretoken": parse(login.body).csrf}
    )
    if answer.status != 302:
        return 0, 0, [f"{username}: login answered {answer.status}, not a redirect"]
    nav = [link for link in parse(browser.get("/").body).nav if link.startswith("/")]
    if len(nav) < 2:
        return 0, 0, [f"{username}: found {len(nav)} navigation links on the home page"]
    problems: list[str] = []
    queue, visited, documents = list(nav), set(nav), []
    per_shape: Counter[str] = Counter()
    pages = 0
    while queue:
        path = queue.pop(0)
        try:
            response = browser.get(path)
        except OSError as error:  # a worker killed on timeout closes the connection
            problems.append(f"{username}: {path}: {error!r}")
            continue
        if response.status != 200:
            problems.append(f"{username}: {path} answered {response.status}")
            continue
        pages += 1
        if not response.headers.get("Content-Type", "").startswith("text/html"):
            continue
        for link in parse(response.body).links:
            target = urllib.parse.urlsplit(urllib.parse.urljoin(path, link))
            candidate = target.path
            if target.netloc or target.query or SKIP.match(candidate) or candidate in visited:
                continue
            if document_kind(candidate) or candidate.endswith(".pdf"):
                visited.add(candidate)
                documents.append(candidate)
            elif per_shape[shape(candidate)] < PAGES_PER_KIND:
                per_shape[shape(candidate)] += 1
                visited.add(candidate)
                queue.append(candidate)

    def check(path: str) -> list[str]:
        try:
            response = wait_for_document(browser, path)
        except OSError as error:  # a worker killed on timeout closes the connection
            return [f"{path}: {error!r}"]
        if response.status != 200:
            return [f"{path} answered {response.status}"]
        if not response.headers.get("Content-Type", "").startswith("application/pdf"):
            return [f"{path} is {response.headers.get('Content-Type')}, not a PDF"]
        seen_documents.add(document_kind(path)[0] if document_kind(path) else path)
        return pdf_problems(path, response.body)

    for path in documents:
        problems += [f"{username}: {problem}" for problem in check(path)]
    return pages, len(documents), problems


def wait_for_document(browser: Browser, path: str) -> Response:
    """A document not rendered yet answers with the waiting page; ask for its status
    part as htmx does until it says where the file is (the document worker renders it),
    then fetch the file."""
    response = browser.get(path)
    deadline = time.monotonic() + DOCUMENT_WAIT_S
    while response.headers.get("Content-Type", "").startswith("text/html"):
        if b"hx-trigger" not in response.body or time.monotonic() > deadline:
            return response  # failed, or never ready: reported as "not a PDF"
        time.sleep(1)
        response = browser.request(path, extra={"HX-Request": "true"})
        if response.headers.get("HX-Redirect"):
            return browser.get(response.headers["HX-Redirect"])
    return response


def log_problems(text: str) -> list[str]:
    """Refusals, errors and tracebacks in gunicorn's and the worker's log; a traceback
    is told with its last lines (where and what), not only its first."""
    lines = text.splitlines()
    problems = []
    for number, line in enumerate(lines):
        if "Traceback" in line:
            tail = [ln.strip() for ln in lines[number + 1 : number + 60]]
            end = next(
                (
                    i
                    for i, ln in enumerate(tail)
                    if not ln.startswith(("File", "^", "~"))
                    and i
                    and not lines[number + 1 + i].startswith(" ")
                ),
                len(tail) - 1,
            )
            problems.append(
                "gunicorn log: Traceback … " + " | ".join(tail[max(0, end - 2) : end + 1])
            )
        elif REFUSAL in line or re.search(r"\[?(ERROR|CRITICAL)\]? ", line):
            problems.append(f"gunicorn log: {line.strip()}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server URL; the smoke database is created next to it",
    )
    args = parser.parse_args()
    started = time.monotonic()
    database = f"smoke_{secrets.token_hex(4)}"
    work = Path(tempfile.mkdtemp(prefix="production-smoke-"))
    port = free_port()
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env = base | {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "DATABASE_URL": server_url(args.database_url, database),
        "STATIC_ROOT": str(work / "static"),
        "MEDIA_ROOT": str(work / "media"),
        "PDF_CACHE_DIR": str(work / "pdf-cache"),
        "LOG_LEVEL": "INFO",
    }
    log_file = work / "gunicorn.log"
    gunicorn = worker = None
    admin_sql(args.database_url, f'CREATE DATABASE "{database}"')
    try:
        log(f"== database {database}, files under {work}")
        manage(env, "migrate", "--noinput")
        log(f"   migrated in {time.monotonic() - started:.0f} s")
        seeded = manage(env, "seed_demo")
        logins = re.findall(r"^\s+\S+\s+(\S+)\s+/\s+(\S+)\s*$", seeded, re.MULTILINE)
        manage(env, "collectstatic", "--noinput")
        hashed = sorted(p.name for p in (work / "static" / "css").glob("print.*.css"))
        log(f"== collected static files; the print stylesheet is {hashed}")
        # The README's command, on a free port.
        command = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "portal.wsgi"]
        served = env | {"GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "3"}
        log(f"== set up in {time.monotonic() - started:.0f} s; {' '.join(command)}")
        with log_file.open("wb") as out:
            gunicorn = subprocess.Popen(command, cwd=ROOT, env=served, stdout=out, stderr=out)
            # The document worker, as deploy/portal-worker.service runs it: PDFs are
            # rendered there, and its log is read for problems with gunicorn's.
            worker_command = [str(BIN / "python"), "manage.py", "document_worker"]
            worker = subprocess.Popen(worker_command, cwd=ROOT, env=env, stdout=out, stderr=out)
        wait_until_up(Browser(f"http://127.0.0.1:{port}"), gunicorn, log_file)
        problems: list[str] = []
        if len(logins) < 3:
            problems.append(f"seed_demo printed {len(logins)} demo logins:\n{seeded}")
        documents: set[str] = set()
        for username, password in logins:
            browser, began = Browser(f"http://127.0.0.1:{port}"), time.monotonic()
            pages, pdfs, found = walk_role(browser, username, password, documents)
            took = time.monotonic() - began
            summary = f"{pages:3} pages, {pdfs:2} PDFs, {took:3.0f} s"
            log(f"   {username:<10} {summary}: {len(found)} problems")
            problems += found
        missing = [kind for kind, _, _ in DOCUMENTS if kind not in documents]
        if missing:
            problems.append(f"documents never reached from the navigation: {missing}")
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
        worker.terminate()
        worker.wait(timeout=60)
        problems += log_problems(log_file.read_text(errors="replace"))
    finally:
        for process in (gunicorn, worker):
            if process and process.poll() is None:
                process.kill()
        admin_sql(args.database_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    if problems:
        log(f"== production smoke FAILED in {elapsed:.0f} s, {len(problems)} problems:")
        for problem in problems:
            log(f"   {problem}")
        return 1
    log(f"== production smoke passed in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
