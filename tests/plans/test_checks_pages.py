"""The checks page lists the people no project reaches one page per fiscal year, each
year paged on its own (``?fy<year>=<n>``)."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.staff.conftest import make_staff


def names_listed(html: str, fy: int) -> int:
    table = re.search(
        rf'<table class="data compact uncovered" data-fy="{fy}">(.*?)</table>', html, re.S
    )
    return table.group(1).count("(นักจัดการงานทั่วไป)") if table else 0


def test_each_year_lists_fifty_people_a_page(hr_client, org_a, plan, units):
    for n in range(60):
        make_staff(org_a, units["office"], f"คนที่{n:03d}")
    address = reverse("plans:checks", args=[plan.pk])
    first = hr_client.get(address).content.decode()
    assert [names_listed(first, fy) for fy in (2567, 2568, 2569)] == [50, 50, 50]
    assert "fy2567=2" in first
    second = hr_client.get(address, {"fy2567": 2}).content.decode()
    assert [names_listed(second, fy) for fy in (2567, 2568, 2569)] == [10, 50, 50]
    # The other years' pages keep the page of this one.
    assert "fy2567=2&amp;fy2568=2" in second
