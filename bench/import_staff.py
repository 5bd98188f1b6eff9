"""How fast the staff import runs: rows per second for a 5,000-row XLSX file.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres DEBUG=1 \
        .venv/bin/python bench/import_staff.py [--rows 5000] [--runs 5]

On PostgreSQL it creates a throwaway database next to the one in DATABASE_URL
(``bench_import_<pid>``), migrates it, and drops it at the end; without DATABASE_URL it
uses a temporary SQLite file. Each figure is the median of ``--runs`` runs of the whole
service call (reading the file, checking every row, writing, reporting):

* dry run  — the preview: every row checked and saved inside a transaction that is
  rolled back;
* real     — the confirmed import of 5,000 new people into an empty organisation,
  with the history of every row recorded (README "History of changes");
* real, no history — the same with ``SIMPLE_HISTORY_ENABLED`` off, run alternately
  with the one above so that both see the same machine: the history's cost;
* re-import — the same file again: every row found unchanged, nothing written.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import throwaway_database

FIRST_NAMES = [
    "สมชาย",
    "สมศรี",
    "กมล",
    "เกษม",
    "แก้ว",
    "โกมล",
    "ไก่",
    "ขวัญ",
    "จันทร์เพ็ญ",
    "ชัยวัฒน์",
    "ณัฐพล",
    "ธนพร",
    "นภา",
    "ประเสริฐ",
    "พรทิพย์",
    "มาลี",
    "วิไล",
    "ศิริพร",
    "สุดา",
    "อรุณ",
]
LAST_NAMES = [
    "ใจดี",
    "มั่นคง",
    "ศรีสุข",
    "บุญมา",
    "แก้วใส",
    "มณี",
    "ทองดี",
    "สุขเจริญ",
    "พูลผล",
    "รุ่งเรือง",
    "วงศ์ไทย",
    "จันทร์หอม",
]
DIVISIONS = {
    "สำนักปลัด": ["งานบริหารทั่วไป", "งานนโยบายและแผน", "งานการเจ้าหน้าที่", "งานกฎหมายและคดี"],
    "กองคลัง": ["งานการเงินและบัญชี", "งานพัฒนาและจัดเก็บรายได้", "งานพัสดุ"],
    "กองช่าง": ["งานก่อสร้าง", "งานออกแบบและควบคุมอาคาร"],
    "กองการศึกษา ศาสนาและวัฒนธรรม": ["งานบริหารการศึกษา", "ศูนย์พัฒนาเด็กเล็ก"],
    "กองสวัสดิการสังคม": ["งานสวัสดิการและพัฒนาชุมชน"],
}
KINDS = [
    ("พนักงานส่วนตำบล", "วิชาการ", "ชำนาญการ", "นักจัดการงานทั่วไป"),
    ("พนักงานส่วนตำบล", "ทั่วไป", "ชำนาญงาน", "เจ้าพนักงานธุรการ"),
    ("ข้าราชการครู", "สายงานการสอน", "ครูชำนาญการ", "ครู"),
    ("ลูกจ้างประจำ", "", "", "พนักงานขับรถยนต์"),
    ("พนักงานจ้างตามภารกิจ", "", "", "ผู้ช่วยเจ้าพนักงานธุรการ"),
    ("พนักงานจ้างทั่วไป", "", "", "คนงานทั่วไป"),
]


def _organisation(slug: str):
    from portal.models import Organization
    from staff.choices import Level, PersonnelType, PositionType
    from staff.models import Position, Unit

    organization = Organization.objects.create(
        slug=slug, name_th="องค์การบริหารส่วนตำบลทดสอบความเร็ว", short_name="อบต.ทดสอบ"
    )
    serial = 0
    for order, (division, sections) in enumerate(DIVISIONS.items(), start=1):
        parent = Unit.objects.create(organization=organization, name=division, order=order)
        for section_order, section in enumerate(sections, start=1):
            unit = Unit.objects.create(
                organization=organization, name=section, parent=parent, order=section_order
            )
            for _n in range(4):
                serial += 1
                Position.objects.create(
                    organization=organization,
                    number=f"12-3-{order:02d}-{section_order:04d}-{serial:03d}",
                    title="นักจัดการงานทั่วไป",
                    personnel_type=PersonnelType.LOCAL_OFFICIAL,
                    position_type=PositionType.ACADEMIC,
                    level=Level.PRACTITIONER,
                    unit=unit,
                )
    return organization


def _workbook(rows: int, positions: list[str]) -> bytes:
    from openpyxl import Workbook

    from staff.resources import HEADERS
    from staff.validators import citizen_id_with_check_digit

    rng = random.Random(2563)
    sections = [f"{d} · {s}" for d, ss in DIVISIONS.items() for s in ss]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for index in range(rows):
        personnel_type, position_type, level, title = rng.choice(KINDS)
        position = (
            rng.choice(positions) if personnel_type == "พนักงานส่วนตำบล" and index % 3 == 0 else ""
        )
        if position:
            position_type, level = "วิชาการ", "ปฏิบัติการ"
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2540, 2567)
        sheet.append(
            [
                citizen_id_with_check_digit(f"3{index + 1:011d}"),
                rng.choice(["นาย", "นาง", "นางสาว"]),
                rng.choice(FIRST_NAMES),
                f"{rng.choice(LAST_NAMES)}{index}",
                "",
                "",
                personnel_type,
                "" if position else rng.choice(sections),
                position,
                "" if position else title,
                position_type,
                level,
                f"{day:02d}/{month:02d}/{year}" if index % 2 else f"{day} ต.ค. {year}",
                f"{day:02d}/{month:02d}/{year - 30}",
                "ปริญญาตรี",
                f"08{rng.randint(10000000, 99999999)}",
                f"person{index}@example.go.th",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _database_version(connection) -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 100}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def _timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    _url, clean_up = throwaway_database("bench_import")
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        # Production runs without DEBUG; with it Django keeps every SQL statement in
        # memory, which is not what we want to measure.
        settings.DEBUG = False

        from staff.importing import staff_import
        from staff.models import Position, StaffMember

        organization = _organisation("bench-import")
        data = _workbook(args.rows, list(Position.objects.values_list("number", flat=True)))

        def run(dry_run: bool):
            report = staff_import(
                organization=organization, data=data, filename="bench.xlsx", dry_run=dry_run
            )
            assert report.ok, (report.file_errors, report.error_rows[:3])
            return report

        def real_import(*, history: bool) -> float:
            settings.SIMPLE_HISTORY_ENABLED = False
            StaffMember.objects.filter(organization=organization).delete()
            # The same empty history table before every run, with or without.
            StaffMember.history.all().delete()
            settings.SIMPLE_HISTORY_ENABLED = history
            seconds, _report = _timed(lambda: run(False))
            settings.SIMPLE_HISTORY_ENABLED = True
            assert StaffMember.objects.filter(organization=organization).count() == args.rows
            recorded = StaffMember.history.filter(history_type="+").count()
            assert recorded == (args.rows if history else 0), recorded
            return seconds

        dry, real, bare, again = [], [], [], []
        for _run in range(args.runs):
            seconds, report = _timed(lambda: run(True))
            assert report.new == args.rows and not StaffMember.objects.exists()
            dry.append(seconds)
        for turn in range(args.runs):
            # Alternately first: neither gains from a warmer cache in every pair.
            order = (True, False) if turn % 2 == 0 else (False, True)
            for history in order:
                (real if history else bare).append(real_import(history=history))
        for _run in range(args.runs):
            seconds, report = _timed(lambda: run(False))
            assert report.unchanged == args.rows
            again.append(seconds)

        print(f"Staff import benchmark: {args.rows:,} rows, XLSX of {len(data) / 1024:.0f} KiB")
        print(f"database: {_database_version(connection)}")
        print(f"python {platform.python_version()} · {platform.machine()} · {os.cpu_count()} CPUs")
        print(f"{'':18} {'median s':>9} {'rows/s':>8}   runs: seconds")
        rows = (("dry run", dry), ("real", real), ("real, no history", bare), ("re-import", again))
        for label, times in rows:
            median = statistics.median(times)
            runs = " ".join(f"{t:.2f}" for t in times)
            print(f"{label:18} {median:9.2f} {args.rows / median:8.0f}   {runs}")
        cost = statistics.median(real) / statistics.median(bare)
        print(f"history: the real import takes {cost:.2f}× the time it takes without it")
    finally:
        clean_up()


if __name__ == "__main__":
    main()
