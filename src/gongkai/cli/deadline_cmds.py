"""``gongkai deadline`` and ``gongkai workdays add|show``: thin click over
:mod:`gongkai.register.deadlines` and :mod:`gongkai.workdays`."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import click
from rich.markup import escape

from ..errors import GongkaiError
from ..register.deadlines import ARTICLE_NOTES, due_date, supplement_notice_due
from ..workdays import (
    YearData,
    bundled_year_files,
    default_calendar,
    format_date,
    install_user_file,
)
from ..workdays.datafile import WEEKDAYS_ZH
from ._app import EXIT_FINDINGS, EXIT_OK, fail, format_option, main, out

EXIT_DATA = EXIT_FINDINGS  # bad data (an uncovered year, an invalid file) exits 1

_ZH_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*$")
_NUM_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")


class DateType(click.ParamType):
    """A date as ``2024-09-30``, ``2024/9/30``, ``2024.9.30`` or ``2024年9月30日``."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.date):
            return value
        text = str(value)
        match = _ZH_DATE.match(text) or _NUM_DATE.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                self.fail(f"“{text}” 不是存在的日期", param, ctx)
        self.fail(f"日期应写作 YYYY-MM-DD（如 2024-09-30），得到 “{text}”", param, ctx)


DATE = DateType()


def _day(d: dt.date) -> str:
    return f"{format_date(d)}（{WEEKDAYS_ZH[d.weekday()]}）"


@main.command("deadline")
@click.argument("received", type=DATE)
@click.option("--supplement", type=DATE, help="收到补正申请之日（第三十条：答复期限自此重新起算）")
@click.option(
    "--extension",
    type=int,
    default=0,
    show_default=True,
    help="经批准并告知申请人的延长工作日数（第三十三条第二款，最多20）",
)
@click.option(
    "--pause",
    type=(DATE, DATE),
    multiple=True,
    metavar="START END",
    help="征求意见期间：发出征求意见之日、收到意见之日（第三十三条第三款；可重复）",
)
@click.option("--delay", type=DATE, help="已告知申请人的延迟答复期限（第三十五条）")
@format_option("text", "json")
def deadline_cmd(
    received: dt.date,
    supplement: dt.date | None,
    extension: int,
    pause: tuple[tuple[dt.date, dt.date], ...],
    delay: dt.date | None,
    fmt: str,
) -> None:
    """计算依申请公开的答复期限。RECEIVED 为收到申请之日（第三十一条）。"""
    try:
        cal = default_calendar()
        deadline = due_date(
            received,
            calendar=cal,
            supplement_received=supplement,
            extension_days=extension,
            pauses=pause,
            delay_notified_due=delay,
        )
        notice_due = supplement_notice_due(received, calendar=cal)
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_DATA) from None

    if fmt == "json":
        data = deadline.model_dump(mode="json")
        data["supplement_notice_due"] = notice_due.isoformat()
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        raise SystemExit(EXIT_OK)

    out.print(f"[bold]答复期限：{_day(deadline.due)}[/]")
    origin = "收到补正的申请之日" if supplement else "收到申请之日"
    out.print(f"起算日：{_day(deadline.start)}，{origin}，当日不计入")
    counted = f"计入工作日：{deadline.workdays_counted}个"
    if deadline.extension_days:
        counted += f"（20个 + 延长{deadline.extension_days}个）"
    out.print(counted)
    if deadline.paused_workdays or pause:
        out.print(f"征求意见不计入：{deadline.paused_workdays}个工作日")
    if supplement is None:
        out.print(f"如需补正，告知期限：{_day(notice_due)}（第三十条，7个工作日）")
    out.print("适用条款：")
    for article in deadline.articles:
        out.print(f"  {escape(article)}：{escape(ARTICLE_NOTES.get(article, ''))}")
    raise SystemExit(EXIT_OK)


@main.group("workdays")
def workdays_group() -> None:
    """法定工作日历：查看某年的节假日安排，或添加国务院办公厅新公布的年份。"""


@workdays_group.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="替换已添加的同一年份文件")
def workdays_add(file: Path, force: bool) -> None:
    """校验 FILE（某年节假日安排的 TOML 文件）并添加到用户数据目录。"""
    try:
        data, target = install_user_file(str(file), force=force)
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_DATA) from None
    cited = "、".join(n.number for n in data.notices)
    out.print(f"已添加{data.year}年节假日安排（依据{escape(cited)}）：{escape(str(target))}")
    if str(data.year) in {p.stem for p in bundled_year_files()}:
        out.print(f"{data.year}年已内置；此文件与内置数据一致，计算时仍使用内置数据")
    raise SystemExit(EXIT_OK)


@workdays_group.command("show")
@click.argument("year", type=int)
@format_option("text", "json")
def workdays_show(year: int, fmt: str) -> None:
    """显示 YEAR 年的节假日安排及其依据的通知。"""
    try:
        cal = default_calendar()
        data = cal.year_data(year)
        total = cal.workdays_in_year(year)
    except GongkaiError as e:
        fail(str(e))
        raise SystemExit(EXIT_DATA) from None
    if fmt == "json":
        payload = data.model_dump(mode="json")
        payload["workdays_in_year"] = total
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        raise SystemExit(EXIT_OK)
    _print_year(data, total)
    raise SystemExit(EXIT_OK)


def _print_year(data: YearData, total: int) -> None:
    out.print(f"[bold]{data.year}年节假日安排[/]（{escape(data.source)}）")
    for n in data.notices:
        flag = "" if n.verified else "（文号或日期未核实）"
        line = f"  {escape(n.number)} 《{escape(n.title)}》，{format_date(n.published)}发布{flag}"
        out.print(line)
        if n.note:
            out.print(f"    说明：{escape(n.note)}")
    for f in data.festivals:
        days = (f.end - f.start).days + 1
        span = _day(f.start) if days == 1 else f"{_day(f.start)}至{_day(f.end)}"
        out.print(f"  {escape(f.name)}：{span}放假，共{days}天")
        if f.makeup_workdays:
            worked = "、".join(_day(d) for d in f.makeup_workdays)
            out.print(f"    调休上班：{worked}")
        if f.notice != data.notices[0].number:
            out.print(f"    依据：{escape(f.notice)}")
        if f.note:
            out.print(f"    说明：{escape(f.note)}")
    out.print(f"全年工作日：{total}天")
