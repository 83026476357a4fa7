"""``gongkai render``: a report (any readable file, or its JSON) → the official layout."""

from __future__ import annotations

import errno
import sys
from pathlib import Path

import click
from rich.markup import escape

from ..errors import GongkaiError
from ..parse import parse
from ..render import KINDS, SUFFIXES, kind_for, render
from ._app import EXIT_FINDINGS, EXIT_OK, err, fail, main, out

_SUFFIX_LIST = " ".join(dict.fromkeys(SUFFIXES))
_OS_ERRORS = {
    errno.ENOENT: "目录不存在",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EISDIR: "这是一个目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "文件系统只读",
}


@main.command("render")
@click.argument("input", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    required=True,
    metavar="OUTPUT",
    help=f"输出文件，格式由后缀决定（{_SUFFIX_LIST}）；用 - 输出到标准输出（须配合 --to）",
)
@click.option("--to", "kind", type=click.Choice(KINDS), help="输出格式（默认按输出文件的后缀）")
@click.option("--strict", is_flag=True, help="把解析警告当作错误")
def render_cmd(input: Path, output: str, kind: str | None, strict: bool) -> None:
    """按官方格式生成年报（DOCX、HTML、Markdown 或纯文本）。INPUT 为年报文件或其 JSON。"""
    to = kind or (kind_for(output) if output != "-" else None)
    if to is None:
        raise click.UsageError(
            f"无法从输出文件名「{output}」判断格式：支持的后缀为 {_SUFFIX_LIST}，或用 --to 指定"
        )
    if output != "-" and Path(output).resolve() == input.resolve():
        raise click.UsageError("输出文件与输入文件相同，会覆盖原文件；请换一个输出文件名")
    try:
        report = parse(input, strict=strict)
        result = render(report, to)
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_FINDINGS) from None
    for w in report.warnings:
        err.print(f"[yellow]解析提示：[/]{escape(str(w))}")
    surplus = [r.label for t in report.tables.values() for r in t.rows if r.extra]
    if surplus:
        err.print(
            f"[yellow]提示：[/]{escape('、'.join(f'「{s}」' for s in surplus))}多出的单元格"
            "不属于官方格式，未写入输出"
        )
    data = result if isinstance(result, bytes) else result.encode("utf-8")
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        raise SystemExit(EXIT_OK)
    try:
        Path(output).write_bytes(data)
    except OSError as e:
        why = _OS_ERRORS.get(e.errno or 0, e.strerror or str(e))
        fail(f"无法写入 {output}：{why}")
        raise SystemExit(EXIT_FINDINGS) from None
    out.print(f"已生成：{escape(output)}")
    raise SystemExit(EXIT_OK)
