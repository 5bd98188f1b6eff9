"""PDF documents: render time and peak memory of the annual plan (60 projects) and the
3-year plan book, against bare WeasyPrint on the same HTML, and a cached second request;
and what the Thai text layer (portal/pdf_text.py) and the word breaks
(portal/thai_breaks.py) cost, as ratios to bare WeasyPrint (the render before both).

The three renders of a document are timed in turns, round after round, in CPU time of
this process (on a shared machine wall time mostly measures the neighbours), and the
ratios are taken within the run: the median of the rounds and their fastest.
When the machine is busy even CPU time varies more than these ratios: count instructions
instead, one render per process under ``valgrind --tool=callgrind`` (how the figures of
docs/weasyprint-thai-text-layer.md were taken).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \
        .venv/bin/python bench/pdf.py --runs 9
"""

from __future__ import annotations

import argparse
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


def cpu_rounds(variants: dict, runs: int) -> dict[str, list[float]]:
    """CPU seconds of each variant, the variants taking turns in every round (the first
    of a round pays for the garbage the round before left: each goes first in turn)."""
    times: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for round_number in range(runs):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            fn = variants[name]
            start = time.process_time()
            fn()
            times[name].append(time.process_time() - start)
    return times


def peak_mib(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="rounds of the timed renders")
    args = parser.parse_args()
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
        from weasyprint.draw import text as weasy_text

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
        start = time.perf_counter()
        thai_breaks.words("แผนพัฒนาบุคลากร")
        t_dictionary = time.perf_counter() - start
        pdf_text.install()
        hooked = weasy_text.draw_first_line
        for name, template, build in documents:
            html = pdf.thai_digits_in_text(
                render_to_string(template, {**build(), "digits": "thai"})
            )
            bare_html = html.replace('"/static/', '"' + static)

            def today(bare_html=bare_html) -> bytes:
                # WeasyPrint as it is: no text-layer hook, no break marks.
                weasy_text.draw_first_line = pdf_text._original_draw_first_line
                try:
                    return HTML(string=bare_html, base_url=static).write_pdf()
                finally:
                    weasy_text.draw_first_line = hooked

            def text_layer(bare_html=bare_html) -> bytes:
                return HTML(string=bare_html, base_url=static).write_pdf()

            def renderer(html=html) -> bytes:
                # Our renderer on the finished HTML: break marks, text layer, the
                # restricted fetcher and the cache bookkeeping.
                caches[pdf.CACHE_ALIAS].clear()
                return pdf.html_to_pdf(html).content

            def ours(template=template, build=build) -> bytes:
                caches[pdf.CACHE_ALIAS].clear()
                return pdf.render_pdf(template, build()).content

            renderer()  # warm: fonts loaded, the document's words segmented and glued
            pages = len(__import__("pypdf").PdfReader(__import__("io").BytesIO(ours())).pages)
            marked = thai_breaks.mark_breaks(bare_html)
            cpu = cpu_rounds(
                {"today": today, "text": text_layer, "renderer": renderer}, runs=args.runs
            )
            t_marking = timed(lambda bare_html=bare_html: thai_breaks.mark_breaks(bare_html))
            t_today, t_ours = timed(today), timed(ours)
            m_ours, m_bare = peak_mib(ours), peak_mib(today)
            pdf.render_pdf(template, build())  # fills the cache
            t_cached = timed(
                lambda template=template, build=build: pdf.render_pdf(template, build())
            )

            def ratio(variant: str, cpu=cpu) -> str:
                median = statistics.median(cpu[variant]) / statistics.median(cpu["today"])
                fastest = min(cpu[variant]) / min(cpu["today"])
                return f"{median:.2f} (fastest rounds {fastest:.2f})"

            print(
                f"{name}: {pages} pages, {marked.count(thai_breaks.ZWSP)} breaks and "
                f"{marked.count(thai_breaks.GLUE)} glues marked; CPU time, median of "
                f"{args.runs} rounds: today (bare WeasyPrint) "
                f"{statistics.median(cpu['today']):.2f} s; + text layer ratio "
                f"{ratio('text')}; + text layer + word breaks (our renderer) ratio "
                f"{ratio('renderer')}; marking alone (warm) {t_marking * 1000:.0f} ms. "
                f"Wall time: today {t_today:.2f} s, the whole request {t_ours:.2f} s "
                f"(peak {m_ours:.0f} MiB, bare {m_bare:.0f} MiB); second request from the "
                f"cache {t_cached * 1000:.0f} ms"
            )
        print(f"once per process: the segmentation dictionary {t_dictionary:.1f} s")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
