"""Write an empty Excel ledger (xlsxwriter): headers, dropdowns, date columns, instructions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from xlsxwriter.workbook import Workbook  # type: ignore[import-untyped]
from xlsxwriter.worksheet import Worksheet  # type: ignore[import-untyped]

from .. import formats
from ..files import close_xlsx
from ..formats import outcomes as _outcomes
from .deadlines import MAX_EXTENSION_WORKDAYS
from .ledger import (
    APPLICATION_COLUMNS,
    APPLICATIONS_SHEET,
    CHOICES,
    HELP_SHEET,
    LISTS_SHEET,
    REVIEW_COLUMNS,
    REVIEWS_SHEET,
    LedgerColumn,
)

ROWS = 5000  # rows given dropdowns and formats; more can be added by copying a row
FIRST_DATE = dt.date(2019, 5, 15)  # the revised 条例 took effect; earlier dates are typos


def _col(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        name = chr(65 + rem) + name
    return name


def _ranges() -> dict[tuple[str, str], str]:
    """Where each dropdown list lives on the hidden list sheet (one column per list)."""
    ranges: dict[tuple[str, str], str] = {}
    for i, (key, labels) in enumerate(CHOICES.items()):
        c = _col(i)
        ranges[key] = f"='{LISTS_SHEET}'!${c}$2:${c}${len(labels()) + 1}"
    return ranges


def _write_lists(book: Workbook) -> None:
    sheet = book.add_worksheet(LISTS_SHEET)
    for i, (key, labels) in enumerate(CHOICES.items()):
        sheet.write(0, i, f"{key[0]}·{key[1]}")
        for j, value in enumerate(labels(), start=1):
            sheet.write(j, i, value)
    sheet.hide()


def _data_sheet(
    book: Workbook,
    name: str,
    columns: tuple[LedgerColumn, ...],
    ranges: dict[tuple[str, str], str],
    fmt: Callable[[str], object],
) -> Worksheet:
    sheet = book.add_worksheet(name)
    sheet.freeze_panes(1, 1)  # header row and the 编号 column stay in view
    sheet.set_row(0, 30)
    for j, column in enumerate(columns):
        header = f"{column.header}*" if column.required else column.header
        sheet.write(0, j, header, fmt("required" if column.required else "header"))
        if column.help:
            sheet.write_comment(0, j, column.help, {"x_scale": 2, "y_scale": 1.5})
        cell_format = {"date": "date", "int": "int", "money": "money"}.get(column.kind, "text")
        sheet.set_column(j, j, column.width, fmt(cell_format))
        area = (1, j, ROWS, j)
        if column.kind == "choice":
            sheet.data_validation(
                *area,
                {
                    "validate": "list",
                    "source": ranges[(name, column.key)],
                    "error_title": column.header,
                    "error_message": f"请从下拉列表中选择{column.header}",
                },
            )
        elif column.kind == "date":
            sheet.data_validation(
                *area,
                {
                    "validate": "date",
                    "criteria": ">=",
                    "value": FIRST_DATE,
                    "error_title": column.header,
                    "error_message": "请填写日期，如 2024-03-01",
                },
            )
        elif column.key == "extension_days":
            sheet.data_validation(
                *area,
                {
                    "validate": "integer",
                    "criteria": "between",
                    "minimum": 1,
                    "maximum": MAX_EXTENSION_WORKDAYS,
                    "error_title": column.header,
                    "error_message": "延长的期限最长不得超过20个工作日（《条例》第三十三条第二款）",
                },
            )
        elif column.kind == "money":
            sheet.data_validation(
                *area,
                {
                    "validate": "decimal",
                    "criteria": ">=",
                    "value": 0,
                    "error_message": "收费金额应为不小于0的数（元）",
                },
            )
    sheet.autofilter(0, 0, 0, len(columns) - 1)
    return sheet


def _help(sheet: Worksheet, fmt: Callable[[str], object]) -> None:
    sheet.set_column(0, 0, 24)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 3, 30)
    row = 0

    def line(*cells: str, style: str = "wrap") -> None:
        nonlocal row
        for j, text in enumerate(cells):
            sheet.write(row, j, text, fmt(style))
        row += 1

    line("政府信息公开申请台账 · 填写说明", style="title")
    line("")
    for text in (
        f"1. 「{APPLICATIONS_SHEET}」每行一件申请，"
        f"「{REVIEWS_SHEET}」每行一件行政复议或行政诉讼案件。",
        "2. 带 * 的列必填；日期写作 2024-03-01；下拉列表的列请从列表中选择。",
        "3. 办结日期与办理结果同时填写；尚未办结的申请两者都留空，年报计入「结转下年度继续办理」。",
        "4. 逾期不补正、逾期未缴费、申请人撤回的，也填写办结日期，并选择对应的办理结果。",
        "5. 检查台账：gongkai ledger check 台账.xlsx"
        "（列出每一处问题的工作表和行号，并计算答复期限）。",
        "6. 生成年报表格：gongkai ledger report 台账.xlsx --year 2024 -o 年报.json"
        "（有错误的行不会被计入；加 --force 时排除这些行并列出）。",
    ):
        line(text)
    line("")
    for title, columns in (
        (APPLICATIONS_SHEET, APPLICATION_COLUMNS),
        (REVIEWS_SHEET, REVIEW_COLUMNS),
    ):
        line(f"「{title}」的列", style="header")
        for column in columns:
            mark = "（必填）" if column.required else ""
            line(f"{column.header}{mark}", column.help)
        line("")
    line("办理结果与年报表三的对应", style="header")
    line("办理结果", "依据", "表三（2021格式）", "表三（2019格式）", style="header")
    t3 = {key: formats.get(key).table("t3") for key in ("2021", "2019")}
    for outcome in _outcomes.OUTCOMES:
        rows = [t3[key].row(outcome.row(key)) for key in ("2021", "2019")]
        line(
            outcome.label,
            outcome.article or "—",
            *(f"{r.group or ''}{r.label}" for r in rows),
        )
    line("")
    withdrawn = _outcomes.get("withdrawn")
    row_2019 = t3["2019"].row(withdrawn.row("2019")).label
    row_2021 = t3["2021"].row(withdrawn.row("2021")).label
    line(
        f"申请人撤回申请的，计入表三「{row_2019}」（2021格式为「{row_2021}」）：申请已计入本年新收"
        "或上年结转，撤回后不再办理，只有这一行能容纳它，表三的勾稽关系才成立。"
    )


def write_template(path: str) -> None:
    _write(path, (), ())


def write_filled(
    path: Any, applications: Iterable[dict[str, Any]], reviews: Iterable[dict[str, Any]]
) -> None:
    """The template with rows filled in, each given by column key (see
    :mod:`.ledger_write`); written row by row (``constant_memory``), so a register of
    100 000 applications is never all in memory."""
    _write(path, applications, reviews, constant_memory=True)


def _write(
    path: Any,
    applications: Iterable[dict[str, Any]],
    reviews: Iterable[dict[str, Any]],
    *,
    constant_memory: bool = False,
) -> None:
    book = xlsxwriter.Workbook(path, {"constant_memory": constant_memory})
    styles = {
        "header": {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True},
        "required": {
            "bold": True,
            "bg_color": "#FCE4D6",
            "border": 1,
            "text_wrap": True,
        },
        "date": {"num_format": "yyyy-mm-dd"},
        "int": {"num_format": "0"},
        "money": {"num_format": "0.00"},
        "text": {"num_format": "@"},
        "wrap": {"text_wrap": True, "valign": "top"},
        "title": {"bold": True, "font_size": 14},
    }
    made = {name: book.add_format(spec) for name, spec in styles.items()}

    def fmt(name: str) -> object:
        return made[name]

    _help(book.add_worksheet(HELP_SHEET), fmt)
    ranges = _ranges()
    sheet = _data_sheet(book, APPLICATIONS_SHEET, APPLICATION_COLUMNS, ranges, fmt)
    _fill(sheet, APPLICATION_COLUMNS, applications, fmt)
    _fill(
        _data_sheet(book, REVIEWS_SHEET, REVIEW_COLUMNS, ranges, fmt), REVIEW_COLUMNS, reviews, fmt
    )
    _write_lists(book)
    sheet.activate()  # the sheet the officer works in opens first
    close_xlsx(book)


def _fill(
    sheet: Worksheet,
    columns: tuple[LedgerColumn, ...],
    rows: Iterable[dict[str, Any]],
    fmt: Callable[[str], object],
) -> None:
    """Write ``rows`` (cells by column key) below the header: dates as date cells, numbers
    as numbers, everything else as text (an 编号 such as 2024-00001 stays text)."""
    for i, cells in enumerate(rows, start=1):
        for j, column in enumerate(columns):
            value = cells.get(column.key)
            if value is None or value == "":
                continue
            if column.kind == "date":
                sheet.write_datetime(i, j, value, fmt("date"))
            elif column.kind in ("int", "money"):
                sheet.write_number(i, j, float(value), fmt(column.kind))
            else:
                sheet.write_string(i, j, str(value), fmt("text"))


__all__ = ["ROWS", "write_filled", "write_template"]
