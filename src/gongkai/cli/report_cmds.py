"""``gongkai parse`` and ``gongkai check``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import click

from .. import check as run_check
from .. import parse as run_parse
from ..check.finding import SEVERITY_ZH, Finding
from ..check.rules import WARNINGS_REPORTED_AS
from ..errors import GongkaiError
from ..files import Pages, Source, find_files, is_image_name, source_path
from ..report import Report
from . import render_table
from ._app import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, err, fail, format_option, main, out


@main.command("parse")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@format_option("table", "json")
@click.option("--strict", is_flag=True, help="把解析警告当作错误")
def parse_cmd(files: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """读取一份年报，输出其表格（JSON 或表格形式）。FILES 是一个文件；也可以是装有一份年报各页
    图片的文件夹（按文件名排序），或同一份年报的几张页面图片（按给出的顺序），经OCR识别。"""
    if len(files) > 1 and not all(is_image_name(f) for f in files):
        fail("一次只读取一份年报：给出多个文件时，须都是同一份年报的页面图片（PNG、JPEG、TIFF）")
        raise SystemExit(EXIT_USAGE)
    try:
        report = run_parse(files[0] if len(files) == 1 else list(files), strict=strict)
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_FINDINGS) from None
    if fmt == "json":
        click.echo(report.to_json(indent=2))
    else:
        out.print(
            f"[bold]{report.agency or '（未知机关）'}[/] {report.year or '？'}年度 "
            f"{report.spec.name}（{report.spec.document}）"
        )
        for t in render_table.tables(report):
            out.print(t)
    for w in report.warnings:
        err.print(f"[yellow]解析提示：[/]{_esc(str(w))}")
    raise SystemExit(EXIT_OK)


@main.command("check")
@click.argument("files", nargs=-1, required=True)
@format_option("text", "json")
@click.option("--strict", is_flag=True, help="把解析警告当作错误")
@click.option("--quiet", "-q", is_flag=True, help="只显示错误级别的问题")
def check_cmd(files: tuple[str, ...], fmt: str, strict: bool, quiet: bool) -> None:
    """核查年报表格的勾稽关系和正文与表格的一致性。FILES 可以是文件或目录。"""
    results: list[dict[str, Any]] = []
    totals: Counter[str] = Counter()
    unreadable = 0
    paths = _reports(files)
    if not paths:
        fail("没有找到年报文件")
        raise SystemExit(EXIT_FINDINGS)
    for source in paths:
        path = Path(source_path(source))
        try:
            if isinstance(source, Pages):  # one scanned report given as its page images
                report = run_parse(list(source.pages), strict=strict, name=path.name)
            else:
                report = run_parse(source, strict=strict)
        except Exception as e:  # one bad file (or a parser bug) must not stop the others
            message = str(e) if isinstance(e, GongkaiError) else internal_error(path, e)
            unreadable += 1
            results.append({"file": str(path), "error": message})
            if fmt == "text":
                fail(message)
            continue
        findings = run_check(report)
        totals.update(f.severity for f in findings)
        results.append(_result(path, report, findings))
        if fmt == "text":
            _print_text(path, report, findings, quiet)
    if fmt == "json":
        click.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        out.print(
            f"共 {len(paths)} 个文件：错误 {totals['error']} 条，警告 {totals['warning']} 条，"
            f"提示 {totals['info']} 条；无法读取 {unreadable} 个"
        )
    failed = unreadable > 0 or totals["error"] > 0
    raise SystemExit(EXIT_FINDINGS if failed else EXIT_OK)


def internal_error(path: Path, e: Exception) -> str:
    return f"{path.name}：程序内部错误（{type(e).__name__}: {e}），请报告此文件"


def _result(path: Path, report: Report, findings: list[Finding]) -> dict[str, Any]:
    return {
        "file": str(path),
        "agency": report.agency,
        "year": report.year,
        "format": report.format,
        "warnings": [w.model_dump(mode="json") for w in report.warnings],
        "findings": [f.model_dump(mode="json") for f in findings],
    }


_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _print_text(path: Path, report: Report, findings: list[Finding], quiet: bool) -> None:
    out.print(
        f"[bold]{_esc(str(path))}[/]（{report.agency or '未知机关'} {report.year or '？'}年度，"
        f"{report.spec.name}）"
    )
    shown = [f for f in findings if not quiet or f.severity == "error"]
    for f in shown:
        place = f.location.describe() if f.location else ""
        place = place.removeprefix(report.source or "\0").strip()
        out.print(
            f"  [{_STYLE[f.severity]}]{SEVERITY_ZH[f.severity]}[/] [{f.rule}] "
            f"{_esc(place) + '：' if place else ''}{_esc(f.message)}"
        )
    if not quiet:
        for w in report.warnings:
            if w.code in WARNINGS_REPORTED_AS:
                continue
            place = w.location.describe() if w.location else ""
            place = place.removeprefix(report.source or "\0").strip()
            out.print(f"  [dim]解析提示[/] {_esc(place) + '：' if place else ''}{_esc(w.message)}")
    if not shown and (quiet or not report.warnings):
        out.print("  [green]未发现问题[/]")


def _esc(s: str) -> str:
    return s.replace("[", r"\[")


def _reports(files: tuple[str, ...]) -> list[Source]:
    """The reports named: files and folders as for every command; page images grouped into
    reports as files.find_files says (a folder holding page images and no report file is one
    scanned report, its pages in name order)."""
    return find_files(files)
