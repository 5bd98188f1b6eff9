"""The Content-Security-Policy holds on every page: each role's navigation is followed
link by link through the demo organisation (and an empty one), and every page must
carry the strict header and nothing the header would block — no inline script, no
on*= handler, no style attribute, no <style> element."""

from __future__ import annotations

import re
from collections import deque
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from plans.models import IssuedReport
from portal.demo import DEMO_LOGINS, DEMO_SLUG, demo_seed
from portal.models import Role
from portal.navigation import NAV_ITEMS
from portal.security import permissions_policy_header
from skills.charts import TONE_STEPS, colour, tone_class, tone_css

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"

#: Addresses the walk does not open: files (PDF, Excel), logging out, the admin.
SKIPPED = re.compile(
    r"\.(pdf|xlsx|csv|png|jpe?g|svg|ico)$|/pdf/$|^/(static|media|admin)/|^/accounts/logout"
)
#: How many addresses of one view (with the same query keys) are opened: enough to see
#: a page in more than one state without walking thousands of staff records.
PER_VIEW = 2


class PageScan(HTMLParser):
    """The links of a page and whatever in it a strict policy would block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.blocked: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "script" and not named.get("src"):
            self.blocked.append("inline <script>")
        if tag == "style":
            self.blocked.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.blocked.append(f'style="{value}" on <{tag}>')
            elif name.startswith("on"):
                self.blocked.append(f"{name}= handler on <{tag}>")
        for name in ("href", "hx-get"):
            if named.get(name):
                self.links.append(named[name])

    handle_startendtag = handle_starttag


def _view_key(url: str) -> tuple[str, frozenset[str]] | None:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    if SKIPPED.search(parts.path):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return match.view_name, frozenset(key for key, _ in parse_qsl(parts.query))


def walk(client: Client, start: list[str]) -> dict[str, list[str]]:
    """Open every page reachable from ``start`` by links (PER_VIEW per view); return
    each HTML page's address with what it holds that the policy would block."""
    queue = deque(start)
    seen: dict[tuple[str, frozenset[str]], int] = {}
    opened: set[str] = set()
    pages: dict[str, list[str]] = {}
    while queue:
        url = urlsplit(queue.popleft())._replace(fragment="").geturl()
        key = _view_key(url)
        if url in opened or key is None or seen.get(key, 0) >= PER_VIEW:
            continue
        opened.add(url)
        seen[key] = seen.get(key, 0) + 1
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        pages[url] = policy_problems(response)
        scan = PageScan()
        scan.feed(response.content.decode())
        pages[url] += scan.blocked
        queue.extend(scan.links)
    return pages


def policy_problems(response) -> list[str]:
    policy = response.get("Content-Security-Policy", "")
    problems = []
    if not policy:
        problems.append("no Content-Security-Policy header")
    for word in ("'unsafe-inline'", "'unsafe-eval'", "*"):
        if word in policy.split():
            problems.append(f"policy allows {word}")
    if "camera=()" not in response.get("Permissions-Policy", ""):
        problems.append("no Permissions-Policy header")
    return problems


def assert_clean(pages: dict[str, list[str]]) -> None:
    problems = {url: found for url, found in pages.items() if found}
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


def visited_views(pages: dict[str, list[str]]) -> set[str]:
    return {resolve(urlsplit(url.split()[-1]).path).view_name for url in pages}


def _logged_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_every_page_of_every_role_and_the_public_carries_the_policy_and_nothing_it_blocks(db):
    """One walk per demo login through the demo organisation, then the public pages;
    seeded once, as the demo takes a while to build."""
    demo_seed()
    pages: dict[str, list[str]] = {}
    # The demo's issued reports (plans/issued.py): their pages, with the list of issues
    # and HR's form to issue again, are walked whatever years the links lead to first.
    issued = [
        reverse(
            "plans:progress" if report.first_half else "plans:results",
            args=[report.plan_id, report.fiscal_year],
        )
        for report in IssuedReport.objects.filter(plan__organization__slug=DEMO_SLUG)
    ]
    assert len(issued) == 2
    for login in DEMO_LOGINS:
        walked = walk(_logged_in(login.username), ["/", *issued])
        # The walk really went everywhere this role's menu leads.
        menu = {item.url_name for item in NAV_ITEMS if login.role in item.roles}
        assert menu <= visited_views(walked), login.username
        pages |= {f"{login.username} {url}": found for url, found in walked.items()}
        if login.role == Role.HR:
            assert {
                "skills:round_detail",
                "skills:round_results",
                "skills:groups",
                "plans:detail",
                "plans:annual",
                "plans:progress",
                "plans:results",
                "plans:attendance",
                "staff:detail",
                "staff:edit",
            } <= visited_views(walked)
    public = walk(Client(), [reverse("portal:public", args=[DEMO_SLUG]), reverse("login")])
    assert {"portal:public", "login"} <= visited_views(public)
    pages |= {f"anonymous {url}": found for url, found in public.items()}
    assert len(pages) >= 60
    assert_clean(pages)


def test_the_pages_of_a_new_organisation_carry_the_policy_and_nothing_it_blocks(hr_client):
    """An organisation with no data: the empty states are other parts of the templates."""
    pages = walk(hr_client, ["/"])
    assert_clean(pages)
    assert len(pages) >= 10


def test_the_password_pages_carry_the_policy_and_nothing_it_blocks(hr_client):
    assert_clean(walk(hr_client, [reverse("password_change"), reverse("password_change_done")]))


def test_the_policy_is_strict(client, db):
    response = client.get(reverse("login"))
    directives = {
        part.split()[0]: part.split()[1:]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }
    assert directives == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }


def test_the_permissions_policy_turns_off_what_the_portal_never_uses(client, db):
    header = client.get(reverse("login"))["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in header


def test_permissions_policy_header_lists_the_allowed_origins():
    header = permissions_policy_header({"camera": [], "fullscreen": ["self"]})
    assert header == "camera=(), fullscreen=(self)"


def test_the_scan_finds_what_the_policy_would_block():
    scan = PageScan()
    scan.feed(
        '<script>alert(1)</script><script src="/static/js/site.js"></script>'
        '<style>p{}</style><p style="color:red" onclick="x()">'
        '<svg><rect style="fill:red"/></svg><a href="/staff/">'
    )
    assert scan.blocked == [
        "inline <script>",
        "<style> element",
        'style="color:red" on <p>',
        "onclick= handler on <p>",
        'style="fill:red" on <rect>',
    ]
    assert scan.links == ["/staff/"]


def test_htmx_is_told_not_to_inject_styles_nor_to_eval(hr_client):
    body = hr_client.get("/").content.decode()
    config = '{"includeIndicatorStyles":false,"allowEval":false}'
    assert f"<meta name=\"htmx-config\" content='{config}'>" in body
    # Its indicator rules live in the site stylesheet instead.
    assert ".htmx-request .htmx-indicator" in SITE_CSS.read_text()


class TestHeatmapTones:
    def test_site_css_holds_the_tones_of_the_chart(self):
        assert tone_css() in SITE_CSS.read_text()

    @pytest.mark.parametrize(
        ("average", "tone"),
        [
            (None, "gap-none"),
            ("0.0", "gap-0"),
            ("1.7", "gap-17"),
            ("3.0", "gap-30"),
            ("3.6", "gap-30"),
        ],
    )
    def test_a_cell_gets_the_class_of_its_average(self, average, tone):
        assert tone_class(None if average is None else Decimal(average)) == tone

    def test_every_tone_paints_as_the_svg_does(self):
        css = SITE_CSS.read_text()
        for step in range(TONE_STEPS + 1):
            assert f".gap-{step} {{ background: {colour(step / 10)};" in css


def test_site_css_has_a_width_class_for_every_whole_percent():
    css = SITE_CSS.read_text()
    for percent in range(101):
        assert re.search(rf"\.pct-{percent} {{ width: {percent}%?; }}", css), percent
