"""Lists as XLSX, streamed: xlsxwriter in ``constant_memory`` mode writes each row as it
comes (rows from ``QuerySet.iterator()``), into a temporary file that the response then
streams and deletes, so 100 000 rows are never all in memory."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import xlsxwriter  # type: ignore[import-untyped]
from django.http import FileResponse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    header: str  # Chinese
    value: Callable[[Any], Any]
    kind: str = "text"  # text | date | number
    width: int = 14


def write(out: Any, sheet_name: str, columns: Sequence[Column], rows: Iterable[Any]) -> int:
    """Write one sheet (header row, then one row per item) to ``out`` (a path or a binary
    file); returns the number of rows."""
    book = xlsxwriter.Workbook(out, {"constant_memory": True})
    sheet = book.add_worksheet(sheet_name)
    header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for j, c in enumerate(columns):
        sheet.set_column(j, j, c.width)
        sheet.write_string(0, j, c.header, header)
    sheet.freeze_panes(1, 0)
    n = 0
    for n, item in enumerate(rows, start=1):
        for j, c in enumerate(columns):
            v = c.value(item)
            if v is None or v == "":
                continue
            if c.kind == "date" and isinstance(v, dt.date):
                sheet.write_datetime(n, j, v, date)  # a real Excel date, not text
            elif c.kind == "number":
                sheet.write_number(n, j, float(v))
            else:
                sheet.write_string(n, j, str(v))
    sheet.autofilter(0, 0, max(n, 1), len(columns) - 1)
    book.close()
    return n


def response(filename: str, fill: Callable[[Any], Any]) -> FileResponse:
    """A download of what ``fill(file)`` writes; the temporary file goes when the response
    is closed."""
    f = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    fill(f)
    f.seek(0)
    r = FileResponse(f, content_type=XLSX)
    r["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return r
