"""Text a crawler took out of a report's web page with every whitespace removed.

The whole report (or its tables) comes as one line or a few: ``…规章100行政规范性文件5312第二十条
第（五）项…（一）予以公开640020470（二）部分公开…``. A row is its label followed by a *digit
run*, its cells with nothing between them, and the next row's item number may stick to the
digits (``…2200003252.没有现成信息…``: the ``2`` is the item number of ``2.没有现成信息``).

Reading it takes two steps:

1. :func:`split_line` (from the text reader, once :func:`detect` has seen clear evidence) cuts a
   flattened line into lines the layout understands: the title, each section heading, the text
   between, and one :class:`GluedRow` per row (its label and its digit run, unsplit). An item
   number glued to the digits goes back to its label: the format's labels say which number must
   come before the text that follows.
2. :func:`resolve` (from :func:`gongkai.parse.parse_document`, once the format and the table
   regions are known) cuts each table's runs into cells by the format (:mod:`.digitruns`) and
   writes each row as a grid line the table reader reads as usual. A split the format decides
   is a located ``inferred-split`` warning naming the identities used, and its cells are
   marked ``inferred`` (:func:`mark_inferred`); a row the format does not decide is left
   blank with an ``ambiguous-split`` warning. Nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ..formats import FORMATS, Format, Table, normalise
from ..report import Location, ParseWarning
from ..report import Table as ReportTable
from . import digitruns
from .document import Line, Span
from .infer import hard_identities
from .layout import _TITLE, _TITLE_YEAR_AFTER, MAX_TITLE_LINE, Regions
from .matcher import MIN_BARE, How, bare, matcher_for
from .values import COUNT_UNITS, UNITS

# A run of cell text with nothing between the cells: digits (a decimal point only between
# digits: the ``.`` of ``2.没有`` is the item number's), and the marks a cell may hold.
_RUN = re.compile(r"((?:[0-9０-９]+(?:[.．][0-9０-９]+)*|[/／\-－—+＋])+)")
# Seven digits and more (one per column of table 三), spelt out: faster than a repeat count.
_LONG_RUN = re.compile("[0-9０-９]" * 7 + "+")
_ANY_RUN = re.compile(r"[0-9０-９]+")
_ITEM_MARK = frozenset(".．、,，")
_YEAR_AFTER_TITLE = re.compile(r"^[（(](?:19|20)\d{2}年?度?[)）]")
_UNITS = sorted(UNITS, key=len, reverse=True)

MIN_GLUED_ROWS = 3  # rows of table 三 glued to their digits before text counts as flattened
MIN_FLAT_LINE = 300  # a flattened table 三 alone is longer than this
TAIL = 80  # characters before a run that can hold its row label
_raw_normalise = normalise.__wrapped__  # uncached: pieces of a flattened line are one-offs


@dataclass(slots=True)
class GluedRow(Line):
    """A row label and its digit run, not yet cut into cells (replaced by :func:`resolve`)."""

    label: str = ""
    run: str = ""
    unit: str = ""  # a unit written after the run (``1.68万元``): it belongs to the last cell

    def as_text(self) -> Line:
        """The line as it was written (outside any table, it is text)."""
        return Line([Span(self.label + self.run + self.unit, self.location)])


@dataclass(frozen=True, slots=True)
class _Labels:
    rows: tuple[str, ...]  # normalised row label forms of tables 二 and 三, longest first
    t3_rows: tuple[str, ...]
    t3_ends: frozenset[str]  # characters a table 三 row label may end with, as written
    numbered: tuple[tuple[str, str], ...]  # (item number, normalised text after it)
    t4_groups: tuple[str, ...]  # table 四's group header words
    t4_columns: tuple[str, ...]
    t4_size: int  # table 四's column count: its run has at least one digit for each
    headings: re.Pattern[str]


_QUOTES = frozenset("\"'“”‘’「」『』`")  # dropped by normalise: a label may end with one


@cache
def _labels() -> _Labels:
    rows: set[str] = set()
    t3: set[str] = set()
    numbered: set[tuple[str, str]] = set()
    headings: set[str] = set()
    groups: set[str] = set()
    columns: set[str] = set()
    sizes: set[int] = set()
    for fmt in FORMATS.values():
        for key in ("t2", "t3"):
            for row in fmt.table(key).rows:
                forms = {normalise(s) for s in (row.label, *row.variants, *row.weak_variants)}
                forms |= {b for b in map(bare, forms) if len(b) >= MIN_BARE}
                rows |= forms
                if key == "t3":
                    t3 |= forms
                for form in forms:
                    m = re.match(r"^([0-9]{1,2})\.(.+)$", form)
                    if m:
                        numbered.add((m.group(1), m.group(2)))
        for s in fmt.sections:
            for form in (s.heading, *s.variants):
                headings.add(form)
                numbered.add((str(s.number), normalise(form)))
        t4 = fmt.table("t4")
        columns |= {normalise(c.label) for c in t4.columns}
        sizes.add(len(t4.columns))
        groups |= {normalise(g) for c in t4.columns for g in c.groups}
    by_length = sorted(headings, key=len, reverse=True)
    heading = re.compile(
        r"(?:[一二三四五六七八九十]{1,2}[、,，.．]|[1-9][、,，.．]|第[一二三四五六]部分[、,，:：]?)"
        rf"(?:{'|'.join(re.escape(h) for h in by_length)})"
    )
    return _Labels(
        rows=tuple(sorted(rows, key=len, reverse=True)),
        t3_rows=tuple(sorted(t3, key=len, reverse=True)),
        # NFKC makes a half-width bracket of a full-width one; labels end in CJK otherwise.
        t3_ends=frozenset({f[-1] for f in t3} | {"）", "﹚"}) | _QUOTES,
        numbered=tuple(sorted(numbered, key=lambda n: -len(n[1]))),
        t4_groups=tuple(groups),
        t4_columns=tuple(columns),
        t4_size=min(sizes),
        headings=heading,
    )


def detect(text: str) -> bool:
    """Clear evidence of flattened text: several rows of table 三 whose label is followed,
    with nothing between, by more digits than one cell holds (at least one per column); or,
    where a report leaves cells blank (fewer digits), several such rows on one long line (a
    line of any other layout holds one row at most)."""
    if _has_glued_rows(text, _LONG_RUN):
        return True
    return any(
        len(line) >= MIN_FLAT_LINE and "\t" not in line and _has_glued_rows(line, _ANY_RUN)
        for line in text.split("\n")
    )


def _has_glued_rows(text: str, runs: re.Pattern[str]) -> bool:
    glued = 0
    forms, ends = _labels().t3_rows, _labels().t3_ends
    for m in runs.finditer(text):
        before = text[m.start() - 1] if m.start() else " "
        if before not in ends:
            continue  # not the last character of a row label (a date, a phone number …)
        tail = _raw_normalise(text[max(0, m.start() - TAIL) : m.start()])
        if any(tail.endswith(f) for f in forms):
            glued += 1
            if glued >= MIN_GLUED_ROWS:
                return True
    return False


# -- step 1: a flattened line → lines ---------------------------------------------------------


def split_line(text: str, where: Location, *, first: bool) -> list[Line]:
    """The lines a flattened line stands for; ``first``: it starts the document (its title)."""
    parts = _RUN.split(text)  # text, run, text, run, …, text
    for i in range(1, len(parts), 2):
        _unglue(parts, i)
    out: list[Line] = []
    buffer = parts[0]
    for i in range(1, len(parts), 2):
        run, after = parts[i], parts[i + 1]
        # A run that is the whole line: values without a label (table 四's, or a row whose
        # label stands on the line before).
        alone = len(parts) == 3 and not parts[0].strip() and not after.strip()
        label = "" if alone and run else _row_label(buffer, run) if run else None
        unit = next((u for u in _UNITS if after.startswith(u)), "")
        if label is None or unit in COUNT_UNITS:
            # Not a row: a number in a sentence (制发规章3件) keeps its place in the text.
            buffer += run + after
            continue
        _text_lines(buffer[: len(buffer) - len(label)], where, out, first=first, before_row=True)
        cells = [Span(label, where), Span(run, where)] if label else [Span(run, where)]
        out.append(GluedRow(cells, label=label, run=run, unit=unit))
        buffer = after[len(unit) :]
    _text_lines(buffer, where, out, first=first, before_row=False)
    return out


def _unglue(parts: list[str], i: int) -> None:
    """Give the item number at the end of run ``i`` back to the label after it."""
    after = parts[i + 1]
    if not after or after[0] not in _ITEM_MARK:
        return
    text = _raw_normalise(after[1 : TAIL + 1]).lstrip(",.")
    fits = [(len(rest), n) for n, rest in _labels().numbered if text.startswith(rest)]
    # The longest label text decides (``其他法律…`` is c2's, not the ``其他`` of 3.其他).
    numbers = {n for size, n in fits if size == max(fits)[0]} if fits else set()
    if len(numbers) != 1:
        return
    number = numbers.pop()
    run = digitruns.normal_run(parts[i])
    cut = len(run) - len(number)
    if run.endswith(number) and (cut == 0 or run[cut - 1] != "."):
        parts[i + 1] = parts[i][cut:] + after
        parts[i] = parts[i][:cut]


def _row_label(text: str, run: str) -> str | None:
    """The row label that ends ``text`` right before a run (``""``: the values of table 四,
    after its header), or None when the run is not a table row's."""
    tail = _raw_normalise(text[-TAIL:])
    labels = _labels()
    if (
        len(digitruns.normal_run(run)) >= labels.t4_size
        and any(g in tail for g in labels.t4_groups)
        and any(tail.endswith(c) for c in labels.t4_columns)
    ):
        return ""
    form = next((f for f in labels.rows if tail.endswith(f)), None)
    if form is None:
        return None
    # The shortest end of the raw text that reads as the label.
    for k in range(len(form), min(len(text), TAIL) + 1):
        if _raw_normalise(text[-k:]) == form:
            return text[-k:]
    return None


def _text_lines(
    text: str, where: Location, out: list[Line], *, first: bool, before_row: bool
) -> None:
    """The text between rows: the title, section headings and header words on lines of their
    own (the layout finds them by line); narrative stays one line."""
    pieces: list[str] = []
    if first and not out:
        head = text[:MAX_TITLE_LINE]
        m = _TITLE.match(head) or _TITLE_YEAR_AFTER.match(head)
        if m:
            end = m.end()
            year = _YEAR_AFTER_TITLE.match(text[end:])
            end += year.end() if year else 0
            pieces.append(text[:end])
            text = text[end:]
    start = 0
    for m in _labels().headings.finditer(text):
        pieces += [text[start : m.start()], m.group(0)]
        start = m.end()
    last = text[start:]
    if before_row and "。" in last:
        # A sentence before the table's header words is narrative, not part of the table.
        cut = last.rindex("。") + 1
        pieces += [last[:cut], last[cut:]]
    else:
        pieces.append(last)
    out.extend(Line([Span(p.strip(), where)]) for p in pieces if p.strip())


# -- step 2: digit runs → cells ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Split:
    """Cells a digit run was cut into, to be marked ``inferred`` once the table is read."""

    table: str
    row: str
    line: int | None
    cells: tuple[str, ...]


@dataclass(slots=True)
class _Rows:
    runs: dict[str, str] = field(default_factory=dict)  # row key → run
    at: dict[str, list[int]] = field(default_factory=dict)  # row key → line indices


def resolve(
    lines: list[Line],
    regions: Regions,
    fmt: Format,
    file: str | None,
    warnings: list[ParseWarning],
) -> tuple[list[Line], list[Split]]:
    """The lines with every glued row cut into cells (or blank), and the cuts made."""
    if not any(type(line) is GluedRow for line in lines):
        return lines, []
    out = list(lines)
    made: list[Split] = []
    for key, region in (("t2", regions.t2), ("t3", regions.t3), ("t4", regions.t4)):
        if region is not None:
            made += _table(out, range(*region), fmt, key, file, warnings)
    for i, line in enumerate(out):
        if not isinstance(line, GluedRow):
            continue
        if regions.covers(i) and line.run:
            # Digits in a table that no row takes: never read as one big number.
            where = line.location.with_(file=file)
            warnings.append(
                ParseWarning(
                    code="orphan-values",
                    message=f"表格中有一串连在一起的数字（{line.run}），无法对应到任何行，未采用",
                    location=where,
                )
            )
            out[i] = Line([Span(line.label, line.location)]) if line.label else Line([])
        else:
            out[i] = line.as_text()  # outside the tables: narrative
    return out, made


def _table(
    out: list[Line],
    region: range,
    fmt: Format,
    key: str,
    file: str | None,
    warnings: list[ParseWarning],
) -> list[Split]:
    table = fmt.table(key)
    glued = [i for i in region if isinstance(out[i], GluedRow)]
    if not glued:
        return []
    rows = _Rows()
    if key == "t4":
        # One row without a label: its values may stand in one run or several.
        row = table.rows[0].key
        rows.runs[row] = "".join(_glued(out, i).run for i in glued)
        rows.at[row] = glued
    else:
        _match(out, glued, fmt, key, rows)
    # A one-column row has nothing to cut: its run is its cell, read as written.
    single = {r: run for r, run in rows.runs.items() if len(table.columns_for(r)) == 1}
    for row_key, run in single.items():
        _write(out, rows.at[row_key], [run + _glued(out, rows.at[row_key][0]).unit])
    several = {r: run for r, run in rows.runs.items() if r not in single}
    if _has_subtotal(out, region, glued[0], table):
        # A non-official 小计 column adds a cell to every row: the official column count and
        # identities do not describe these runs, so none is cut.
        for row_key, run in several.items():
            spec = table.row(row_key)
            g = _glued(out, rows.at[row_key][0])
            warnings.append(
                ParseWarning(
                    code="ambiguous-split",
                    message=f"表{table.number}「{spec.label}」的数字连在一起（{run}），表头有"
                    f"「{table.subtotal_label}」列（不是官方格式的列），无法按官方的列拆分，该行留空",
                    location=g.location.with_(file=file, table=key, label=spec.label),
                )
            )
            _write(out, rows.at[row_key], [""] * len(table.columns_for(spec)))
        return []
    outcomes = digitruns.solve(table, several, hard_identities(table))
    made: list[Split] = []
    for row_key, outcome in outcomes.items():
        g = _glued(out, rows.at[row_key][0])
        spec = table.row(row_key)
        n = len(table.columns_for(spec))
        where = g.location.with_(file=file, table=key, label=spec.label)
        _warn(warnings, table.number, spec.label, several[row_key], n, outcome, where)
        cells = list(outcome.cells) if outcome.cells else [""] * n
        if outcome.cells:
            cells[-1] += g.unit
            made.append(Split(key, row_key, g.location.line, tuple(cells)))
        _write(out, rows.at[row_key], cells)
    return made


def _write(out: list[Line], at: list[int], cells: list[str]) -> None:
    """A glued row as a grid line: its label (if any) and its cells."""
    first, *rest = at
    g = _glued(out, first)
    label = [Span(g.label, g.location)] if g.label else []
    out[first] = Line([*label, *(Span(c, g.location) for c in cells)], grid=True)
    for i in rest:
        out[i] = Line([])  # table 四's later runs, cut together with the first


def _has_subtotal(out: list[Line], region: range, first: int, table: Table) -> bool:
    """Whether the header words before the first row name the non-official subtotal column."""
    if not table.subtotal_label:
        return False
    word = normalise(table.subtotal_label)
    return any(word in normalise(out[i].text) for i in range(region.start, first))


def _glued(out: list[Line], i: int) -> GluedRow:
    line = out[i]
    assert isinstance(line, GluedRow)
    return line


def _match(out: list[Line], glued: list[int], fmt: Format, key: str, rows: _Rows) -> None:
    """The row each glued label names, as the table reader will find it (the same matcher and
    order); a row named twice keeps its first run (the reader warns about the second)."""
    matcher = matcher_for(fmt.table(key))
    expected = 0
    for i in glued:
        g = _glued(out, i)
        for m in matcher.candidates(normalise(g.label), expected, weak=True):
            if m.row.key not in rows.runs:
                rows.runs[m.row.key] = g.run
                rows.at[m.row.key] = [i]
                expected = max(expected, m.index + 1)
                break
            if m.how in (How.EXACT, How.CONTAINED):
                break


def _warn(
    warnings: list[ParseWarning],
    number: str,
    label: str,
    run: str,
    n: int,
    outcome: digitruns.Outcome,
    where: Location,
) -> None:
    head = f"表{number}「{label}」的数字连在一起（{run}）"
    ids = "、".join(outcome.ids)
    if outcome.reason == "unique":
        cells = " ".join(outcome.cells or ())
        why = (
            f"按列数（{n}列）和数字格式只有一种拆分"
            if outcome.by_length
            else f"拆成{n}列有多种可能，只有这一种使勾稽关系（{ids}）成立"
        )
        code, message = "inferred-split", f"{head}，{why}：{cells}，按此读取（推定）"
    elif outcome.reason == "ambiguous":
        fits = f"勾稽关系（{ids}）" if ids else f"列数（{n}列）和数字格式"
        shown = "；".join(" ".join(o) for o in outcome.options)
        code = "ambiguous-split"
        message = (
            f"{head}，拆成{n}列有{outcome.count}种拆分都符合{fits}（如 {shown}），"
            "无法确定，该行留空"
        )
    elif outcome.reason == "none":
        fits = f"使勾稽关系（{ids}）成立" if ids else "符合列数和数字格式"
        code = "ambiguous-split"
        message = f"{head}，无法拆成{n}列{fits}（可能有空白单元格，或数字本身有误），该行留空"
    else:
        code = "ambiguous-split"
        message = f"{head}，可能的拆分过多，无法确定，该行留空"
    warnings.append(ParseWarning(code=code, message=message, location=where))


def mark_inferred(tables: dict[str, ReportTable], made: list[Split]) -> None:
    """Mark the cells that came from cutting a digit run (the table reader read them as
    written cells of a grid line)."""
    for split in made:
        table = tables.get(split.table)
        row = table.row(split.row) if table is not None else None
        if row is None or len(row.cells) != len(split.cells):
            continue
        if all(
            c.raw == text and c.location is not None and c.location.line == split.line
            for c, text in zip(row.cells, split.cells, strict=True)
        ):
            for c in row.cells:
                c.inferred = True
