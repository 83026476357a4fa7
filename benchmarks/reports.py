"""How long the annual report takes to assemble and check as the register grows.

    .venv/bin/python benchmarks/reports.py [N ...]   # total demo cases (half per agency)

For each N: a fresh SQLite database in a temporary data directory, the demo loaded with N
cases over last year and this year, then agency A's report for last year: reading its register
(``sources.register_cases``), assembling and checking it (``assemble.checked``), and one save
(``service.save_text``: assemble, check, store a version). Prints one line per N.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time


def main(sizes: list[int]) -> None:
    os.environ["GONGKAI_DATA"] = tempfile.mkdtemp(prefix="gongkai-bench-")
    os.environ.setdefault("GONGKAI_SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.web import demo
    from gongkai.web.cases.models import Case, CaseEvent
    from gongkai.web.reports import assemble, service, sources
    from gongkai.web.reports.models import AnnualReport, ReportEvent, ReportVersion

    call_command("migrate", verbosity=0)
    today = dt.date(2025, 12, 31)
    print(f"{'cases':>8} {'in year':>8} {'read s':>8} {'check s':>8} {'save s':>8}")
    for n in sizes:
        with connection.cursor() as c:  # start empty (versions refuse a delete by design)
            for model in (ReportEvent, ReportVersion, AnnualReport, CaseEvent, Case):
                c.execute(f"DELETE FROM {model._meta.db_table}")
        demo.load(n, today=today)
        report = AnnualReport.objects.get(year=today.year - 1)
        t0 = time.perf_counter()
        counted = sources.register_cases(report.organisation, report.year)
        t1 = time.perf_counter()
        assemble.checked(report)
        t2 = time.perf_counter()
        service.save_text(report.pk, report.version, report.preamble, {6: "无。"}, None)
        t3 = time.perf_counter()
        print(f"{n:>8} {len(counted):>8} {t1 - t0:>8.2f} {t2 - t1:>8.2f} {t3 - t2:>8.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2000, 20000, 100000])
