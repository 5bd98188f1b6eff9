"""The stylesheets are hand-written and merged by hand: a rule block left open swallows
every rule after it without any error, as a lost ``}`` once did to the dashboards."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = sorted((Path(__file__).resolve().parents[2] / "static" / "css").glob("*.css"))


@pytest.mark.parametrize("path", CSS, ids=lambda path: path.name)
def test_every_block_of_the_stylesheet_is_closed(path):
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    text = re.sub(r"\"[^\"]*\"|'[^']*'", "", text)
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"{path.name}: a '}}' closes nothing near line {number}"
    assert depth == 0, f"{path.name}: {depth} block(s) left open"
