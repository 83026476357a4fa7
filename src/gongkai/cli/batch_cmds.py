"""``gongkai batch`` and ``gongkai stats``: thin click over :mod:`gongkai.batch`."""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table as RichTable
from rich.text import Text

from ..batch import (
    AgencyMap,
    BatchSummary,
    CopyOptions,
    RegionMap,
    Rollup,
    find_files,
    ingest,
    load_agency_map,
    load_region_map,
    rollup,
    write_rollup_xlsx,
)
from ..batch.pool import executor as _executor
from ..batch.stats import TABLE_KEYS
from ..check.finding import SEVERITY_ZH
from ..errors import GongkaiError
from ..formats import FORMATS
from ._app import EXIT_FINDINGS, EXIT_OK, cannot_write, err, fail, format_option, main, out
from .render_table import column_groups


class _Rate(ProgressColumn):
    """Files per second (rich's own speed column counts bytes)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} 文件/秒" if speed else "— 文件/秒", style="cyan")


@contextmanager
def _signals_interrupt() -> Iterator[None]:
    """SIGTERM stops a batch as Ctrl-C does: workers terminated, the dataset closed in a
    valid state. A second signal during that cleanup is ignored, so that it completes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_IGN)
        raise KeyboardInterrupt

    previous = {s: signal.signal(s, interrupt) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


@main.command("batch")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="输出的数据集：.sqlite、.xlsx、.csv（文件夹）或 .parquet（文件夹）",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="并行的工作进程数（默认为 CPU 核数）",
)
@click.option(
    "--dask",
    "dask_address",
    metavar="ADDRESS",
    help="用 Dask 分布式集群处理：调度器地址（如 tcp://10.0.0.5:8786），或 local 启动本机集群",
)
@click.option(
    "--resume", is_flag=True, help="继续写入已有的 SQLite 数据集，跳过其中已有的文件（按 SHA-256）"
)
@click.option("--overwrite", is_flag=True, help="覆盖已存在的输出")
@click.option(
    "--agencies",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="机关名称映射文件（TOML 或 CSV）：机构改革更名与别名归为同一机关",
)
@click.option(
    "--dup-threshold",
    type=click.FloatRange(0.0, 1.0),
    default=0.8,
    show_default=True,
    help="内容雷同（DUP-1）的相似度阈值",
)
@click.option("--no-dup", is_flag=True, help="不做内容雷同检测")
@click.option("--strict", is_flag=True, help="把解析警告当作错误（该文件记为无法读取）")
@click.option(
    "--timeout",
    type=click.IntRange(min=0),
    default=60,
    show_default=True,
    help="单个文件解析与核查的最长秒数，超时记为无法读取（0 表示不限）；"
    "需OCR识别的每页（页面图片、无文本层的PDF页）另加30秒",
)
@click.option(
    "--no-ocr",
    is_flag=True,
    help="不对图片版PDF和页面图片做OCR识别（这类文件记为无法读取，速度快得多）",
)
@click.option("--quiet", "-q", is_flag=True, help="不显示进度条和摘要（供脚本使用）")
def batch_cmd(
    paths: tuple[str, ...],
    output: Path,
    jobs: int | None,
    dask_address: str | None,
    resume: bool,
    overwrite: bool,
    agencies: Path | None,
    dup_threshold: float,
    no_dup: bool,
    strict: bool,
    timeout: int,
    no_ocr: bool,
    quiet: bool,
) -> None:
    """批量解析、核查年报，写入数据集，并做跨年度核查和内容雷同检测。

    PATHS 可以是文件、目录或通配符（如 "reports/**/*.docx"）。只有页面图片（PNG、JPEG、TIFF）
    而没有其他年报文件的目录算作一份扫描年报；其他目录中，文件名去掉末尾页码后相同的图片
    （如 某局2024_p1.png、某局2024_p2.png）算作一份年报。
    """
    if not find_files(paths):
        fail("没有找到年报文件")
        raise SystemExit(EXIT_FINDINGS)
    jobs = jobs or os.cpu_count() or 1
    try:
        mapping = load_agency_map(agencies) if agencies else AgencyMap()
        copy = None if no_dup else CopyOptions(threshold=dup_threshold)
        with (
            _signals_interrupt(),
            _executor(jobs, dask_address) as (executor, ship),
            _progress(quiet) as progress,
        ):
            summary = ingest(
                paths,
                output,
                executor=executor,
                resume=resume,
                overwrite=overwrite,
                agencies=mapping,
                strict=strict,
                timeout=timeout,
                ocr=not no_ocr,
                copy=copy,
                read_in_parent=ship,
                max_in_flight=4 * jobs,
                progress=progress,
            )
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_FINDINGS) from None
    except KeyboardInterrupt:
        fail(f"已中断；已处理的文件保留在 {output!s}（SQLite 可用 --resume 继续）")
        raise SystemExit(EXIT_FINDINGS) from None
    if not quiet:
        _print_summary(summary)
    raise SystemExit(EXIT_OK)


@contextmanager
def _progress(quiet: bool) -> Iterator[Any]:
    if quiet:
        yield None
        return
    bar = Progress(
        TextColumn("解析与核查"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TextColumn("已用"),
        TimeElapsedColumn(),
        TextColumn("剩余"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    task = bar.add_task("files", total=None)

    def update(done: int, total: int) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update


def _print_summary(s: BatchSummary) -> None:
    seconds = s.seconds.get("total", 0.0)
    rate = s.processed / s.seconds["parse"] if s.seconds.get("parse") else 0.0
    skipped = f"，跳过已有 {s.skipped} 个" if s.skipped else ""
    out.print(
        f"已写入 {escape(s.output)}：共 {s.files} 个文件，解析成功 {s.ok} 个，"
        f"无法读取 {s.errors} 个{skipped}"
    )
    n = s.findings
    out.print(
        f"单份报告核查：错误 {n.get('error', 0)} 条，警告 {n.get('warning', 0)} 条，"
        f"提示 {n.get('info', 0)} 条"
    )
    if s.batch_findings:
        parts = "，".join(f"{rule} {n} 条" for rule, n in sorted(s.batch_findings.items()))
        out.print(f"跨年度核查与内容雷同：{parts}")
    out.print(f"用时 {seconds:.1f} 秒（解析与核查 {rate:.1f} 文件/秒）")
    if s.slowest and s.slowest[0] >= 5:
        out.print(f"最慢的文件：{escape(s.slowest[1])}（{s.slowest[0]:.1f} 秒）")


@main.command("stats")
@click.argument("dataset", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--by",
    type=click.Choice(["year", "format", "region"]),
    default="year",
    show_default=True,
    help="分组：年度、格式或地区",
)
@click.option(
    "--regions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="地区映射文件（TOML 或 CSV）：机关或地名 → 地区",
)
@format_option("table", "json", "xlsx")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="输出文件")
def stats_cmd(dataset: Path, by: str, regions: Path | None, fmt: str, output: Path | None) -> None:
    """汇总 gongkai batch 生成的 SQLite 数据集：按组合计表三、表四，统计核查结果。"""
    if fmt == "xlsx" and output is None:
        raise click.UsageError("--format xlsx 需要用 -o 指定输出文件")
    try:
        region_map = load_region_map(regions) if regions else RegionMap()
        if by == "region" and regions is None:
            err.print("[yellow]提示：[/]未提供 --regions，所有机关归入未知地区")
        result = rollup(dataset, by=by, regions=region_map)  # type: ignore[arg-type]
        if fmt == "xlsx":
            assert output is not None
            write_rollup_xlsx(result, output)
            out.print(f"已写入 {escape(str(output))}")
        elif fmt == "json":
            text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2)
            if output:
                output.write_text(text + "\n", encoding="utf-8")
            else:
                click.echo(text)
        else:
            _print_rollup(result)
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_FINDINGS) from None
    except OSError as e:  # reading goes through DatasetError: an OSError here is the output
        fail(cannot_write(output or "标准输出", e))
        raise SystemExit(EXIT_FINDINGS) from None
    raise SystemExit(EXIT_OK)


def _print_rollup(r: Rollup) -> None:
    # Leaf labels (自然人, 结果维持 …): the full header paths do not fit a terminal.
    leaf = {
        c.key: c.label for f in FORMATS.values() for t in TABLE_KEYS for c in f.table(t).columns
    }
    for g in r.groups:
        out.print(
            f"[bold]{escape(g.group)}[/]：报告 {g.reports} 份，已解析 {g.parsed} 份，"
            f"无法读取 {g.unreadable} 份；有错误级问题的报告 {g.with_errors} 份"
            f"（{g.share_with_errors:.1%}）"
        )
        t3 = RichTable(title="表三合计", title_justify="left")
        t3.add_column("行", max_width=18, no_wrap=True, overflow="ellipsis")
        for key, _ in r.columns["t3"]:
            t3.add_column(leaf[key], justify="right")
        for row, label in r.rows_for(g, "t3"):
            t3.add_row(escape(label), *(_n(g.total("t3", row, c)) for c, _ in r.columns["t3"]))
        out.print(t3)
        # Table 四 as its groups (复议, 直接起诉, 复议后起诉), like `gongkai parse`.
        t4 = RichTable(title="表四合计", title_justify="left")
        t4.add_column("")
        groups = column_groups(next(iter(FORMATS.values())).table("t4").columns)
        for col in groups[0]:
            t4.add_column(col.label, justify="right")
        for row, _ in r.rows_for(g, "t4"):
            for group in groups:
                name = "·".join(group[0].groups)
                t4.add_row(escape(name), *(_n(g.total("t4", row, c.key)) for c in group))
        out.print(t4)
        if g.findings:
            ft = RichTable(title="核查结果", title_justify="left")
            for h in ("规则", "级别", "条数"):
                ft.add_column(h)
            for (rule, sev), n in sorted(g.findings.items()):
                ft.add_row(rule, SEVERITY_ZH.get(sev, sev), str(n))
            out.print(ft)


def _n(v: int | float) -> str:
    return str(v) if isinstance(v, int) else f"{v:g}"
