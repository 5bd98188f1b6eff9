"""One language per page and per document (design §6): with the demo loaded, each demo
role walks the navigation and one page of each kind linked from it, and every printed
document of the demo is read back. In Thai no English word may show, and the screen
uses Arabic digits only; in English the formatted things (dates, fiscal years, units)
are English too.

What may stay Latin in Thai is a short list of codes and names that are not English
words: see ALLOWED."""

from __future__ import annotations

import io
import pprint
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from pypdf import PdfReader

from portal.demo import DEMO_LOGINS, demo_seed

#: Latin words a Thai page or document may show, and why.
ALLOWED = {
    # ITA (the integrity and transparency assessment) and its item codes o1…o43.
    "ita",
    # The framework of the civil service commission (สำนักงาน ก.พ.) is called OCSC in
    # its own English name; the framework codes are ocsc-2561 and ocsc-2566.
    "ocsc",
    # File formats, encodings and programs people must recognise by their names on
    # upload and download forms.
    "pdf",
    "xlsx",
    "excel",
    "csv",
    "jpeg",
    "png",
    "libreoffice",
    "bom",
    "xls",
    # "Excel Workbook (.xlsx)": the file type as Excel's Save As menu names it.
    "workbook",
    # A key printed on the keyboard ("hold Ctrl to choose several").
    "ctrl",
    # The messaging app staff use; the Thai name is the same brand.
    "line",
    # File sizes on upload forms.
    "mb",
    # The languages' own names in the footer switcher.
    "english",
}
#: Codes that are Latin by nature: ITA items (o24, O25), framework codes (ocsc-2566),
#: encodings (UTF-8, TIS-620), masked citizen IDs (x-xxxx-xxxxx-12-3). The short codes
#: of the skill framework's domains and groups (DL, CIO) come from the reference data.
#: An approved document's SHA-256 checksum, short (12) or full (64), is hexadecimal.
CODE = re.compile(
    r"^(?:[oO]\d{1,2}|ocsc-\d{4}|UTF-8|TIS-620|x-xxxx(?:-xxxxx-\d{2}-\d)?"
    r"|[0-9a-f]{12}|[0-9a-f]{64})$"
)
EMAIL = re.compile(r"\S+@\S+\.\w+")
URL = re.compile(r"(?:https?://|/)[\w./\-?=&%#:]*")
FILE_NAME = re.compile(r"[\w\-]+\.(?:pdf|xlsx|csv|png|jpg)\b", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z][A-Za-z0-9\-']*")
THAI_DIGIT = re.compile("[\u0e50-\u0e59]")
THAI_LETTER = re.compile("[\u0e01-\u0e4f]")

USERNAMES = {login.username for login in DEMO_LOGINS}

#: Pages of one kind are walked once: the view name is the kind.
SKIP_VIEWS = {"logout", "set_language", "admin"}
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout")


class _Text(HTMLParser):
    """The text a reader sees: no scripts, styles or templates; link targets kept
    apart for the walk."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href"):
            self.links.append(attributes["href"])
        # Visible attribute texts: placeholders, titles, labels for screen readers.
        for name in ("placeholder", "title", "aria-label", "alt"):
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def page_text(html: str) -> tuple[str, list[str]]:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts), parser.links


def reference_codes() -> set[str]:
    """Codes shown as they are typed: skill domains, personnel groups and every login's
    username (the roles and accounts pages list them; a slip prints them to type)."""
    from django.contrib.auth import get_user_model

    from skills.models import Domain, PersonnelGroup

    return (
        set(Domain.objects.values_list("code", flat=True))
        | set(PersonnelGroup.objects.values_list("code", flat=True))
        | set(get_user_model().objects.values_list("username", flat=True))
    )


def english_words(text: str, codes: set[str] = frozenset()) -> list[str]:
    text = EMAIL.sub(" ", text)
    text = URL.sub(" ", text)
    text = FILE_NAME.sub(" ", text)
    found = []
    for token in text.split():
        for word in WORD.findall(token):
            bare = word.strip("-'")
            if bare.lower() in ALLOWED or bare in USERNAMES or bare in codes:
                continue
            if not CODE.match(token.strip("()[],.;:")) and not CODE.match(bare):
                found.append(bare)
    return found


def test_no_thai_translation_carries_english_words_or_thai_digits():
    """Every page, also those the walk below does not reach (errors, empty states):
    the Thai catalogue has no English word outside ALLOWED and no Thai digit (the
    screen uses Arabic digits; printed documents convert them)."""
    import polib

    catalogue = polib.pofile(str(settings.LOCALE_PATHS[0] / "th" / "LC_MESSAGES" / "django.po"))
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|&\w+;")
    leaks = {}
    for entry in catalogue:
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            text = placeholder.sub(" ", text)
            if words := english_words(text):
                leaks[entry.msgid] = words
            if THAI_DIGIT.search(text):
                leaks[entry.msgid] = THAI_DIGIT.findall(text)
    assert leaks == {}, pprint.pformat(leaks, width=100)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def walk(client: Client) -> dict[str, tuple[str, object]]:
    """Every page reachable from the dashboard, one per view, as {path: (kind, response)}."""
    seen_kinds: set[str] = set()
    pages: dict[str, tuple[str, object]] = {}
    queue = ["/"]
    while queue:
        path = queue.pop(0)
        if path in pages or path.startswith(SKIP_PREFIXES):
            continue
        try:
            match = resolve(path)
        except Resolver404:
            continue
        kind = match.view_name
        if kind in seen_kinds or kind in SKIP_VIEWS:
            continue
        seen_kinds.add(kind)
        response = client.get(path)
        pages[path] = (kind, response)
        if response.status_code != 200:
            continue
        if response.get("Content-Type", "").startswith("text/html"):
            _text, links = page_text(response.content.decode())
            for link in links:
                parts = urlsplit(link)
                if not parts.scheme and parts.path.startswith("/"):
                    queue.append(parts.path)
    return pages


@pytest.fixture
def demo(db):
    return demo_seed()


def login(role_username: str, language: str | None = None) -> Client:
    client = Client()
    password = next(x.password for x in DEMO_LOGINS if x.username == role_username)
    assert client.login(username=role_username, password=password)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.mark.parametrize("username", sorted(USERNAMES))
def test_every_page_and_document_of_the_demo_is_in_thai_with_arabic_digits(demo, username):
    client = login(username)
    codes = reference_codes()
    leaks: dict[str, object] = {}
    pages = walk(client)
    assert len(pages) > 5
    for path, (kind, response) in pages.items():
        assert response.status_code in (200, 302, 403), (path, response.status_code)
        content_type = response.get("Content-Type", "")
        if response.status_code != 200:
            continue
        if content_type.startswith("text/html"):
            text, _links = page_text(response.content.decode())
            if words := english_words(text, codes):
                leaks[f"{kind} {path}"] = sorted(set(words))
            if digits := THAI_DIGIT.findall(text):
                leaks[f"{kind} {path} Thai digits"] = "".join(digits)[:40]
        elif content_type == "application/pdf":
            if words := english_words(pdf_text(response.content), codes):
                leaks[f"{kind} {path} (PDF)"] = sorted(set(words))
    assert leaks == {}, pprint.pformat(leaks, width=100)


#: Formatted things that must follow the interface's language: a date (day, Thai
#: month, year), a number with a Thai unit, a fiscal-year label. Stored Thai texts
#: (an organisation's name, a plan's narrative) may stay Thai in English.
_MONTHS = "|".join(
    re.escape(m)
    for m in sorted(
        {
            "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
            "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม", "ม.ค.", "ก.พ.", "มี.ค.",
            "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
THAI_FORMATTED = re.compile(
    rf"\d{{1,2}} (?:{_MONTHS}) \d{{4}}"
    r"|\d (?:คน|บาท|ชั่วโมง)(?![\u0e01-\u0e4f])"
    r"|(?:ต\.ค\.|ม\.ค\.|เม\.ย\.|ก\.ค\.)–"
    r"|ปีงบประมาณ \d{4}"
)


#: Help texts that show how a date may be typed in Thai: an example of input, not a
#: formatted date.
INPUT_EXAMPLES = ("1 ต.ค. 2567", "1 ต.ค. 2563")


def stored_narrative_lines() -> list[str]:
    """The plans' own texts (written in Thai by HR) shown as they are in English."""
    from plans.models import DevelopmentPlan

    fields = ("principles", "objectives", "targets", "guidelines", "monitoring")
    return sorted(
        {
            line.strip()
            for plan in DevelopmentPlan.objects.all()
            for name in fields
            for line in getattr(plan, name).splitlines()
            if line.strip()
        },
        key=len,
        reverse=True,
    )


def test_in_english_dates_fiscal_years_quarters_and_units_are_english(demo):
    client = login("hr", language="en")
    stored = stored_narrative_lines()
    leaks: dict[str, object] = {}
    pages = walk(client)
    assert len(pages) > 5
    for path, (kind, response) in pages.items():
        if response.status_code != 200:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        text, _links = page_text(response.content.decode())
        for line in (*stored, *INPUT_EXAMPLES):
            text = text.replace(line, " ")
        if found := THAI_FORMATTED.findall(text):
            leaks[f"{kind} {path}"] = sorted(set(found))
        if digits := THAI_DIGIT.findall(text):
            leaks[f"{kind} {path} Thai digits"] = "".join(digits)[:40]
    assert leaks == {}, pprint.pformat(leaks, width=100)


def test_the_english_walk_is_in_english(demo):
    """The check above would pass on a Thai page: make sure the cookie works."""
    client = login("hr", language="en")
    text, _links = page_text(client.get("/").content.decode())
    assert "Development plans" in text


def test_screen_dates_follow_the_interface_language_and_documents_stay_thai():
    import datetime as dt

    from django.utils import translation

    from portal import thai

    day = dt.date(2020, 5, 5)
    with translation.override("en"):
        assert thai.date_short(day) == "5 May 2563"
        assert thai.date_long(day, thai_digits=False) == "5 May 2563"
        assert thai.date_long(day) == "๕ พฤษภาคม ๒๕๖๓"
    with translation.override("th"):
        assert thai.date_short(day) == "5 พ.ค. 2563"
        assert thai.date_long(day, thai_digits=False) == "5 พฤษภาคม 2563"


def test_documents_printed_from_the_english_interface_are_the_thai_documents(demo):
    """A document is the official Thai form: an officer working in English prints it
    word for word as a colleague working in Thai does, under the same Thai file name."""
    english, thai = login("hr", language="en"), login("hr")
    codes = reference_codes()
    documents = {
        path: response
        for path, (_kind, response) in walk(english).items()
        if response.status_code == 200 and response["Content-Type"] == "application/pdf"
    }
    assert len(documents) >= 3
    for path, response in documents.items():
        assert english_words(pdf_text(response.content), codes) == [], path
        in_thai = thai.get(path)
        # The same HTML is the same cache key: nothing in the document followed the
        # interface language, the figures and the file name included.
        assert response["ETag"] == in_thai["ETag"], path
        assert response["Content-Disposition"] == in_thai["Content-Disposition"], path
        assert "%E0%B8" in response["Content-Disposition"], path  # a Thai file name
