"""The catalogue as a spreadsheet: an XLSX template to fill in, and reading an XLSX or CSV
file of items back, every bad row listed with its sheet, row and column (nothing guessed).

Columns (:data:`COLUMNS`): the fields of :class:`.catalogue.ItemData`, plus an optional
索引号 for items that already have one (a catalogue moved from an older system keeps its
numbers: they are never changed, 2008 指引); an empty 索引号 is generated on import.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from ..files import close_xlsx
from ..workdays.datafile import format_date
from .catalogue import (
    ARTICLE_20,
    DISCLOSURE_LABELS,
    GENRES,
    SUMMARY_MAX,
    TOPICS,
    VALIDITY_LABELS,
    Disclosure,
    DocKind,
    ItemData,
    Validity,
    kind_label,
    normalise_doc_no,
    validate_item,
)
from .ledger_read import _as_date

SHEET = "政府信息公开目录"
HELP_SHEET = "说明"
LISTS_SHEET = "选项"
MAX_ROWS = 5000  # one upload; a bigger catalogue goes in several files


@dataclass(frozen=True, slots=True)
class SheetColumn:
    key: str  # an ItemData field, or "index_no"
    header: str
    kind: str = "text"  # text, date, choice
    required: bool = False
    width: int = 14
    help: str = ""


COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn(
        "index_no", "索引号", width=26, help="已有索引号的照填（永不改变）；留空则按本机关规则生成"
    ),
    SheetColumn("title", "名称", required=True, width=40, help="文件的正式标题"),
    SheetColumn("summary", "内容概述", width=40, help=f"不超过{SUMMARY_MAX}字"),
    SheetColumn(
        "doc_no", "发文字号", width=20, help="写作 机关代字〔年份〕序号号，如 示政办发〔2024〕3号"
    ),
    SheetColumn("written", "成文日期", "date", required=True, help="如 2024-03-01"),
    SheetColumn("published", "发布日期", "date"),
    SheetColumn(
        "publisher", "发布机构", width=24, help="标准全称；联合发文写主办机关；留空为本机关"
    ),
    SheetColumn("topic", "主题分类", "choice", required=True, width=20),
    SheetColumn("genre", "体裁分类", "choice", required=True, width=10),
    SheetColumn("kind", "文件类别", "choice", required=True, width=16, help="年报表二按此统计"),
    SheetColumn("article20", "第二十条事项", "choice", required=True, width=30),
    SheetColumn("disclosure", "公开属性", "choice", required=True, width=12),
    SheetColumn("validity", "有效性", "choice", width=10, help="规章和行政规范性文件必填"),
    SheetColumn("effective", "施行日期", "date"),
    SheetColumn("ended", "废止或失效日期", "date", help="已废止或已失效的必填"),
    SheetColumn("url", "原文链接", width=30),
)
BY_KEY = {c.key: c for c in COLUMNS}


def _article_label(key: str) -> str:
    a = next(a for a in ARTICLE_20 if a.key == key)
    return f"{a.number}{a.text}"


CHOICES: dict[str, dict[str, str]] = {
    "topic": {t: t for t in TOPICS},
    "genre": {g: g for g in GENRES},
    "kind": {kind_label(k): k.value for k in DocKind},
    "article20": {_article_label(a.key): a.key for a in ARTICLE_20},
    "disclosure": {label: d.value for d, label in DISCLOSURE_LABELS.items()},
    "validity": {label: v.value for v, label in VALIDITY_LABELS.items()},
}
# Short forms people type: （一）, 第二十条第（一）项, 一; 规范性文件 (the 2019 label).
_ALIASES: dict[str, dict[str, str]] = {
    "article20": {
        **{a.number: a.key for a in ARTICLE_20},
        **{a.label: a.key for a in ARTICLE_20},
        **{a.number.strip("（）"): a.key for a in ARTICLE_20},
    },
    "kind": {"规范性文件": DocKind.NORMATIVE.value, "其他": DocKind.OTHER.value},
    "disclosure": {"主动": "proactive", "依申请": "on_request", "不公开": "withheld"},
}


def label_of(key: str, value: str) -> str:
    """The dropdown label of a stored choice value (for the template's example and exports)."""
    for label, v in CHOICES[key].items():
        if v == value:
            return label
    return value


def _norm(text: str) -> str:
    return "".join(str(text).split()).rstrip("*＊").replace("(", "（").replace(")", "）")


@dataclass(frozen=True, slots=True)
class SheetIssue:
    sheet: str
    row: int | None  # None: the whole sheet (a missing header)
    column: str | None  # the column header
    message: str

    def __str__(self) -> str:
        where = [f"工作表「{self.sheet}」"]
        if self.row is not None:
            where.append(f"第{self.row}行")
        if self.column:
            where.append(f"「{self.column}」列")
        return f"{' '.join(where)}：{self.message}"


@dataclass(frozen=True, slots=True)
class SheetRow:
    sheet: str
    row: int
    index_no: str
    item: ItemData


@dataclass
class SheetResult:
    rows: list[SheetRow] = field(default_factory=list)
    issues: list[SheetIssue] = field(default_factory=list)

    @property
    def bad_rows(self) -> set[tuple[str, int]]:
        return {(i.sheet, i.row) for i in self.issues if i.row is not None}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_row(sheet: str, number: int, cells: dict[str, Any], out: SheetResult) -> None:
    issues: list[SheetIssue] = []

    def bad(key: str, message: str) -> None:
        issues.append(SheetIssue(sheet, number, BY_KEY[key].header, message))

    def date(key: str) -> dt.date | None:
        value = cells.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        parsed = _as_date(value)
        if parsed is None or isinstance(value, dt.time):
            bad(key, f"「{value}」不是日期（应写作 2024-03-01）")
        elif not dt.date(1949, 10, 1) <= parsed <= dt.date(2100, 12, 31):
            bad(key, f"日期 {format_date(parsed)} 不合理，请检查年份")
            return None
        return parsed

    def choice(key: str) -> str:
        text = _text(cells.get(key))
        if not text:
            return ""
        table = {_norm(k): v for k, v in CHOICES[key].items()}
        table.update({_norm(k): v for k, v in _ALIASES.get(key, {}).items()})
        found = table.get(_norm(text))
        if found is None:
            bad(key, f"未知的{BY_KEY[key].header}「{text}」（请从下拉列表中选择）")
            return ""
        return found

    values = {k: choice(k) for k in CHOICES}
    dates = {k: date(k) for k in ("written", "published", "effective", "ended")}
    for c in COLUMNS:
        if c.required and not _text(cells.get(c.key)):
            bad(c.key, f"缺少{c.header}")
    if issues:  # an unreadable cell: the item's own rules would only repeat it
        out.issues.extend(issues)
        return
    item = ItemData(
        title=_text(cells.get("title")),
        summary=_text(cells.get("summary")),
        doc_no=normalise_doc_no(_text(cells.get("doc_no"))),
        publisher=_text(cells.get("publisher")),
        url=_text(cells.get("url")),
        topic=values["topic"],
        genre=values["genre"],
        kind=DocKind(values["kind"]),
        article20=values["article20"],
        disclosure=Disclosure(values["disclosure"]),
        validity=Validity(values["validity"]) if values["validity"] else None,
        **dates,
    )
    for p in validate_item(item):
        bad(p.field, p.message)
    if issues:
        out.issues.extend(issues)
        return
    out.rows.append(SheetRow(sheet, number, _text(cells.get("index_no")), item))


def _read_grid(sheet: str, rows: Any, out: SheetResult) -> None:
    by_header = {_norm(c.header): c for c in COLUMNS}
    header = next(rows, None) or ()
    position: dict[str, int] = {}
    for j, text in enumerate(header):
        column = by_header.get(_norm(text)) if text is not None else None
        if column is not None:
            position.setdefault(column.key, j)
    missing = [c.header for c in COLUMNS if c.required and c.key not in position]
    if missing:
        out.issues.append(
            SheetIssue(
                sheet, 1, None, f"表头缺少必填列：{'、'.join(missing)}（请使用下载的导入模板）"
            )
        )
        return
    seen: dict[str, int] = {}
    count = 0
    for number, values in enumerate(rows, start=2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        count += 1
        if count > MAX_ROWS:
            out.issues.append(
                SheetIssue(sheet, number, None, f"一次最多导入{MAX_ROWS}行，其余请分文件导入")
            )
            return
        cells = {k: values[j] if j < len(values) else None for k, j in position.items()}
        index_no = _text(cells.get("index_no"))
        if index_no:
            if index_no in seen:
                out.issues.append(
                    SheetIssue(
                        sheet,
                        number,
                        BY_KEY["index_no"].header,
                        f"索引号与第{seen[index_no]}行重复",
                    )
                )
                continue
            seen[index_no] = number
        _read_row(sheet, number, cells, out)


def read_sheet(data: bytes, name: str) -> SheetResult:
    """Read an uploaded ``.xlsx`` or ``.csv`` (UTF-8, or GB18030 as Excel saves it in China).

    Raises :class:`~.catalogue.CatalogueError` only when the file cannot be read at all."""
    from .catalogue import CatalogueError

    out = SheetResult()
    lower = name.lower()
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise CatalogueError(f"无法读取 {name}：编码既不是 UTF-8 也不是 GB18030")
        _read_grid(name, iter(csv.reader(io.StringIO(text))), out)
        return out
    if not lower.endswith(".xlsx"):
        raise CatalogueError(
            f"无法读取 {name}：请上传 .xlsx 或 .csv 文件（旧版 .xls 请另存为 .xlsx）"
        )
    import openpyxl  # type: ignore[import-untyped]

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise CatalogueError(
            f"无法读取 {name}：不是有效的 Excel 工作簿（.xlsx），或文件已损坏"
        ) from None
    try:
        sheets = (
            [SHEET]
            if SHEET in book.sheetnames
            else [s for s in book.sheetnames if s not in (HELP_SHEET, LISTS_SHEET)][:1]
        )
        if not sheets:
            raise CatalogueError(f"无法读取 {name}：工作簿中没有工作表「{SHEET}」")
        _read_grid(sheets[0], book[sheets[0]].iter_rows(values_only=True), out)
    finally:
        book.close()
    return out


def write_template(target: Any) -> None:
    """An empty import template (xlsxwriter) with dropdowns, to a path or a binary file."""
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(target, {"in_memory": True})
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    req = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    text_fmt = book.add_format({"num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    help_sheet = book.add_worksheet(HELP_SHEET)
    sheet = book.add_worksheet(SHEET)
    lists = book.add_worksheet(LISTS_SHEET)
    for i, (key, labels) in enumerate(CHOICES.items()):
        lists.write(0, i, BY_KEY[key].header)
        for j, label in enumerate(labels, start=1):
            lists.write(j, i, label)
    lists.hide()
    list_col = {key: i for i, key in enumerate(CHOICES)}
    sheet.freeze_panes(1, 0)
    for j, c in enumerate(COLUMNS):
        sheet.write(0, j, f"{c.header}*" if c.required else c.header, req if c.required else head)
        sheet.set_column(j, j, c.width, date_fmt if c.kind == "date" else text_fmt)
        if c.help:
            sheet.write_comment(0, j, c.help)
        if c.kind == "choice":
            col = chr(65 + list_col[c.key])
            sheet.data_validation(
                1,
                j,
                MAX_ROWS,
                j,
                {
                    "validate": "list",
                    "source": f"='{LISTS_SHEET}'!${col}$2:${col}${len(CHOICES[c.key]) + 1}",
                    "error_message": f"请从下拉列表中选择{c.header}",
                },
            )
    help_sheet.set_column(0, 0, 20)
    help_sheet.set_column(1, 1, 80)
    help_sheet.write(0, 0, "政府信息公开目录 · 导入说明", head)
    lines = [
        f"1. 在「{SHEET}」中每行填写一个目录条目；带 * 的列必填。",
        "2. 索引号：已有的照填，永不改变；留空的导入时按本机关的索引号规则生成。",
        "3. 规章和行政规范性文件须填写有效性；已废止、已失效的须填写废止或失效日期。",
        "4. 上传后先预览：有问题的行列出工作表、行号、列和原因，确认之前不写入任何数据。",
        "5. 导入的条目为待审核状态，经内容审核、保密审查后方可发布。",
    ]
    for i, text in enumerate(lines, start=2):
        help_sheet.write(i, 0, text, wrap)
    for i, c in enumerate(COLUMNS, start=len(lines) + 3):
        help_sheet.write(i, 0, c.header + ("（必填）" if c.required else ""), head)
        help_sheet.write(i, 1, c.help, wrap)
    sheet.activate()
    close_xlsx(book)


__all__ = [
    "CHOICES",
    "COLUMNS",
    "SHEET",
    "SheetColumn",
    "SheetIssue",
    "SheetResult",
    "SheetRow",
    "label_of",
    "read_sheet",
    "write_template",
]
