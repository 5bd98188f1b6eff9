"""PDF documents: render time and peak memory of the annual plan (60 projects) and the
3-year plan book, against bare WeasyPrint on the same HTML, and a cached second request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 .venv/bin/python bench/pdf.py
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import ROOT, throwaway_database


def timed(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mib(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    _url, clean_up = throwaway_database("bench_pdf")
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import caches
        from django.core.management import call_command
        from django.template.loader import render_to_string
        from weasyprint import HTML

        from plans import documents
        from plans.models import DevelopmentPlan, ProjectYear
        from portal import pdf

        call_command("migrate", verbosity=0)
        call_command("seed_demo", verbosity=0)
        settings.DEBUG = False
        plan = DevelopmentPlan.objects.filter(status__in=DevelopmentPlan.LOCKED).first()
        # Copy the demo's projects until the plan has 60, each planned in every year.
        originals = list(plan.projects.prefetch_related("years"))
        copy = 0
        while plan.projects.count() < 60:
            source = originals[copy % len(originals)]
            years = list(source.years.all())
            source.pk = None
            source._state.adding = True
            source.name = f"{source.name} ({copy + 1})"
            source.save()
            for y in years:
                ProjectYear.objects.create(
                    project=source,
                    fiscal_year=y.fiscal_year,
                    planned=y.planned,
                    budget=y.budget,
                    quarters=y.quarters,
                )
            copy += 1
        static = (ROOT / "static").as_uri() + "/"
        for name, template, build in [
            (
                "annual plan (60 projects)",
                "plans/pdf/annual_plan.html",
                lambda: documents.annual_plan_context(plan=plan, fiscal_year=plan.first_fy),
            ),
            (
                "plan book",
                "plans/pdf/plan_book.html",
                lambda: documents.plan_book_context(plan=plan),
            ),
        ]:

            def ours(template=template, build=build) -> bytes:
                caches[pdf.CACHE_ALIAS].clear()
                return pdf.render_pdf(template, build()).content

            html = pdf.thai_digits_in_text(
                render_to_string(template, {**build(), "digits": "thai"})
            )
            bare_html = html.replace('"/static/', '"' + static)

            def bare(bare_html=bare_html) -> bytes:
                return HTML(string=bare_html, base_url=static).write_pdf()

            def renderer(html=html) -> bytes:
                # Our renderer alone on the finished HTML: the restricted fetcher and
                # the cache bookkeeping are the only differences from bare WeasyPrint.
                caches[pdf.CACHE_ALIAS].clear()
                return pdf.html_to_pdf(html).content

            pages = len(__import__("pypdf").PdfReader(__import__("io").BytesIO(ours())).pages)
            t_ours, t_bare, t_renderer = timed(ours), timed(bare), timed(renderer)
            m_ours, m_bare = peak_mib(ours), peak_mib(bare)
            pdf.render_pdf(template, build())  # fills the cache
            t_cached = timed(
                lambda template=template, build=build: pdf.render_pdf(template, build())
            )
            print(
                f"{name}: {pages} pages; ours {t_ours:.2f} s (peak {m_ours:.0f} MiB), "
                f"bare WeasyPrint {t_bare:.2f} s (peak {m_bare:.0f} MiB), "
                f"ratio {t_ours / t_bare:.2f}; renderer alone {t_renderer:.2f} s, "
                f"overhead ratio {t_renderer / t_bare:.2f}; "
                f"second request from the cache {t_cached * 1000:.0f} ms"
            )
    finally:
        clean_up()


if __name__ == "__main__":
    main()
