"""Batch throughput, memory and copy-detection time over generated reports.

Generates N text reports from the seeds of tests/corpus/ (agency names, years, narrative
numbers and sentences varied; both formats, each agency a run of consecutive years so the
cross-year checks have work), then runs ``gongkai.batch.ingest`` into SQLite with a process
pool of 1 and of 2 workers. Prints wall time, files/s, peak memory (parent + workers) and the
time of the batch-level stages. Run::

    .venv/bin/python benchmarks/batch.py            # 10 000 reports, 1 and 2 workers
    .venv/bin/python benchmarks/batch.py -n 2000 --workers 2
    .venv/bin/python benchmarks/batch.py --workers 2 --format xlsx   # the XLSX dataset

Record the figures, with the date and the machine, in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import gongkai
from gongkai.batch import ingest

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
PLACES = "东西南北中安平宁清江河山湖海城新华兴丰和永昌泰阳德明川源溪林"
UNITS = ("区", "县", "市")
BODIES = (
    "科学技术局",
    "人民政府办公室",
    "教育局",
    "民政局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "市场监督管理局",
    "卫生健康局",
    "应急管理局",
    "统计局",
    "审计局",
    "人民政府",
)
SMALL_NUMBER = re.compile(r"(?<![0-9])[0-9]{1,3}(?![0-9])")
YEAR = re.compile(r"20[12][0-9]")


def seeds() -> dict[str, list[tuple[str, str, int]]]:
    """Seed texts by format: (text, agency as parsed, year)."""
    out: dict[str, list[tuple[str, str, int]]] = {"2019": [], "2021": []}
    for p in sorted(CORPUS.glob("*.txt")):
        r = gongkai.parse(p)
        assert r.agency and r.year
        out[r.format].append((p.read_text(encoding="utf-8"), r.agency, r.year))
    return out


def vary(text: str, agency: str, seed_year: int, name: str, year: int, rng: random.Random) -> str:
    text = text.replace(agency, name)
    shift = year - seed_year
    text = YEAR.sub(lambda m: str(int(m.group()) + shift), text)
    keep = rng.uniform(0.4, 1.0)  # how much of the seed's narrative this body copied
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) > 40 and "\t" not in line:  # a narrative paragraph, not a table row
            line = SMALL_NUMBER.sub(lambda m: str(rng.randint(0, 10 ** len(m.group()) - 1)), line)
            parts = line.split("。")
            line = "。".join(s for i, s in enumerate(parts) if i == 0 or rng.random() < keep)
        out.append(line)
    return "\n".join(out)


def generate(folder: Path, n: int, seed: int = 1) -> int:
    """Write ``n`` reports into ``folder``; returns the number of agencies."""
    rng = random.Random(seed)
    by_format = seeds()
    years = list(range(2019, 2025))  # 2019–2020 in the 2019 format, 2021– in the 2021 format
    agencies = (n + len(years) - 1) // len(years)
    written = 0
    for a in range(agencies):
        place = "".join(rng.sample(PLACES, 2)) + rng.choice(UNITS)
        name = f"{place}第{a}{rng.choice(BODIES)}"
        picks = {f: rng.choice(v) for f, v in by_format.items()}
        for year in years:
            if written >= n:
                return agencies
            text, agency, seed_year = picks["2019" if year <= 2020 else "2021"]
            body = vary(text, agency, seed_year, name, year, rng)
            (folder / f"{a:05d}_{year}.txt").write_text(body, encoding="utf-8")
            written += 1
    return agencies


class PeakMemory:
    """Samples the resident memory of this process and all its descendants (psutil)."""

    def __init__(self, interval: float = 0.2) -> None:
        import psutil

        self._psutil = psutil
        self.interval = interval
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        me = self._psutil.Process()
        while not self._stop.is_set():
            rss = pss = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    info = p.memory_full_info()
                except (self._psutil.NoSuchProcess, self._psutil.AccessDenied):
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self.interval)


def cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def _size(out: Path) -> int:
    return sum(p.stat().st_size for p in out.iterdir()) if out.is_dir() else out.stat().st_size


def run(folder: Path, out: Path, workers: int) -> None:
    files = sum(1 for _ in folder.iterdir())
    load = os.getloadavg()[0]
    me, kids = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    with PeakMemory() as mem, ProcessPoolExecutor(max_workers=workers) as pool:
        start = time.perf_counter()
        summary = ingest([folder], out, executor=pool, max_in_flight=4 * workers)
        wall = time.perf_counter() - start
    me, kids = cpu(resource.RUSAGE_SELF) - me, cpu(resource.RUSAGE_CHILDREN) - kids
    s = summary.seconds
    print(
        f"{workers} worker(s): {files} files in {wall:.1f} s wall = {files / wall:.0f} files/s "
        f"(parse+check+write stage {s['parse']:.1f} s = {files / s['parse']:.0f} files/s)"
    )
    print(
        f"  CPU: parent {me:.1f} s (writing, batch stages), workers {kids:.1f} s "
        f"({1000 * kids / files:.1f} ms/file); load average before the run {load:.2f}"
    )
    print(f"  ok {summary.ok}, unreadable {summary.errors}; per-report findings {summary.findings}")
    print(f"  batch findings {summary.batch_findings}")
    print(
        f"  cross-year {s['cross_year']:.2f} s; copy detection {s['copy_detection']:.2f} s; "
        f"output {_size(out) / 2**20:.0f} MiB"
    )
    print(
        f"  peak memory, parent + workers: RSS sum {mem.peak_rss / 2**20:.0f} MiB, "
        f"PSS sum {mem.peak_pss / 2**20:.0f} MiB (shared pages counted once)"
    )
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  ru_maxrss: parent {me:.0f} MiB, largest worker so far {kids:.0f} MiB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="reports to generate")
    ap.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated")
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    ap.add_argument(
        "--format", default="sqlite", choices=["sqlite", "xlsx", "csv", "parquet"], help="output"
    )
    args = ap.parse_args()
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs; "
        f"{time.strftime('%Y-%m-%d')}"
    )
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        folder = args.keep or Path(tmp) / "reports"
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        agencies = generate(folder, args.n)
        print(
            f"generated {args.n} reports of {agencies} agencies in {time.perf_counter() - t:.1f} s"
        )
        for w in (int(x) for x in args.workers.split(",")):
            run(folder, Path(tmp) / f"out-{w}.{args.format}", w)


if __name__ == "__main__":
    main()
