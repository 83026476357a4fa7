"""Doubt made visible: what OCR may have misread becomes a located warning, never a silent fix.

Every cell read from a picture carries the recogniser's confidence (``location.ocr``). Two
warnings come from it, after the tables are read:

* ``ocr-low-confidence``: a cell read with confidence below :data:`LOW` is named, with what was
  read, so that it is checked against the original. ``ocr-blank``: the cells in which nothing
  was read, one warning per table (counted, the first few named).
* ``ocr-digit``: where a hard identity of a table fails (the format's ``=`` rules, the ones
  :mod:`.infer` repairs with) and exactly one change of one digit of one OCR cell into a digit the
  recogniser often confuses it with (:data:`CONFUSED`) makes every hard identity of that table
  hold, that value is proposed and the cell is marked ``inferred``. Its value stays as read: the
  checker still reports the failed identity, and the warning says what the scan most likely
  shows. Two or more such changes: nothing is proposed (the identity finding stands alone).
"""

from __future__ import annotations

from collections.abc import Callable

from ..formats import Format
from ..formats import Table as TableSpec
from ..report import Cell, Location, ParseWarning
from ..report import Table as ReportTable
from .infer import CellKey, Instance, hard_identities
from .infer import _instances as instances

# Below this confidence a cell is named in a warning. PP-OCRv4 gives 0.95–1.0 for clean digits
# at 150–300 dpi; its misreads measured here (benchmarks/ocr.py) came below 0.9.
LOW = 0.9
# Digits PP-OCR mistakes for one another in scans (thin strokes lost or joined by blur/JPEG).
CONFUSED: dict[str, str] = {
    "0": "689",
    "1": "7",
    "7": "1",
    "3": "8",
    "8": "0369",
    "6": "058",
    "5": "6",
    "9": "08",
}

Warn = Callable[[str, str, Location | None], None]


def review(tables: dict[str, ReportTable], fmt: Format, warnings: list[ParseWarning]) -> None:
    """Add the OCR warnings for ``tables`` (read from a picture) and mark proposed cells."""

    def warn(code: str, message: str, where: Location | None) -> None:
        warnings.append(ParseWarning(code=code, message=message, location=where))

    for key, table in tables.items():
        spec = fmt.table(key)
        blanks: list[tuple[str, Location]] = []
        for row in table.rows:
            for cell in [*row.cells, *row.extra]:
                loc = cell.location
                if loc is None or loc.ocr is None or loc.ocr >= LOW:
                    continue
                name = _name(spec, row.label, cell.column)
                if not cell.raw:
                    blanks.append((name, loc.with_(table=key)))
                    continue
                warn(
                    "ocr-low-confidence",
                    f"{name}OCR识别把握不大（置信度{loc.ocr:.2f}），读作「{cell.raw}」：请与原件核对",
                    loc.with_(table=key),
                )
        if blanks:
            # Blank cells are common in table 三 (a column nobody applied under): one warning per
            # table, not one per cell; each blank cell still has ocr 0 in its location.
            shown = "、".join(n for n, _ in blanks[:3]) + ("等" if len(blanks) > 3 else "")
            warn(
                "ocr-blank",
                f"表{spec.number}有{len(blanks)}个单元格OCR未识别出文字，按空白读取（{shown}）："
                "若原件有数字请核对",
                blanks[0][1],
            )
        _propose(table, spec, warn)


def _name(spec: TableSpec, row_label: str, column: str) -> str:
    label = next((c.label for c in spec.all_columns if c.key == column), column)
    return f"表{spec.number}「{row_label}」「{label}」"


def _propose(table: ReportTable, spec: TableSpec, warn: Warn) -> None:
    cells: dict[CellKey, Cell] = {(r.key, c.column): c for r in table.rows for c in r.cells}
    equations = list(instances(spec, hard_identities(spec)))
    values: dict[CellKey, int] = {}
    for k, c in cells.items():
        if isinstance(c.value, int) or c.value is None:
            values[k] = c.value or 0

    def holds(eq: Instance, vals: dict[CellKey, int]) -> bool | None:
        _, lhs, rhs = eq
        if any(k not in vals for k in (*lhs, *rhs)):
            return None  # a missing row, an amount or a text cell: this equation says nothing
        return sum(vals[k] for k in lhs) == sum(vals[k] for k in rhs)

    failing = [eq for eq in equations if holds(eq, values) is False]
    if not failing:
        return
    # Only a cell in every failing equation can mend them all by itself.
    suspects = set.intersection(*({*eq[1], *eq[2]} for eq in failing))
    found: list[tuple[CellKey, int]] = []
    for key in sorted(suspects):
        cell = cells.get(key)
        if cell is None or cell.location is None or cell.location.ocr is None:
            continue
        if not isinstance(cell.value, int):
            continue
        for alt in _alternatives(str(cell.value)):
            trial = {**values, key: alt}
            if all(holds(eq, trial) is not False for eq in equations):
                found.append((key, alt))
    if len(found) != 1:
        return
    (row_key, column), alt = found[0]
    cell = cells[(row_key, column)]
    cell.inferred = True
    row = table.row(row_key)
    label = row.label if row else row_key
    warn(
        "ocr-digit",
        f"{_name(spec, label, column)}OCR读作{cell.value}，表内勾稽关系不成立；"
        f"若为{alt}则全部成立（OCR常把相近的数字认错）：请与原件核对，数值未改动",
        cell.location,
    )


def _alternatives(digits: str) -> list[int]:
    """Every number one confusable digit away (no new leading zero)."""
    out: list[int] = []
    for i, d in enumerate(digits):
        for r in CONFUSED.get(d, ""):
            if i == 0 and r == "0" and len(digits) > 1:
                continue
            out.append(int(digits[:i] + r + digits[i + 1 :]))
    return out
