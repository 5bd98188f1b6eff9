"""Headings on screen break between Thai words: browsers cut Thai with their own
dictionary ("ตัว|ชี้วัด", "ภาค|รัฐ"), so the ``thai_words`` filter keeps each word of
a heading on one line and marks the places between words where a line may break."""

from __future__ import annotations

import re

from django.template import Context, Template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal import thai_breaks

ADDED = re.compile(r'<span class="word">|</span>|<wbr>')


def thai_words(value) -> str:
    return Template("{% load thai %}{{ value|thai_words }}").render(Context({"value": value}))


def test_a_heading_breaks_only_between_its_dictionary_words():
    rendered = thai_words("ตัวชี้วัดของภาครัฐ")
    assert rendered == (
        '<span class="word">ตัวชี้วัด</span><wbr><span class="word">ของ</span>'
        '<wbr><span class="word">ภาครัฐ</span>'
    )
    pieces = [ADDED.sub("", piece) for piece in rendered.split("<wbr>")]
    assert pieces == list(thai_breaks.words("ตัวชี้วัดของภาครัฐ"))


def test_a_mark_that_cannot_start_a_line_stays_with_the_word_before():
    rendered = thai_words("ต่างๆ")
    assert "<wbr>ๆ" not in rendered
    assert ADDED.sub("", rendered) == "ต่างๆ"


def test_the_filter_escapes_what_it_is_given():
    title = '<script>alert("กลยุทธ์")</script> แผนพัฒนา & <b onclick="x">'
    rendered = thai_words(title)
    assert "<script>" not in rendered and "<b " not in rendered
    # Without the markup the filter adds, the heading is the escaped text, letter for letter.
    assert ADDED.sub("", rendered) == escape(title)


def test_safe_markup_is_kept_and_only_its_text_is_marked():
    rendered = thai_words(mark_safe('<em title="ภาครัฐ">ภาครัฐ</em> 2567'))
    assert rendered == '<em title="ภาครัฐ"><span class="word">ภาครัฐ</span></em> 2567'


def test_latin_text_is_left_as_it_is():
    assert thai_words("Plan 2024 & more") == "Plan 2024 &amp; more"


def test_the_plan_page_heading_keeps_its_thai_words_whole(hr_client, plan):
    plan.title = "แผนพัฒนาบุคลากรตามกลยุทธ์และตัวชี้วัดของภาครัฐ"
    plan.save()
    content = hr_client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", content, re.DOTALL).group(1)
    assert '<span class="word">ตัวชี้วัด</span><wbr>' in heading
    assert ADDED.sub("", heading) == plan.title
