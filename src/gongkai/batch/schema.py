"""The dataset's tables, once: column names, SQL and Arrow types, Chinese labels.

Every writer (SQLite, XLSX, CSV, Parquet) and docs/batch.md follow this module. Rows travel as
plain tuples in the column order given here, so workers can send them to the parent cheaply.
Bump :data:`SCHEMA_VERSION` when a column is renamed or removed (adding one is compatible).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SCHEMA_VERSION = 2  # 2: cells.ocr (issue 13)


@dataclass(frozen=True, slots=True)
class Col:
    name: str
    sql: str  # SQLite declared type
    arrow: str  # pyarrow type name: int64, float64, string, bool
    label: str  # Chinese header for XLSX


def _cols(*spec: tuple[str, str, str, str]) -> tuple[Col, ...]:
    return tuple(Col(*s) for s in spec)


REPORTS = _cols(
    ("id", "INTEGER PRIMARY KEY", "int64", "编号"),
    ("file", "TEXT NOT NULL", "string", "文件"),
    ("sha256", "TEXT NOT NULL", "string", "SHA-256"),
    ("size", "INTEGER", "int64", "字节数"),
    ("agency", "TEXT", "string", "机关名称"),
    ("agency_key", "TEXT", "string", "机关标准名"),
    ("year", "INTEGER", "int64", "年度"),
    ("format", "TEXT", "string", "格式"),
    ("title", "TEXT", "string", "标题"),
    ("status", "TEXT NOT NULL", "string", "状态"),
    ("error", "TEXT", "string", "错误信息"),
    ("n_warnings", "INTEGER", "int64", "解析提示数"),
)
CELLS = _cols(
    ("report_id", "INTEGER NOT NULL", "int64", "报告编号"),
    ("table_key", "TEXT NOT NULL", "string", "表"),
    ("row_key", "TEXT NOT NULL", "string", "行键"),
    ("column_key", "TEXT NOT NULL", "string", "列键"),
    ("row_label", "TEXT", "string", "行"),
    ("column_label", "TEXT", "string", "列"),
    ("raw", "TEXT", "string", "原文"),
    # NUMERIC: counts are stored as INTEGER, amounts in 万元 as REAL; value_text is exact.
    ("value", "NUMERIC", "float64", "数值"),
    ("value_text", "TEXT", "string", "数值（精确）"),
    ("kind", "TEXT NOT NULL", "string", "类型"),
    ("unit", "TEXT", "string", "单位"),
    ("inferred", "INTEGER NOT NULL", "bool", "推断"),
    ("extra", "INTEGER NOT NULL", "bool", "表头外"),
    ("page", "INTEGER", "int64", "页"),
    ("line", "INTEGER", "int64", "行号"),
    ("grid_row", "INTEGER", "int64", "表格行"),
    ("grid_column", "INTEGER", "int64", "表格列"),
    # Read from a picture: the recogniser's confidence (0–1); empty for text-layer cells.
    ("ocr", "REAL", "float64", "OCR置信度"),
)
FINDINGS = _cols(
    ("report_id", "INTEGER NOT NULL", "int64", "报告编号"),
    ("rule", "TEXT NOT NULL", "string", "规则"),
    ("severity", "TEXT NOT NULL", "string", "级别"),
    ("message", "TEXT NOT NULL", "string", "说明"),
    ("source", "TEXT", "string", "依据"),
    ("table_key", "TEXT", "string", "表"),
    ("place", "TEXT", "string", "位置"),
    ("cells", "TEXT", "string", "所涉单元格（JSON）"),
    ("location", "TEXT", "string", "位置（JSON）"),
    ("related_report_id", "INTEGER", "int64", "相关报告编号"),
)
WARNINGS = _cols(
    ("report_id", "INTEGER NOT NULL", "int64", "报告编号"),
    ("code", "TEXT NOT NULL", "string", "代码"),
    ("message", "TEXT NOT NULL", "string", "说明"),
    ("place", "TEXT", "string", "位置"),
    ("location", "TEXT", "string", "位置（JSON）"),
)
SECTIONS = _cols(
    ("report_id", "INTEGER NOT NULL", "int64", "报告编号"),
    ("number", "INTEGER NOT NULL", "int64", "部分"),
    ("heading", "TEXT", "string", "标题"),
    ("text", "TEXT", "string", "正文"),
    ("page", "INTEGER", "int64", "页"),
    ("line", "INTEGER", "int64", "行号"),
)
META = _cols(
    ("key", "TEXT PRIMARY KEY", "string", "项目"),
    ("value", "TEXT", "string", "值"),
)

TABLES: dict[str, tuple[Col, ...]] = {
    "reports": REPORTS,
    "cells": CELLS,
    "findings": FINDINGS,
    "warnings": WARNINGS,
    "sections": SECTIONS,
    "meta": META,
}
# Sheet names in the XLSX dataset (Excel users read Chinese; docs/batch.md maps them).
SHEETS: dict[str, str] = {
    "reports": "报告",
    "cells": "单元格",
    "findings": "核查结果",
    "warnings": "解析提示",
    "sections": "正文",
    "meta": "说明",
}
INDEXES: tuple[tuple[str, str, str], ...] = (
    ("reports_sha256", "reports", "sha256"),
    ("reports_agency_year", "reports", "agency_key, year"),
    ("reports_year", "reports", "year"),
    ("cells_report", "cells", "report_id"),
    ("cells_key", "cells", "table_key, row_key, column_key"),
    ("findings_report", "findings", "report_id"),
    ("findings_rule", "findings", "rule, severity"),
    ("warnings_report", "warnings", "report_id"),
    ("sections_report", "sections", "report_id"),
)

# Positions the parent needs in a reports row.
REPORT_ID = 0
REPORT_SHA = 2
REPORT_AGENCY = 4
REPORT_KEY = 5
REPORT_YEAR = 6
REPORT_FORMAT = 7
REPORT_STATUS = 9

Row = tuple[Any, ...]
