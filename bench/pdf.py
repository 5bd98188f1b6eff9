"""PDF documents: render time and peak memory of the annual plan (60 projects) and the
3-year plan book, against bare WeasyPrint on the same HTML, and a cached second request;
and what the Thai text layer (portal/pdf_text.py) and the word segmentation
(portal/thai_breaks.py) cost, as ratios to bare WeasyPrint (today's render) — measured
first, before the text-layer hook is installed in this process.

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

        from plans import documents as documents_module
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
        from portal import pdf_text, thai_breaks

        static = (ROOT / "static").as_uri() + "/"
        documents = [
            (
                "annual plan (60 projects)",
                "plans/pdf/annual_plan.html",
                lambda: documents_module.annual_plan_context(plan=plan, fiscal_year=plan.first_fy),
            ),
            (
                "plan book",
                "plans/pdf/plan_book.html",
                lambda: documents_module.plan_book_context(plan=plan),
            ),
        ]
        bare_htmls = {}
        for name, template, build in documents:
            html = pdf.thai_digits_in_text(
                render_to_string(template, {**build(), "digits": "thai"})
            )
            bare_htmls[name] = (html, html.replace('"/static/', '"' + static))
        # Today's render: bare WeasyPrint, no hook installed yet, no break marks.
        t_today = {
            name: timed(lambda b=bare: HTML(string=b, base_url=static).write_pdf())
            for name, (_html, bare) in bare_htmls.items()
        }
        pdf_text.install()
        start = time.perf_counter()
        thai_breaks.words("แผนพัฒนาบุคลากร")
        t_dictionary = time.perf_counter() - start
        for name, template, build in documents:
            html, bare_html = bare_htmls[name]

            def ours(template=template, build=build) -> bytes:
                caches[pdf.CACHE_ALIAS].clear()
                return pdf.render_pdf(template, build()).content

            def bare(bare_html=bare_html) -> bytes:
                return HTML(string=bare_html, base_url=static).write_pdf()

            def marked(bare_html=bare_html) -> bytes:
                return HTML(string=thai_breaks.mark_breaks(bare_html), base_url=static).write_pdf()

            def renderer(html=html) -> bytes:
                # Our renderer alone on the finished HTML: the restricted fetcher, the
                # break marks and the cache bookkeeping besides bare WeasyPrint + hook.
                caches[pdf.CACHE_ALIAS].clear()
                return pdf.html_to_pdf(html).content

            pages = len(__import__("pypdf").PdfReader(__import__("io").BytesIO(ours())).pages)
            t_text, t_marked = timed(bare), timed(marked)
            t_marking = timed(lambda bare_html=bare_html: thai_breaks.mark_breaks(bare_html))
            t_ours, t_renderer = timed(ours), timed(renderer)
            m_ours, m_bare = peak_mib(ours), peak_mib(bare)
            pdf.render_pdf(template, build())  # fills the cache
            t_cached = timed(
                lambda template=template, build=build: pdf.render_pdf(template, build())
            )
            today = t_today[name]
            print(
                f"{name}: {pages} pages; today (bare WeasyPrint) {today:.2f} s; "
                f"+ text layer {t_text:.2f} s (ratio {t_text / today:.2f}); "
                f"+ text layer + word breaks {t_marked:.2f} s (ratio {t_marked / today:.2f}; "
                f"segmentation alone {t_marking * 1000:.0f} ms); "
                f"ours {t_ours:.2f} s (peak {m_ours:.0f} MiB, bare {m_bare:.0f} MiB), "
                f"ratio {t_ours / today:.2f}; renderer alone {t_renderer:.2f} s, "
                f"ratio {t_renderer / today:.2f}; "
                f"second request from the cache {t_cached * 1000:.0f} ms"
            )
        print(f"once per process: the segmentation dictionary {t_dictionary:.1f} s")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
