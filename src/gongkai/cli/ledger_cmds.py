"""``gongkai ledger template|check|report``: thin click over :mod:`gongkai.register.ledger`
and :func:`gongkai.register.annual.build_report`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from rich.cells import cell_len
from rich.markup import escape

from .. import check as run_check
from ..check.finding import Finding
from ..errors import GongkaiError
from ..formats import outcomes
from ..register.ledger import (
    APPLICATIONS_SHEET,
    REVIEWS_SHEET,
    Ledger,
    LedgerCase,
    LedgerIssue,
    read_ledger,
)
from ..report import Location, ParseWarning, Report
from ..workdays.datafile import format_date
from ._app import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, cannot_write, err, fail, main, out
from .deadline_cmds import DATE

EXCLUDED_CODE = "LEDGER-EXCLUDED"
NO_T4_CODE = "LEDGER-NO-T4"


@main.group("ledger")
def ledger_group() -> None:
    """依申请公开台账（Excel）：生成空白台账、检查台账、由台账生成年报表三和表四。"""


@ledger_group.command("template")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="覆盖已存在的文件")
def template_cmd(path: Path, force: bool) -> None:
    """生成空白台账 PATH（.xlsx）：带下拉列表、日期格式和填写说明。"""
    from ..register.ledger import write_template

    if path.suffix.lower() != ".xlsx":
        fail(f"台账文件名应以 .xlsx 结尾：{path!s}")
        raise SystemExit(EXIT_USAGE)
    if path.exists() and not force:
        fail(f"{path!s} 已存在；如要覆盖，请加 --force")
        raise SystemExit(EXIT_FINDINGS)
    try:
        write_template(str(path))
    except OSError as e:
        fail(cannot_write(path, e))
        raise SystemExit(EXIT_FINDINGS) from None
    out.print(f"已生成空白台账：{escape(str(path))}")
    raise SystemExit(EXIT_OK)


def _read(path: Path, on: dt.date | None) -> Ledger:
    try:
        return read_ledger(str(path), on=on)
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_FINDINGS) from None


def _print_issues(issues: list[LedgerIssue]) -> None:
    for issue in issues:
        colour = "red" if issue.severity == "error" else "yellow"
        err.print(f"[{colour}]{escape(str(issue))}[/]")


@ledger_group.command("check")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--on", type=DATE, default=None, help="检查未办结申请是否逾期的日期（默认今天）")
@click.option("--quiet", "-q", is_flag=True, help="只列出问题，不显示每件申请的答复期限")
def check_cmd(path: Path, on: dt.date | None, quiet: bool) -> None:
    """检查台账 PATH：列出每一处有问题的行（工作表和行号），并显示每件申请的答复期限。"""
    day = on or dt.date.today()
    ledger = _read(path, day)
    if not quiet and ledger.cases:
        out.print(f"{escape(ledger.path)} 依申请公开（按 {format_date(day)} 检查）")
        _print_cases(ledger.cases, day)
    _print_issues(ledger.issues)
    n_err, n_warn = len(ledger.errors), len(ledger.warnings)
    summary = (
        f"共 {len(ledger.cases) + len(ledger.excluded)} 件申请、{len(ledger.reviews)} 件复议诉讼"
        f"可读；错误 {n_err} 处（{len(ledger.excluded)} 行），警告 {n_warn} 处"
    )
    (err if n_err else out).print(summary)
    raise SystemExit(EXIT_FINDINGS if n_err else EXIT_OK)


LATE = "逾期"
_CHUNK = 1000  # lines per write


def _print_cases(cases: list[LedgerCase], day: dt.date) -> None:
    """One plain line per application under a header, streamed in chunks.

    A rich Table measures every cell of every row before printing the first (about 1 ms a
    row and every row's segments in memory: minutes and hundreds of MB for 100 000 rows), so
    the columns' widths come from the possible values instead and each line is padded as it
    is written. A late deadline is marked with a word, not only a colour, so that it survives
    a redirect to a file.
    """
    from ..register.cases import STATE_LABELS, applicant_label
    from ..register.ledger import applicant_labels

    pending = "待补正，未起算"  # 第三十条: the deadline runs from the day the 补正 arrives
    ids = [" ".join(c.application.id.split()) for c in cases]  # a newline typed into a cell
    widths = [
        max(cell_len("行"), len(str(max(c.row for c in cases)))),
        max(cell_len("编号"), *map(cell_len, ids)),
        max(cell_len(label) for label in ["申请人类型", *applicant_labels()]),
        10,  # ISO dates: ten characters keep eight columns readable in a terminal
        max(cell_len(label) for label in ["状态", *STATE_LABELS.values()]),
        max(10 + 1 + cell_len(LATE), cell_len(pending)),
        10,
    ]

    def line(cells: list[str]) -> str:
        padded = [text + " " * (w - cell_len(text)) for text, w in zip(cells, widths, strict=False)]
        return "  ".join([*padded, *cells[len(widths) :]]).rstrip()

    header = ["行", "编号", "申请人类型", "收到申请", "状态", "答复期限", "办结日期", "办理结果"]
    chunk = [line(header), "-" * (sum(widths) + 2 * len(widths) + cell_len("办理结果"))]
    for case, shown_id in zip(cases, ids, strict=True):
        app = case.application
        due = case.deadline.due if case.deadline else None
        if due is not None:
            late = (app.closed is not None and app.closed > due) or (
                app.closed is None and due < day
            )
            due_text = f"{due.isoformat()} {LATE}" if late else due.isoformat()
        elif app.supplement_requested and not app.supplement_received:
            due_text = pending
        else:
            due_text = "—"
        chunk.append(
            line(
                [
                    str(case.row),
                    shown_id,
                    applicant_label(app.applicant),
                    app.received.isoformat() if app.received else "",
                    STATE_LABELS[app.state],
                    due_text,
                    app.closed.isoformat() if app.closed else "",
                    outcomes.get(app.outcome).label if app.outcome else "",
                ]
            )
        )
        if len(chunk) >= _CHUNK:
            click.echo("\n".join(chunk))
            chunk.clear()
    if chunk:
        click.echo("\n".join(chunk))


def _simple_markdown(report: Report) -> str:
    """Tables 三 and 四 as Markdown, for when gongkai.render is not available."""
    spec = report.spec
    lines = [f"# {report.title or ''}", ""]
    if report.preamble:
        lines += [report.preamble, ""]
    for key in ("t3", "t4"):
        t = spec.table(key)
        table = report.tables.get(key)
        lines += [f"## 表{t.number} {t.title}", ""]
        lines.append("| | " + " | ".join(c.full_label for c in t.columns) + " |")
        lines.append("|---" * (len(t.columns) + 1) + "|")
        for row in table.rows if table else []:
            label = f"{spec.table(key).row(row.key).group or ''} {row.label}".strip()
            lines.append(f"| {label} | " + " | ".join(c.raw for c in row.cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _is_absent_t4(finding: Finding) -> bool:
    where = finding.location
    return finding.rule == "T0-2" and where is not None and where.table == "t4"


def _leave_out_t4(report: Report, source: str) -> None:
    """Table 四 could not be computed (no readable review sheet): leave it out of the report,
    as table 二 is, and say so where the reader of the document will see it — a table of
    zeros would claim the agency had no 复议 or 诉讼 cases."""
    del report.tables["t4"]
    note = (
        f"【注意：台账中没有可读的「{REVIEWS_SHEET}」工作表，表四（行政复议、行政诉讼情况）"
        "未能由台账计算，须由填报人填写】"
    )
    report.preamble = f"{report.preamble}\n{note}" if report.preamble else note
    report.warnings.append(
        ParseWarning(
            code=NO_T4_CODE,
            message=f"台账中没有可读的「{REVIEWS_SHEET}」工作表，表四未能计算",
            location=Location(file=source, label=REVIEWS_SHEET),
        )
    )
    err.print(f"[yellow]{escape(note)}[/]")


def _write(report: Report, output: Path) -> None:
    suffix = output.suffix.lower()
    if suffix == ".json":
        output.write_text(report.to_json(indent=2), encoding="utf-8")
        return
    try:
        from ..render import kind_for, render
    except ImportError:  # the renderers are optional for the ledger: fall back to plain Markdown
        if suffix in {".md", ".markdown"}:
            output.write_text(_simple_markdown(report), encoding="utf-8")
            return
        raise GongkaiError(f"不支持的输出格式：{output.suffix}（可用：.json、.md）") from None
    kind = kind_for(output)
    if kind is None:
        raise GongkaiError(
            f"不支持的输出格式：{output.suffix}（可用：.json、.md、.docx、.html、.txt）"
        )
    rendered = render(report, to=kind)
    if isinstance(rendered, bytes):
        output.write_bytes(rendered)
    else:
        output.write_text(rendered, encoding="utf-8")


@ledger_group.command("report")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", "-y", type=int, required=True, help="报告年度")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="输出文件：.json、.md、.docx（.html、.txt）",
)
@click.option("--agency", "-a", default=None, help="机关名称（用于标题）")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["2019", "2021"]),
    default=None,
    help="年报格式（默认按年度：2019、2020年度为2019格式，2021年度起为2021格式）",
)
@click.option("--force", is_flag=True, help="台账有错误时，排除有错误的行仍生成（排除的行会写明）")
def report_cmd(
    path: Path, year: int, output: Path, agency: str | None, fmt: str | None, force: bool
) -> None:
    """由台账 PATH 生成 YEAR 年度年报的表三和表四（表二和正文留给填报人）。"""
    from ..register.annual import build_report, fee_summary

    ledger = _read(path, None)
    _print_issues(ledger.issues)
    excluded = ledger.excluded
    no_t4 = ledger.t4_unreadable
    if any(i.sheet != REVIEWS_SHEET for i in ledger.structural):
        fail(
            f"台账「{APPLICATIONS_SHEET}」工作表或表头有误，无法生成年报"
            "（--force 也不能排除整张工作表）"
        )
        raise SystemExit(EXIT_FINDINGS)
    if ledger.errors and not force:
        remedies = (["加 --force 排除这些行"] if excluded else []) + (
            ["加 --force 生成不含表四的年报"] if no_t4 else []
        )
        fail(
            f"台账有 {len(ledger.errors)} 处错误（{len(excluded)} 行），未生成年报；"
            f"请改正后重试，或{'、'.join(remedies)}"
        )
        raise SystemExit(EXIT_FINDINGS)
    try:
        report = build_report(
            ledger.applications, ledger.review_cases, year, agency, fmt, source=ledger.path
        )
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_FINDINGS) from None
    if excluded:
        named = "、".join(
            f"「{sheet}」第{row}行" + (f"（编号 {cid}）" if cid else "")
            for sheet, row, cid in excluded
        )
        note = f"【注意：台账中以下 {len(excluded)} 行有错误，未计入本报告的表格：{named}】"
        report.preamble = note
        report.warnings.extend(
            ParseWarning(
                code=EXCLUDED_CODE,
                message=f"台账此行有错误，未计入表格{f'（编号 {cid}）' if cid else ''}",
                location=Location(file=ledger.path, label=sheet, row=row),
            )
            for sheet, row, cid in excluded
        )
        err.print(f"[yellow]{escape(note)}[/]")
    if no_t4:
        _leave_out_t4(report, ledger.path)
    try:
        _write(report, output)
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_FINDINGS) from None
    except OSError as e:
        fail(cannot_write(output, e))
        raise SystemExit(EXIT_FINDINGS) from None
    findings = [
        f
        for f in run_check(report)
        # A table 四 left out on --force is announced above, not an inconsistency found.
        if f.severity == "error" and not (no_t4 and _is_absent_t4(f))
    ]
    for f in findings:
        err.print(f"[red]{escape(str(f))}[/]")
    r1, r2, t, r4 = (report.number("t3", r, "total") for r in ("r1", "r2", "t", "r4"))
    if no_t4:
        t4_text = f"表四未能计算（台账中没有可读的「{REVIEWS_SHEET}」）"
    else:
        reviews, direct, after = (
            report.number("t4", "cases", f"{k}_total") for k in ("review", "direct", "after")
        )
        t4_text = f"行政复议 {reviews} 件，行政诉讼 {direct + after} 件"
    out.print(
        f"已生成 {escape(str(output))}：{year}年度本年新收 {r1} 件，上年结转 {r2} 件，"
        f"办结 {t} 件，结转下年度 {r4} 件；{escape(t4_text)}"
    )
    fees = fee_summary(ledger.applications, year)
    if fees.notices or fees.collected:
        out.print(
            f"信息处理费（供第六部分填写）：发出收费通知 {fees.notices} 件，"
            f"金额 {fees.notified} 元，实际收取 {fees.collected} 元"
        )
    out.print("表二（主动公开）和正文各部分须由填报人填写。")
    raise SystemExit(EXIT_FINDINGS if findings else EXIT_OK)
