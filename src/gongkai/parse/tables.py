"""Reading a table's cells from the lines of its region, generic over the format.

Rows are found by their labels (:mod:`.matcher`), never by position alone. The values that stand
beside a label on its line belong to that row (the row is an *anchor*). Values with no label on
their line (*loose* runs: a one-cell-per-line layout, a conversion that separated labels from
numbers) fill, in the official row order, the rows between the anchors around them
(:mod:`.align`). A row written with a separator is read field by field when its field count
is the row's, so a blank field is a blank cell in its column (:mod:`.fields`). What still fits
nowhere is a stray, which :mod:`.infer` may place by the identities or a note. Nothing is
dropped silently: surplus cells are kept in ``Row.extra``, and every inference is a located
warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..formats import CellType, Column, Row, Table, normalise
from ..report import SUBTOTAL_COLUMN, Cell, CellKind, Location, ParseWarning, trusted
from ..report import Row as ReportRow
from ..report import Table as ReportTable
from .align import LIMIT, Alignment, Slot, align
from .document import Line
from .fields import Separated, group_sizes
from .infer import Choice, Draft, Repair, Stray
from .matcher import How, matcher_for
from .tokens import Token, attach_notes, has_number, is_prose, tokenise
from .values import read_value

# Copies of one table read and compared; each nests in the one before it (``Table.repeated``), so
# a text pasting a table thousands of times must stop somewhere (docs/limits.md).
MAX_COPIES = 10
_ROW_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、,]|\([一二三四五六七八九十]+\)|\d{1,2}\.)"
)


@dataclass(slots=True)
class _RowState:
    index: int
    row: Row
    location: Location
    raw_label: str
    runs: list[list[Token]] = field(default_factory=list)
    inferred: bool = False

    @property
    def count(self) -> int:
        return sum(len(r) for r in self.runs)


@dataclass(slots=True)
class _Sink:
    """Where the values of a duplicated row go: kept out of the table, with a warning."""

    row: Row
    location: Location


@dataclass(slots=True)
class _Loose:
    run: list[Token]
    block: str | None


_UNKNOWN = object()


class TableReader:
    """Reads the rows of one table (二 or 三) from its region's lines."""

    def __init__(self, table: Table, file: str | None, warnings: list[ParseWarning]) -> None:
        self.table = table
        self.file = file
        self.warnings = warnings
        self.matcher = matcher_for(table)
        self.states: dict[int, _RowState] = {}
        # Anchors (a row state that got values beside its label) and loose runs, in order.
        self.events: list[_RowState | _Loose] = []
        self.expected = 0  # the row the next values most likely belong to
        self.block: str | None = None  # table 二: the block caption last seen
        self.header_units: dict[str, str] = {}
        self.strays: list[Stray] = []
        # Where a non-official subtotal column sits in this report's rows, once its header
        # word has been seen (None: no such column).
        self.subtotal_at: int | None = None
        self._subtotal = normalise(table.subtotal_label) if table.subtotal_label else None
        self._captions = [
            (b.key, tuple(normalise(c) for c in (b.caption, *b.caption_variants)))
            for b in table.blocks
        ]
        widths = {len(table.columns_for(r)) for r in table.rows}
        self._uniform_width = widths.pop() if len(widths) == 1 else None
        # A second copy of the table (pasted twice): the line it starts at, once a row label
        # reappears with values after the table's last row was read.
        self._at = 0  # the line being read
        self._last_values = -1  # the last line that gave values to the table
        self.copy_from: int | None = None

    def warn(self, code: str, message: str, location: Location | None) -> None:
        where = (location or Location(file=self.file)).with_(table=self.table.key)
        self.warnings.append(ParseWarning(code=code, message=message, location=where))

    def read(self, lines: list[Line]) -> ReportTable:
        rows = [line for line in lines if not is_prose(line)]
        subtotal = self._subtotal is not None and any(
            self._subtotal in normalise(r.text) for r in rows
        )
        # A row a field wider than the format's (a subtotal column) is read as it always was.
        sizes = {len(self.table.columns)} if self.table.columns and not subtotal else set()
        separated = Separated(rows, (lambda _: None) if subtotal else self._width, sizes)
        return self._read(
            attach_notes([self._tokens(line, separated, i) for i, line in enumerate(rows)])
        )

    def _read(
        self, rows: list[list[Token]], copy: int = 1, top: list[ParseWarning] | None = None
    ) -> ReportTable:
        """``copy`` counts the copies so far; ``top`` is the first copy's warnings (a later
        copy's own are dropped, the checker compares it)."""
        top = self.warnings if top is None else top
        mark = len(self.warnings)
        for self._at, tokens in enumerate(rows):
            self._line(tokens)
            if self.copy_from is not None:
                break
        if self.copy_from is None:
            return self._finish(self._place_loose())
        # The table again: read the first copy alone (it is the table's values) and the
        # second apart; the second is kept whole in ``repeated`` (the checker compares them).
        del self.warnings[mark:]
        first = TableReader(self.table, self.file, self.warnings)._read(rows[: self.copy_from])
        rest = rows[self.copy_from :]
        if copy >= MAX_COPIES:
            warn_too_many_copies(self.table, rest, self.file, top)
            return first
        second = TableReader(self.table, self.file, [])._read(rest, copy + 1, top)
        first.repeated = second
        warn_repeated(self.table, second, self.file, self.warnings)
        return first

    def _tokens(self, line: Line, separated: Separated, i: int) -> list[Token]:
        """A row written with a separator is read field by field (a blank field is a blank
        cell) when its field count is the row's; any other line by its words, where a blank
        leaves no trace (a short row is then aligned, with a warning)."""
        found = separated.tokens(i)
        if found is not None:
            return found
        unplaced = separated.unplaced(i)
        if unplaced is not None:
            self.warn(
                "ambiguous-blanks",
                f"「{unplaced.label}」一行有{unplaced.fields}个数值字段，多于表头的"
                f"{unplaced.columns}列，且首尾都是空白：无法确定哪些空白是合并单元格的占位、"
                "哪些是空白单元格；按文字读取，数值所在的列可能有误",
                unplaced.location,
            )
        return tokenise(line)

    def _width(self, label: str) -> int | None:
        """The column count of the row the label names (every row's, when all rows have the
        same columns, as in table 三)."""
        if self._uniform_width is not None:
            return self._uniform_width
        found = self.matcher.candidates(normalise(label), self.expected)
        return len(self._columns(found[0].row)) if found else None

    # -- one line -------------------------------------------------------------------------

    def _line(self, tokens: list[Token]) -> None:
        target: _RowState | _Sink | object | None = None
        run: list[Token] = []
        for i, tok in enumerate(tokens):
            if tok.kind == "label":
                if target is None and run:
                    self._loose(run)  # values before the first label on the line
                else:
                    self._deliver(target, run)
                run = []
                follows = i + 1 < len(tokens) and tokens[i + 1].kind == "value"
                target = self._label(tok, follows)
            else:
                run.append(tok)
        if target is None:
            self._loose(run)
        else:
            self._deliver(target, run)

    def _label(self, tok: Token, values_follow: bool) -> _RowState | _Sink | object:
        norm = normalise(tok.text)
        if not norm:
            return _UNKNOWN
        self._note_header_unit(norm)
        self._note_block(norm)
        self._note_subtotal(norm, tok.location)
        for m in self.matcher.candidates(norm, self.expected, weak=values_follow):
            state = self.states.get(m.index)
            if state is None:
                state = _RowState(m.index, m.row, tok.location, tok.text)
                self.states[m.index] = state
                return state
            if not state.runs:
                return state  # the label again before its values (a wrapped label)
            if m.how is How.EXACT or m.how is How.CONTAINED:
                if self.matcher.is_part_of(norm, m.index) and state.count < len(
                    self._columns(m.row)
                ):
                    return state
                return _Sink(m.row, tok.location)
        # A piece of a wrapped label: its values (if any follow) belong to that row.
        for state in sorted(self.states.values(), key=lambda s: -s.index):
            if len(norm) >= 2 and self.matcher.is_part_of(norm, state.index):
                return state
        if tok.location.ocr is not None:
            near = self.matcher.near(norm)
            if near is not None and near[0] not in self.states:
                index, edits = near
                row = self.table.rows[index]
                self.warn(
                    "ocr-label",
                    f"OCR把行标签读作「{tok.text}」，与「{row.label}」相差{edits}个字，"
                    "按该行读取：请与原件核对",
                    tok.location,
                )
                state = _RowState(index, row, tok.location, tok.text)
                self.states[index] = state
                return state
        if not self.matcher.is_known_text(norm) and _ROW_NUMBERING.match(norm):
            self.warn("unknown-label", f"无法识别的行标签「{tok.text}」", tok.location)
        return _UNKNOWN

    def _note_header_unit(self, norm: str) -> None:
        if "万元" not in norm:
            return
        for col in self.table.all_columns:
            if normalise(col.label).split("(")[0] in norm:
                self.header_units[col.key] = "万元"

    def _note_subtotal(self, norm: str, location: Location) -> None:
        if self._subtotal is None or norm != self._subtotal or self.subtotal_at is not None:
            return
        if any(state.runs for state in self.states.values()):
            return  # only a header word, before the first row of values, names a column
        keys = [c.key for c in self.table.columns]
        self.subtotal_at = keys.index(self.table.subtotal_after or "") + 1
        self.warn(
            "subtotal-column",
            f"表头有「{self.table.subtotal_label}」列，不是官方格式的列：各行该列的值另行保留，"
            "不计入任何一列",
            location,
        )

    def _note_block(self, norm: str) -> None:
        for key, captions in self._captions:
            if any(c in norm for c in captions):
                self.block = key

    def _deliver(self, target: object, run: list[Token]) -> None:
        if not run:
            return
        if isinstance(target, _RowState):
            if target.count < len(self._columns(target.row)):
                self._last_values = self._at  # (a header word matching a full row is not)
            target.runs.append(run)
            self.events.append(target)
            self.expected = max(self.expected, target.index + 1)
        elif isinstance(target, _Sink):
            if has_number(run) and self._filled(len(self.table.rows) - 1):
                # A row again after the last row: the whole table again from here (its
                # header lines, after the last line of values, included).
                self.copy_from = self._last_values + 1
            elif has_number(run):
                self.warn(
                    "duplicate-row",
                    f"「{target.row.label}」出现了不止一次，只采用第一次的数值；"
                    f"第二次的数值（{_show(run)}）未采用",
                    target.location,
                )
        else:
            self._loose(run)

    def _loose(self, run: list[Token]) -> None:
        if not has_number(run):
            return  # blanks and dashes under no label: layout filler
        self.events.append(_Loose(run, self.block))
        self._last_values = self._at
        rows = self.table.rows
        if self.expected < len(rows) and len(run) >= len(self._columns(rows[self.expected])):
            self.expected += 1

    # -- loose runs to rows ---------------------------------------------------------------

    def _columns(self, row: Row) -> tuple[Column, ...]:
        return self.table.columns_for(row)

    def _filled(self, index: int) -> bool:
        state = self.states.get(index)
        return state is not None and bool(state.runs)

    def _place_loose(self) -> list[Choice]:
        choices: list[Choice] = []
        prev: _RowState | None = None
        pending: list[_Loose] = []
        for ev in self.events:
            if isinstance(ev, _Loose):
                pending.append(ev)
                continue
            if pending:
                self._segment(prev, pending, ev, choices)
                pending = []
            prev = ev
        if pending:
            self._segment(prev, pending, None, choices)
        return choices

    def _segment(
        self,
        prev: _RowState | None,
        loose: list[_Loose],
        nxt: _RowState | None,
        choices: list[Choice],
    ) -> None:
        """Place the loose runs between two anchors (or a table end)."""
        loose = list(loose)
        if prev is not None:
            # A row broken across lines or pages: its first values beside the label, the rest
            # on the next line.
            n = len(self._columns(prev.row))
            while loose and prev.count < n and prev.count + len(loose[0].run) <= n:
                prev.runs.append(loose.pop(0).run)
        if not loose:
            return
        lo = prev.index if prev is not None else -1
        hi = nxt.index if nxt is not None and nxt.index > lo else len(self.table.rows)
        rows = self.table.rows
        slots = [
            Slot(i, len(self._columns(rows[i])), i in self.states)
            for i in range(lo + 1, hi)
            if not self._filled(i)
        ]
        runs = [lo_.run for lo_ in loose]
        found = (
            align([len(r) for r in runs], slots)
            if slots
            else [Alignment((), tuple(range(len(runs))))]
        )
        if len(found) == 1:
            self._apply(found[0], slots, loose)
            return
        if len(found) > LIMIT:
            self.warn(
                "ambiguous-values",
                f"多行没有行标签的数值（{'；'.join(_show(r) for r in runs)}），"
                "可以按多种方式归入各行，无法确定，未采用",
                runs[0][0].location,
            )
            self.strays.extend(
                Stray(r, None, lo_.block, warned=True) for r, lo_ in zip(runs, loose, strict=True)
            )
            return
        options = [
            {slots[s].index: [t for r in group for t in runs[r]] for s, group in a.groups}
            for a in found
        ]
        involved = sorted({r for a in found for _, g in a.groups for r in g})
        labels = {
            i: (self.states[i].raw_label, self.states[i].location)
            for option in options
            for i in option
            if i in self.states
        }
        choices.append(Choice(options, [runs[r] for r in involved], labels))
        # A run that every alignment leaves over is a stray whatever the choice.
        always = set.intersection(*(set(a.strays) for a in found))
        self.strays.extend(Stray(runs[r], None, loose[r].block) for r in sorted(always))

    def _apply(self, alignment: Alignment, slots: list[Slot], loose: list[_Loose]) -> None:
        for s, group in alignment.groups:
            index = slots[s].index
            tokens = [t for r in group for t in loose[r].run]
            state = self.states.get(index)
            if state is None:
                row = self.table.rows[index]
                state = _RowState(index, row, tokens[0].location, "", inferred=True)
                self.states[index] = state
                self.warn(
                    "inferred-row",
                    f"一行数值（{_show(tokens)}）没有行标签，按官方格式的行序推定为「{row.label}」",
                    tokens[0].location,
                )
            state.runs.append(tokens)
        for r in alignment.strays:
            self.strays.append(Stray(loose[r].run, None, loose[r].block))

    # -- rows to cells --------------------------------------------------------------------

    def _finish(self, choices: list[Choice]) -> ReportTable:
        drafts: dict[int, Draft] = {}
        strays = self.strays
        for index, state in sorted(self.states.items()):
            if state.runs:
                drafts[index] = self._draft(state, strays)
        if choices or strays or any(d.short for d in drafts.values()):
            Repair(self.table, drafts, strays, self.warn).run(choices)
        for stray in strays:
            home = drafts.get(stray.home) if stray.home is not None else None
            if home is not None:
                home.extra.extend(stray.tokens)
            elif not stray.warned:
                self.warn(
                    "orphan-values",
                    f"多出一行没有行标签的数值（{_show(stray.tokens)}），无法对应到任何行",
                    stray.tokens[0].location,
                )
        out = ReportTable(key=self.table.key)
        for index, row in enumerate(self.table.rows):
            draft = drafts.get(index)
            if draft is not None:
                out.rows.append(self.build_row(draft))
            elif index in self.states:
                self.warn(
                    "row-without-values",
                    f"找到「{row.label}」，但没有数值",
                    self.states[index].location,
                )
            else:
                self.warn("missing-row", f"未找到「{row.label}」这一行", None)
        return out

    def _draft(self, state: _RowState, strays: list[Stray]) -> Draft:
        n = len(self._columns(state.row))
        tokens, unchosen = _choose_runs(state.runs, n)
        tokens = list(tokens)
        # Blank placeholders of merged header columns pad rows in many layouts: drop them
        # first, from the left, then from the right.
        while len(tokens) > n and tokens[0].blank:
            tokens.pop(0)
        while len(tokens) > n and tokens[-1].blank:
            tokens.pop()
        subtotal = None
        if self.subtotal_at is not None and len(tokens) == n + 1:
            subtotal = tokens.pop(self.subtotal_at)  # kept with the row, out of its columns
        extra = tokens[n:]
        present = tokens[:n]
        strays.extend(Stray(run, state.index) for run in unchosen)
        cells: list[Token | None] = list(present)
        pad: list[Token | None] = [None] * (n - len(present))
        cells = pad + cells if self.table.short_row_align == "right" else cells + pad
        return Draft(
            state.index,
            state.row,
            cells,
            present,
            extra,
            subtotal=subtotal,
            raw_label=state.raw_label,
            location=state.location,
            inferred_row=state.inferred,
        )

    def build_row(self, draft: Draft) -> ReportRow:
        columns = self._columns(draft.row)
        n = len(columns)
        label = draft.row.label
        where = draft.location
        if draft.extra:
            self.warn(
                "surplus-cells",
                f"「{label}」有{len(draft.present) + len(draft.extra)}个单元格，表头只有{n}列；"
                f"多出的（{'、'.join(t.text or '空' for t in draft.extra)}）另行保留",
                draft.extra[0].location,
            )
        absent = n - sum(tok is not None for tok in draft.cells)
        if absent:
            side = "右" if self.table.short_row_align == "right" else "左"
            self.warn(
                "missing-cells",
                f"「{label}」只有{n - absent}个单元格，少于表头的{n}列；"
                f"按{side}对齐读取，缺少的{absent}个单元格记为缺失（不是空白单元格）",
                where,
            )
        # A position the row had no cell for gets none (Row.cell() is None there): a blank
        # cell is one that was written blank, and the checker tells the two apart (T0-2).
        cells = [
            self._cell(col, tok, pos in draft.inferred)
            for pos, (col, tok) in enumerate(zip(columns, draft.cells, strict=True))
            if tok is not None
        ]
        extra = [self._cell(None, t, False) for t in draft.extra]
        if draft.subtotal is not None:
            extra.append(self._cell(None, draft.subtotal, False, SUBTOTAL_COLUMN))
        return ReportRow(
            key=draft.row.key,
            label=label,
            raw_label=draft.raw_label or None,
            cells=cells,
            extra=extra,
            inferred=draft.inferred_row,
            location=where,
        )

    def _cell(
        self, col: Column | None, tok: Token, inferred: bool, extra_key: str = "extra"
    ) -> Cell:
        value = read_value(tok.text, col.type) if col else read_value(tok.text)
        unit = value.unit
        if (
            unit is None
            and col is not None
            and col.type is CellType.AMOUNT
            and value.kind is CellKind.NUMBER
        ):
            unit = self.header_units.get(col.key) or ("万元" if "万元" in col.label else None)
        if value.note:
            self.warn(
                "cell-note",
                f"单元格「{tok.text}」带有说明文字，取数值{value.value}",
                tok.location,
            )
        return trusted(
            Cell,
            column=col.key if col else extra_key,
            raw=tok.text.replace("\xa0", " ").strip(),
            value=value.value,
            kind=value.kind,
            unit=unit,
            inferred=inferred,
            location=tok.location,
        )


def _choose_runs(runs: list[list[Token]], n: int) -> tuple[list[Token], list[list[Token]]]:
    """A row with several runs whose total is too long: if exactly one run has the row's
    length, it is the row and the others are strays."""
    flat = [t for r in runs for t in r]
    if len(flat) > n and len(runs) > 1:
        exact = [r for r in runs if len([t for t in r if not t.blank]) == n or len(r) == n]
        if len(exact) == 1:
            return exact[0], [r for r in runs if r is not exact[0]]
    return flat, []


def _show(run: list[Token]) -> str:
    return " ".join(t.text or "空" for t in run)


def read_t4(
    table: Table, lines: list[Line], file: str | None, warnings: list[ParseWarning]
) -> ReportTable:
    """Table 四 has one row of 15 values and no row label: its values are those of the lines
    that hold only values (header lines hold words), in order, wherever the layout split them
    (one line of 15, three tables of 5 …). Words after all fifteen start a second copy of the
    table (the layout gives the table's region a copy that follows it)."""
    kept = [line for line in lines if not is_prose(line)]
    # A line of values written with a separator is read field by field when it holds the
    # whole row or a whole header group (行政复议's five columns …).
    separated = Separated(kept, lambda _: None, group_sizes(table.columns))
    rows = attach_notes([separated.tokens(i) or tokenise(line) for i, line in enumerate(kept)])
    return _read_t4(table, rows, file, warnings)


def _read_t4(
    table: Table,
    rows: list[list[Token]],
    file: str | None,
    warnings: list[ParseWarning],
    copy: int = 1,
    top: list[ParseWarning] | None = None,
) -> ReportTable:
    top = warnings if top is None else top
    row_spec = table.rows[0]
    need = len(table.columns)
    values: list[Token] = []
    copy_from: int | None = None
    for k, tokens in enumerate(rows):
        # Only lines of values count (a row left wholly blank too, if it is whole).
        only_values = bool(tokens) and all(t.kind == "value" for t in tokens)
        if len(values) >= need and any(t.kind == "label" for t in tokens):
            copy_from = k
            break
        if only_values and (any(not t.blank for t in tokens) or len(tokens) >= need):
            values.extend(tokens)
    where = Location(file=file, table=table.key)
    if not values:
        warnings.append(
            ParseWarning(code="missing-row", message="未找到表四的数值行", location=where)
        )
        return ReportTable(key=table.key)
    reader = TableReader(table, file, warnings)
    state = _RowState(0, row_spec, values[0].location, "", [values])
    draft = reader._draft(state, [])
    out = ReportTable(key=table.key, rows=[reader.build_row(draft)])
    if copy_from is not None and copy >= MAX_COPIES:
        warn_too_many_copies(table, rows[copy_from:], file, top)
    elif copy_from is not None:
        second = _read_t4(table, rows[copy_from:], file, [], copy + 1, top)
        if second.rows:
            out.repeated = second
            warn_repeated(table, second, file, warnings)
    return out


def warn_too_many_copies(
    table: Table, rest: list[list[Token]], file: str | None, warnings: list[ParseWarning]
) -> None:
    """Past MAX_COPIES copies of one table the rest is not read (each copy nests in the one
    before it): said once, where the rest starts."""
    start = next((t.location for tokens in rest for t in tokens), None)
    message = (
        f"表{table.number}在报告中出现了{MAX_COPIES}次以上：第{MAX_COPIES + 1}份起（从此处起）"
        "不再读取和比较"
    )
    warnings.append(_table_warning(table, "too-many-copies", message, start, file))


def warn_repeated(
    table: Table, second: ReportTable, file: str | None, warnings: list[ParseWarning]
) -> None:
    """The parse's word on a second copy of a table (rule T0-3 of the checker compares them)."""
    first_row = second.rows[0] if second.rows else None
    message = f"表{table.number}出现了两次（第二份从此处起）：采用第一份的数值，第二份另行保留"
    where = first_row.location if first_row else None
    warnings.append(_table_warning(table, "repeated-table", message, where, file))


def _table_warning(
    table: Table, code: str, message: str, where: Location | None, file: str | None
) -> ParseWarning:
    location = (where or Location(file=file)).with_(table=table.key)
    return ParseWarning(code=code, message=message, location=location)
