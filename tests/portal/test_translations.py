"""The Thai translation is complete: every English msgid has a Thai msgstr, the
compiled catalogue matches it, and no string in the code is missing from it."""

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "th" / "LC_MESSAGES"


def _entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(LOCALE / "django.po")) if not entry.obsolete]


def test_every_msgid_has_a_thai_translation():
    missing = [
        entry.msgid
        for entry in _entries()
        if "fuzzy" in entry.flags
        or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
        or (not entry.msgid_plural and not entry.msgstr)
    ]
    assert missing == [], f"untranslated or fuzzy: {missing}"


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for entry in _entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            if catalogue.ngettext(entry.msgid, entry.msgid_plural, 1) != entry.msgstr_plural[0]:
                stale.append(entry.msgid)
        elif catalogue._catalog.get(key) != entry.msgstr:
            stale.append(entry.msgid)
    assert stale == [], f"run `make messages`: django.mo is older than django.po for {stale}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_string_in_the_code_is_missing_from_the_catalogue(tmp_path):
    project = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        project,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "*.pyc", "node_modules", "tests"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "th", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin"},
    )
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/th/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in _entries()}
    assert extracted - known == set(), "run `make messages` and translate the new strings"
