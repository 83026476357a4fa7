"""Repairing a table read from a messy conversion, by the format's identities and notes.

The table reader places every value it can by its label and the official row order. What is
left is a handful of *strays* (values that fit no row) and of gaps: a blank cell, a row one
cell short, a run of values that could be either of two rows. This module fills a gap with a
stray only when the evidence names one place:

* a blank cell whose value a hard identity determines (T3-2: 总计 = Σ applicant columns),
  when a stray holds exactly that value;
* a row one cell short, when a stray's note names a column (``含自然失效29件`` → 本年废止件数)
  or exactly one position makes the identities hold;
* an unlabelled run that fits several rows equally well, when exactly one choice makes the
  identities hold.

Everything placed here is marked ``inferred`` and explained by a located warning in Chinese.
When two places are equally plausible, nothing is placed and a warning says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from ..formats import FORMATS, Column, Identity, Row, Table
from ..report import CellKind, Location
from .tokens import Token
from .values import read_value

Number = int | Decimal
Warn = Callable[[str, str, Location | None], None]
CellKey = tuple[str, str]  # (row key, column key)


@dataclass(slots=True)
class Draft:
    """A row before its cells are built: one token per column, ``None`` where a short row had
    no cell (filled with a blank when the cells are built)."""

    index: int
    row: Row
    cells: list[Token | None]
    present: list[Token]  # the row's tokens as found, in order
    extra: list[Token] = field(default_factory=list)
    subtotal: Token | None = None  # the value of a non-official subtotal column, if any
    raw_label: str = ""
    location: Location | None = None
    inferred_row: bool = False
    inferred: set[int] = field(default_factory=set)  # column positions placed by inference

    @property
    def short(self) -> bool:
        return len(self.present) < len(self.cells)


@dataclass(slots=True)
class Stray:
    tokens: list[Token]
    home: int | None  # the row whose surplus it is, or None for a run that fits no row
    block: str | None = None  # the table 二 block caption it stood under
    warned: bool = False  # a warning already said why it was not placed


@dataclass(slots=True)
class Choice:
    """Equally good ways to place some unlabelled runs: per option, row index → tokens."""

    options: list[dict[int, list[Token]]]
    runs: list[list[Token]]  # every run involved, for the warning and for strays
    # Rows whose label was found away from any numbers: the label as found and where.
    labels: dict[int, tuple[str, Location]] = field(default_factory=dict)


def hard_identities(table: Table) -> tuple[Identity, ...]:
    """The format's hard equalities on this table (the format that owns the table object)."""
    for fmt in FORMATS.values():
        if any(t is table for t in fmt.tables):
            return tuple(
                i
                for i in fmt.identities
                if i.table == table.key and i.severity == "error" and i.op == "="
            )
    return ()


Instance = tuple[Identity, list[CellKey], list[CellKey]]


def _instances(table: Table, identities: tuple[Identity, ...]) -> Iterator[Instance]:
    """Every equation an identity stands for: one per column (or per row) it runs over."""
    for ident in identities:
        if ident.axis == "column":
            cols = ident.over or tuple(c.key for c in table.all_columns)
            for c in cols:
                yield ident, [(r, c) for r in ident.lhs], [(r, c) for r in ident.rhs]
        else:
            rows = ident.over or tuple(r.key for r in table.rows)
            for r in rows:
                yield ident, [(r, c) for c in ident.lhs], [(r, c) for c in ident.rhs]


class Repair:
    def __init__(
        self, table: Table, drafts: dict[int, Draft], strays: list[Stray], warn: Warn
    ) -> None:
        self.table = table
        self.drafts = drafts
        self.strays = strays
        self.warn = warn
        self.identities = hard_identities(table)
        self.index = {r.key: i for i, r in enumerate(table.rows)}
        self.position = {
            r.key: {c.key: p for p, c in enumerate(table.columns_for(r))} for r in table.rows
        }
        self.instances = list(_instances(table, self.identities))
        # For each cell, the instances it appears in (to solve for a blank cell).
        self.by_cell: dict[CellKey, list[Instance]] = {}
        for inst in self.instances:
            for key in (*inst[1], *inst[2]):
                self.by_cell.setdefault(key, []).append(inst)

    # -- reading the draft ----------------------------------------------------------------

    def _token(self, key: CellKey) -> Token | None:
        """The cell's token; a missing row or a short row's missing cell reads as None."""
        draft = self.drafts.get(self.index[key[0]])
        pos = self.position[key[0]].get(key[1])
        return None if draft is None or pos is None else draft.cells[pos]

    def _number(self, key: CellKey, strict: bool) -> Number | None:
        """The value for arithmetic. ``strict``: only a written number counts (a blank or a
        missing cell is unknown); otherwise blank, "/" and "-" count as 0 (spec §4.1)."""
        tok = self._token(key)
        if tok is None:
            return None if strict else 0
        v = read_value(tok.text)
        if v.kind is CellKind.NUMBER:
            return v.value
        if v.kind is CellKind.TEXT or strict:
            return None
        return 0

    def _holds(self, rows: set[str]) -> bool:
        """Whether every identity instance touching these rows holds (blank as 0)."""
        for _, lhs, rhs in self.instances:
            if not any(k[0] in rows for k in (*lhs, *rhs)):
                continue
            left = [self._number(k, False) for k in lhs]
            right = [self._number(k, False) for k in rhs]
            if any(v is None for v in (*left, *right)):
                continue  # a text cell: this instance says nothing
            if sum(v for v in left if v is not None) != sum(v for v in right if v is not None):
                return False
        return True

    def _determined(self, key: CellKey) -> tuple[Number | None, list[str]]:
        """The value the identities give this cell from written numbers, if they agree."""
        values: set[Number] = set()
        ids: list[str] = []
        for ident, lhs, rhs in self.by_cell.get(key, ()):
            cells = [*lhs, *rhs]
            if cells.count(key) != 1:
                continue
            others = [self._number(k, True) for k in cells if k != key]
            if any(v is None for v in others):
                continue
            left = sum(self._number(k, True) or 0 for k in lhs if k != key)
            right = sum(self._number(k, True) or 0 for k in rhs if k != key)
            values.add(right - left if key in lhs else left - right)
            ids.append(ident.id)
        if len(values) != 1:
            return None, ids
        return values.pop(), ids

    # -- repairs --------------------------------------------------------------------------

    def run(self, choices: list[Choice]) -> None:
        for choice in choices:
            self._choose(choice)
        self._short_rows()
        self._blanks()

    def _choose(self, choice: Choice) -> None:
        """Try every equally good placement; keep the only one the identities accept."""
        touched = {self.table.rows[i].key for opt in choice.options for i in opt}
        good: list[dict[int, list[Token]]] = []
        for option in choice.options:
            saved = {i: self.drafts.get(i) for i in option}
            for i, tokens in option.items():
                self.drafts[i] = self._new_draft(i, tokens)
            if self.identities and self._holds(touched):
                good.append(option)
            for i, old in saved.items():
                if old is None:
                    self.drafts.pop(i, None)
                else:
                    self.drafts[i] = old
        values = "；".join(" ".join(t.text or "空" for t in run) for run in choice.runs)
        where = choice.runs[0][0].location
        names = "、".join(
            dict.fromkeys(f"「{self.table.rows[i].label}」" for opt in choice.options for i in opt)
        )
        if len(good) != 1:
            self.warn(
                "ambiguous-values",
                f"没有行标签的数值（{values}）可以归入{names}中的不同行，"
                "按行序和勾稽关系都无法确定归属，未采用",
                where,
            )
            self.strays.extend(Stray(run, None, warned=True) for run in choice.runs)
            return
        option = good[0]
        used = {id(t) for tokens in option.values() for t in tokens}
        for i, tokens in option.items():
            draft = self._new_draft(i, tokens)
            draft.inferred_row = True
            if i in choice.labels:
                draft.raw_label, draft.location = choice.labels[i]
            self.drafts[i] = draft
            ids = "、".join(dict.fromkeys(ident.id for ident in self.identities))
            shown = " ".join(t.text or "空" for t in tokens)
            self.warn(
                "inferred-row",
                f"一行数值（{shown}）没有行标签，行序上有多种可能；"
                f"只有推定为「{self.table.rows[i].label}」时勾稽关系（{ids}）成立，按此读取",
                tokens[0].location,
            )
        for run in choice.runs:
            if not any(id(t) in used for t in run):
                self.strays.append(Stray(run, None))

    def _new_draft(self, index: int, tokens: list[Token]) -> Draft:
        row = self.table.rows[index]
        n = len(self.table.columns_for(row))
        cells: list[Token | None] = list(tokens[:n])
        cells += [None] * (n - len(cells))
        return Draft(index, row, cells, list(tokens), location=tokens[0].location)

    def _singles(self) -> list[Stray]:
        return [
            s
            for s in self.strays
            if len(s.tokens) == 1 and read_value(s.tokens[0].text).kind is CellKind.NUMBER
        ]

    def _short_rows(self) -> None:
        """Rows one cell short, and as many single strays under the same block: pair them in
        order, and place each stray where the evidence says (one position for the whole
        block: a conversion drops the same column from every row)."""
        short = [
            d
            for d in sorted(self.drafts.values(), key=lambda d: d.index)
            if len(d.present) == len(d.cells) - 1
        ]
        groups: dict[str | None, list[Draft]] = {}
        for d in short:
            groups.setdefault(d.row.block, []).append(d)
        for block, drafts in groups.items():
            singles = [s for s in self._singles() if s.block == block or s.block is None]
            if len(singles) != len(drafts):
                continue
            pairs = list(zip(drafts, singles, strict=True))
            chosen = self._choose_positions(pairs)
            if chosen is None:
                self._ambiguous_short(pairs)
                continue
            if not chosen:
                continue
            for (draft, stray), (pos, same) in zip(pairs, chosen, strict=True):
                self._place_in_short(draft, stray, pos, same)

    def _choose_positions(self, pairs: list[tuple[Draft, Stray]]) -> list[tuple[int, bool]] | None:
        """One position per pair, and whether other positions would give the same values;
        None when the evidence does not decide, [] when it rules every position out."""
        sets = [self._positions(d, s) for d, s in pairs]
        if not all(sets):
            return []  # some stray fits nowhere: not this row's cell after all
        common = set.intersection(*sets)
        if common and all(self._same_outcome(d, s, common) for d, s in pairs):
            return [(min(common), len(common) > 1)] * len(pairs)
        out: list[tuple[int, bool]] = []
        for (draft, stray), positions in zip(pairs, sets, strict=True):
            if not self._same_outcome(draft, stray, positions):
                return None
            out.append((min(positions), len(positions) > 1))
        return out

    def _positions(self, draft: Draft, stray: Stray) -> set[int]:
        """Where in the short row the stray may go, by the evidence available."""
        columns = self.table.columns_for(draft.row)
        everywhere = set(range(len(columns)))
        note = read_value(stray.tokens[0].text).note or ""
        by_note = {p for p, c in enumerate(columns) if any(w in note for w in c.note_words)}
        if by_note:
            return by_note
        if not self.identities:
            return everywhere
        saved = (draft.cells, draft.present)
        valid: set[int] = set()
        for pos in everywhere:
            draft.cells = self._laid_out(draft, stray.tokens[0], pos)
            draft.present = [t for t in draft.cells if t is not None]
            if self._holds({draft.row.key}):
                valid.add(pos)
        draft.cells, draft.present = saved
        return valid if valid else set()

    def _same_outcome(self, draft: Draft, stray: Stray, positions: set[int]) -> bool:
        """Whether every position gives the row the same values (a 0 dropped among 0s): then
        the position does not matter and the first one is taken."""
        if not positions:
            return False
        outcomes = {
            tuple(
                read_value(t.text).value if t else None
                for t in self._laid_out(draft, stray.tokens[0], p)
            )
            for p in positions
        }
        return len(outcomes) == 1

    @staticmethod
    def _laid_out(draft: Draft, token: Token, pos: int) -> list[Token | None]:
        cells: list[Token | None] = list(draft.present)
        cells.insert(pos, token)
        return cells

    def _place_in_short(self, draft: Draft, stray: Stray, pos: int, same: bool) -> None:
        columns = self.table.columns_for(draft.row)
        token = stray.tokens[0]
        found = len(draft.present)
        draft.cells = self._laid_out(draft, token, pos)
        draft.present = [t for t in draft.cells if t is not None]
        draft.inferred.add(pos)
        self.strays.remove(stray)
        note = read_value(token.text).note or ""
        why = (
            f"数值所带的说明「{note}」指向「{columns[pos].label}」"
            if any(w in note for w in columns[pos].note_words)
            else (
                "同一栏其他行的说明指向这一列"
                if not self.identities
                else f"只有放在这一列时勾稽关系（{self._ids()}）成立"
            )
        )
        self.warn(
            "inferred-cell",
            f"「{draft.row.label}」只有{found}个单元格，少于表头的{len(columns)}列；"
            f"表格外的数值「{token.text}」（{_where(token)}）推定为「{columns[pos].label}」：{why}"
            + ("（与相邻单元格数值相同，放在哪一格结果都一样）" if same else ""),
            token.location,
        )

    def _ambiguous_short(self, pairs: list[tuple[Draft, Stray]]) -> None:
        for draft, stray in pairs:
            stray.warned = True
            self.warn(
                "ambiguous-values",
                f"「{draft.row.label}」缺少一个单元格，表格外的数值「{stray.tokens[0].text}」"
                "可能属于其中任何一列，无法确定，未采用",
                stray.tokens[0].location,
            )

    def _ids(self) -> str:
        return "、".join(dict.fromkeys(i.id for i in self.identities))

    def _blanks(self) -> None:
        """A blank cell that the identities determine, and one stray holding that value."""
        singles = self._singles()
        if not singles or not self.identities:
            return
        targets: list[tuple[Draft, int, Column, Number, list[str]]] = []
        for draft in sorted(self.drafts.values(), key=lambda d: d.index):
            for pos, col in enumerate(self.table.columns_for(draft.row)):
                tok = draft.cells[pos]
                if tok is None or read_value(tok.text).kind is not CellKind.BLANK:
                    continue
                value, ids = self._determined((draft.row.key, col.key))
                if value is not None:
                    targets.append((draft, pos, col, value, ids))
        taken: set[tuple[int, int]] = set()
        for stray in singles:
            value = read_value(stray.tokens[0].text).value
            fits = [t for t in targets if t[3] == value and (t[0].index, t[1]) not in taken]
            token = stray.tokens[0]
            if len(fits) > 1:
                names = "、".join(f"「{d.row.label}」的「{c.label}」" for d, _, c, _, _ in fits)
                self.warn(
                    "ambiguous-values",
                    f"表格外的数值「{token.text}」可以填入{names}，无法确定，未采用",
                    token.location,
                )
                stray.warned = True
                continue
            if not fits:
                continue
            draft, pos, col, _, ids = fits[0]
            blank = draft.cells[pos]
            draft.cells[pos] = token
            draft.inferred.add(pos)
            taken.add((draft.index, pos))
            self.strays.remove(stray)
            self.warn(
                "inferred-cell",
                f"「{draft.row.label}」的「{col.label}」单元格为空"
                f"{f'（{_where(blank)}）' if blank is not None and _where(blank) else ''}；"
                f"按勾稽关系（{'、'.join(dict.fromkeys(ids))}）该格应为{value}，"
                f"表格外的数值「{token.text}」（{_where(token)}）正是此数，推定为该单元格",
                token.location,
            )


def _where(token: Token) -> str:
    loc = token.location
    if loc.line is not None:
        return f"第{loc.line}行"
    if loc.page is not None:
        return f"第{loc.page}页"
    return ""
