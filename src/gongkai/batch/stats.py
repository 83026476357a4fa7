"""Roll-ups of a SQLite dataset: tables 三 and 四 summed per group, findings counted per rule.

Groups are report years, formats, or regions from the user's region file (agencies it does not
cover fall under 未知地区); a last group 全部 covers every report. A blank, "/" or "-" cell adds
0 (spec §4.1). Only reports that were parsed contribute cells; files that could not be read are
counted in the overview.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .. import formats
from ..check.finding import SEVERITY_ORDER, SEVERITY_ZH
from ..files import close_xlsx
from .agencies import RegionMap
from .dataset import DatasetError
from .schema import SCHEMA_VERSION

GroupBy = Literal["year", "format", "region"]
GROUP_NAMES = {
    "year": "年度",
    "format": "格式",
    "region": "地区",
    "level": "层级",
    "kind": "机关类别",
}
ALL = "全部"
UNKNOWN_YEAR = "未知年度"
UNKNOWN_FORMAT = "未知格式"
TABLE_KEYS = ("t3", "t4")
# Other "not known" group labels a source may use (sorted last, before 全部).
UNKNOWN_LABELS: set[str] = {"未知层级", "未知类别", "未匹配机关"}
# Table 三's 办理结果 rows run from the first after 二、上年结转 to （七）总计.
OUTCOME_TOTAL = "t"


@dataclass
class GroupStats:
    group: str
    reports: int = 0  # rows in the reports table
    parsed: int = 0  # status ok
    with_errors: int = 0  # parsed reports with at least one error-severity finding
    formats: set[str] = field(default_factory=set)  # format keys of the parsed reports
    tables: dict[str, dict[str, dict[str, int | float]]] = field(default_factory=dict)
    findings: dict[tuple[str, str], int] = field(default_factory=dict)  # (rule, severity)

    @property
    def unreadable(self) -> int:
        return self.reports - self.parsed

    @property
    def share_with_errors(self) -> float:
        return self.with_errors / self.parsed if self.parsed else 0.0

    def total(self, table: str, row: str, column: str) -> int | float:
        return self.tables.get(table, {}).get(row, {}).get(column, 0)


@dataclass
class Rollup:
    by: str  # GroupBy, or the web application's level / kind
    groups: list[GroupStats]
    # (key, label) in the official order, merged over both formats.
    rows: dict[str, list[tuple[str, str]]]
    columns: dict[str, list[tuple[str, str]]]

    def rows_for(self, group: GroupStats, table: str) -> list[tuple[str, str]]:
        """The rows of ``table`` in the formats the group's reports use (all if none)."""
        if not group.formats:
            return self.rows[table]
        keys = {
            r.key
            for f in group.formats
            if f in formats.FORMATS
            for r in formats.FORMATS[f].table(table).rows
        }
        return [(k, label) for k, label in self.rows[table] if k in keys]

    def outcome_shares(self, group: GroupStats) -> list[tuple[str, str, int | float, float]]:
        """Table 三's 办理结果 rows of the group: (key, label, count, share of （七）总计),
        from the 总计 column."""
        rows = self.rows_for(group, "t3")
        keys = [k for k, _ in rows]
        if "r2" not in keys or OUTCOME_TOTAL not in keys:
            return []
        whole = group.total("t3", OUTCOME_TOTAL, "total")
        out = []
        for key, label in rows[keys.index("r2") + 1 : keys.index(OUTCOME_TOTAL)]:
            n = group.total("t3", key, "total")
            out.append((key, label, n, n / whole if whole else 0.0))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "tables": {
                t: {
                    "rows": [{"key": k, "label": v} for k, v in self.rows[t]],
                    "columns": [{"key": k, "label": v} for k, v in self.columns[t]],
                }
                for t in TABLE_KEYS
            },
            "groups": [
                {
                    "group": g.group,
                    "reports": g.reports,
                    "parsed": g.parsed,
                    "unreadable": g.unreadable,
                    "with_error_findings": g.with_errors,
                    "share_with_error_findings": round(g.share_with_errors, 4),
                    "totals": {
                        t: {
                            r: {c: g.total(t, r, c) for c, _ in self.columns[t]}
                            for r, _ in self.rows_for(g, t)
                        }
                        for t in TABLE_KEYS
                    },
                    "findings": [
                        {"rule": rule, "severity": sev, "count": n}
                        for (rule, sev), n in _sorted_findings(g.findings)
                    ],
                    "outcome_shares": [
                        {"row": k, "label": label, "count": n, "share": round(share, 4)}
                        for k, label, n, share in self.outcome_shares(g)
                    ],
                }
                for g in self.groups
            ],
        }


def _sorted_findings(counts: dict[tuple[str, str], int]) -> list[tuple[tuple[str, str], int]]:
    return sorted(counts.items(), key=lambda kv: (SEVERITY_ORDER.get(kv[0][1], 9), kv[0][0]))


def merged_order(lists: list[list[tuple[str, str]]]) -> list[tuple[str, str]]:
    """Keys of several formats in one order: a key new to the list goes before the next key
    that is already there (2019's ``f`` and 2021's ``f1``–``f3`` all land before ``t``)."""
    out: list[tuple[str, str]] = []
    for items in lists:
        keys = [k for k, _ in items]
        for i, (key, label) in enumerate(items):
            if any(k == key for k, _ in out):
                continue
            after = [k for k in keys[i + 1 :] if any(k == o for o, _ in out)]
            if after:
                at = next(j for j, (o, _) in enumerate(out) if o == after[0])
                out.insert(at, (key, label))
            else:
                out.append((key, label))
    return out


def _layout() -> tuple[dict[str, list[tuple[str, str]]], dict[str, list[tuple[str, str]]]]:
    fmts = list(formats.FORMATS.values())
    rows = {
        t: merged_order([[(r.key, r.label) for r in f.table(t).rows] for f in fmts])
        for t in TABLE_KEYS
    }
    cols = {
        t: merged_order([[(c.key, c.full_label) for c in f.table(t).columns] for f in fmts])
        for t in TABLE_KEYS
    }
    return rows, cols


def open_dataset_db(path: str | Path) -> sqlite3.Connection:
    p = Path(path)
    if not p.is_file():
        raise DatasetError(f"找不到数据集：{p}（应为 gongkai batch 生成的 .sqlite 文件）")
    try:
        with p.open("rb") as fh:
            magic = fh.read(len(_SQLITE_MAGIC))
    except OSError as e:
        raise DatasetError(f"无法读取数据集 {p}：{e.strerror or e}") from None
    if magic != _SQLITE_MAGIC:
        raise DatasetError(f"{p} 不是 gongkai 的 SQLite 数据集（不是 SQLite 文件）")
    db = sqlite3.connect(p)
    try:
        found = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        missing = [t for t in _NEEDED if t not in found]
        if missing:
            raise DatasetError(f"{p} 不是 gongkai 的 SQLite 数据集（缺少 {'、'.join(missing)} 表）")
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError:
        db.close()
        raise _damaged(p) from None
    except DatasetError:
        db.close()
        raise
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        db.close()
        raise DatasetError(
            f"{p} 的数据集结构版本为 {meta.get('schema_version')}，当前版本为 {SCHEMA_VERSION}"
        )
    return db


_SQLITE_MAGIC = b"SQLite format 3\x00"
_NEEDED = ("meta", "reports", "cells", "findings")  # the tables the roll-up reads


def _damaged(path: Path) -> DatasetError:
    return DatasetError(
        f"数据集 {path} 已损坏或不完整（可能没有写完、被截断或被其他程序改动），无法读取；"
        "请重新运行 gongkai batch 生成"
    )


def group_label(by: GroupBy, row: tuple[Any, ...], regions: RegionMap | None) -> str:
    _, agency, key, year, fmt = row
    if by == "year":
        return f"{year}年度" if year is not None else UNKNOWN_YEAR
    if by == "format":
        return formats.FORMATS[fmt].name if fmt in formats.FORMATS else UNKNOWN_FORMAT
    return (regions or RegionMap()).region(agency, key)


def rollup(dataset: str | Path, by: GroupBy = "year", regions: RegionMap | None = None) -> Rollup:
    """Totals of tables 三 and 四 and finding counts per group of a SQLite dataset."""
    if by not in ("year", "format", "region"):
        raise ValueError(f"unknown grouping {by!r}")
    db = open_dataset_db(dataset)
    try:
        return _rollup(db, by, regions)
    except sqlite3.OperationalError as e:
        if "no such" in str(e):  # a table of the right name with other columns
            raise DatasetError(f"{dataset} 不是 gongkai 的 SQLite 数据集（表的列不符）") from None
        raise _damaged(Path(dataset)) from None
    except sqlite3.DatabaseError:  # a page past the header is damaged
        raise _damaged(Path(dataset)) from None
    finally:
        db.close()


class Accumulator:
    """The one place a roll-up is summed: every source (a SQLite dataset here, the web
    application's database in ``gongkai.web.supervise.stats``) feeds it grouped rows, and each
    group's numbers are added to the group and to 全部."""

    def __init__(self, by: str) -> None:
        self.by = by
        self.groups: dict[str, GroupStats] = {}

    def _both(self, label: str) -> tuple[GroupStats, ...]:
        own = self.groups.setdefault(label, GroupStats(label))
        return (own,) if label == ALL else (own, self.groups.setdefault(ALL, GroupStats(ALL)))

    def report(self, label: str, status: str, fmt: str | None, n: int = 1) -> None:
        """``n`` reports of ``label`` with this status and format."""
        for stats in self._both(label):
            stats.reports += n
            if status == "ok":
                stats.parsed += n
                stats.formats.add(fmt or "")

    def cell_total(self, label: str, table: str, row: str, column: str, total: Any) -> None:
        """The sum of one cell over the group's parsed reports (blank, / and - count 0)."""
        total = total or 0
        value = int(total) if float(total).is_integer() else float(total)
        for stats in self._both(label):
            cells = stats.tables.setdefault(table, {}).setdefault(row, {})
            cells[column] = cells.get(column, 0) + value

    def finding_count(self, label: str, rule: str, severity: str, n: int) -> None:
        for stats in self._both(label):
            stats.findings[(rule, severity)] = stats.findings.get((rule, severity), 0) + n

    def flagged(self, label: str, n: int) -> None:
        """``n`` distinct reports of the group with an error-severity finding."""
        for stats in self._both(label):
            stats.with_errors += n

    def result(self) -> Rollup:
        for g in self.groups.values():
            g.formats.discard("")
        rows, cols = _layout()
        return Rollup(self.by, _ordered(self.groups), rows, cols)


def _rollup(db: sqlite3.Connection, by: GroupBy, regions: RegionMap | None) -> Rollup:
    reports = db.execute(
        "SELECT id, agency, agency_key, year, format, status FROM reports"
    ).fetchall()
    acc = Accumulator(by)
    assign: list[tuple[int, str]] = []
    for row in reports:
        label = group_label(by, row[:5], regions)
        assign.append((row[0], label))
        acc.report(label, row[5], row[4])
    db.execute("CREATE TEMP TABLE grp (report_id INTEGER PRIMARY KEY, label TEXT)")
    db.executemany("INSERT INTO temp.grp VALUES (?, ?)", assign)
    keys = ", ".join(f"'{t}'" for t in TABLE_KEYS)
    sums = db.execute(
        "SELECT g.label, c.table_key, c.row_key, c.column_key, SUM(COALESCE(c.value, 0)) "
        "FROM cells c JOIN temp.grp g ON g.report_id = c.report_id "
        f"WHERE c.table_key IN ({keys}) AND c.extra = 0 GROUP BY 1, 2, 3, 4"
    )
    for label, table, row_key, col, total in sums:
        acc.cell_total(label, table, row_key, col, total)
    counts = db.execute(
        "SELECT g.label, f.rule, f.severity, COUNT(*) FROM findings f "
        "JOIN temp.grp g ON g.report_id = f.report_id GROUP BY 1, 2, 3"
    )
    for label, rule, sev, n in counts:
        acc.finding_count(label, rule, sev, n)
    flagged = db.execute(
        "SELECT g.label, COUNT(DISTINCT f.report_id) FROM findings f "
        "JOIN temp.grp g ON g.report_id = f.report_id WHERE f.severity = 'error' GROUP BY 1"
    )
    for label, n in flagged:
        acc.flagged(label, n)
    return acc.result()


def _ordered(groups: dict[str, GroupStats]) -> list[GroupStats]:
    last = {UNKNOWN_YEAR, UNKNOWN_FORMAT, RegionMap().unknown, *UNKNOWN_LABELS}

    def key(g: GroupStats) -> tuple[int, str]:
        if g.group == ALL:
            return 2, ""
        return (1 if g.group in last else 0), g.group

    return sorted(groups.values(), key=key)


def write_rollup_xlsx(result: Rollup, path: str | Path) -> None:
    """The roll-up as a workbook: 概览, 表三, 表四, 核查结果, 办理结果占比 (frozen headers,
    autofilter)."""
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    pct = book.add_format({"num_format": "0.0%"})

    def sheet(name: str, header: list[str], rows: list[list[Any]], widths: dict[int, int]) -> None:
        ws = book.add_worksheet(name)
        for i, h in enumerate(header):
            ws.set_column(i, i, widths.get(i, max(8, len(h) * 2)))
            ws.write_string(0, i, h, bold)
        for r, values in enumerate(rows, start=1):
            for c, v in enumerate(values):
                if isinstance(v, float) and header[c].endswith("占比"):
                    ws.write_number(r, c, v, pct)
                elif isinstance(v, int | float):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, str(v))
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, max(len(rows), 1), len(header) - 1)

    by = GROUP_NAMES.get(result.by, result.by)
    sheet(
        "概览",
        [by, "报告数", "已解析", "无法读取", "有错误级问题的报告", "有错误级问题的报告占比"],
        [
            [g.group, g.reports, g.parsed, g.unreadable, g.with_errors, g.share_with_errors]
            for g in result.groups
        ],
        {0: 16},
    )
    for t, title in (("t3", "表三"), ("t4", "表四")):
        columns = result.columns[t]
        sheet(
            title,
            [by, "行", *(label for _, label in columns)],
            [
                [g.group, label, *(g.total(t, r, c) for c, _ in columns)]
                for g in result.groups
                for r, label in result.rows_for(g, t)
            ],
            {0: 16, 1: 40},
        )
    sheet(
        "核查结果",
        [by, "规则", "级别", "条数"],
        [
            [g.group, rule, SEVERITY_ZH.get(sev, sev), n]
            for g in result.groups
            for (rule, sev), n in _sorted_findings(g.findings)
        ],
        {0: 16},
    )
    sheet(
        "办理结果占比",
        [by, "办理结果", "件数", "占比"],
        [
            [g.group, label, n, share]
            for g in result.groups
            for _, label, n, share in result.outcome_shares(g)
        ],
        {0: 16, 1: 40},
    )
    close_xlsx(book)  # a missing folder is an OSError, as for any other output
