"""Text a crawler flattened (every whitespace removed), built from reports made in code and from
the seeds: the report, or its tables, on one line or one line per row. Every cut the format
decides gives the source numbers, marked inferred with a warning naming the identities; every
row it does not decide is blank with a warning; no number is ever wrong."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gongkai
from gongkai import formats
from gongkai.parse.flattened import detect
from gongkai.render import render
from gongkai.report import CellKind, Report

from .conftest import CORPUS, SHARED_REAL
from .factories import make_report

SEEDS = sorted(CORPUS.glob("*.txt"))
HEAD3 = "三、收到和处理政府信息公开申请情况"
HEAD5 = "五、存在的主要问题及改进情况"


GROUPS = frozenset(
    g
    for f in formats.FORMATS.values()
    for t in f.tables
    for g in (*t.group_labels, *(r.group or "" for r in t.rows))
    if g
)


def web_page(report: Report) -> str:
    """The report as text (one cell per line), with each merged group label of table 三 only
    on the first row of its group, as a web page's table with row spans shows it."""
    out: list[str] = []
    previous: list[str] = []
    for block in render(report, "txt").split("\n\n"):
        lines = block.split("\n")
        heads = [line.strip() for line in lines if line.strip() in GROUPS]
        keep = 0
        while keep < min(len(heads), len(previous)) and heads[keep] == previous[keep]:
            keep += 1
        if heads:
            drop = set(range(keep))
            lines = [
                line for i, line in enumerate(lines) if not (i in drop and line.strip() in GROUPS)
            ]
            previous = heads
        out.append("\n".join(lines))
    return "\n\n".join(out)


def one_line(text: str) -> str:
    """The whole report with every whitespace removed."""
    return "".join(text.split())


def line_per_row(text: str) -> str:
    """Each table row (a group of one-cell-per-line cells) flattened onto a line of its own."""
    return "\n".join(one_line(block) for block in text.split("\n\n"))


def tables_flattened(text: str) -> str:
    """Only the tables flattened, onto one line; the narrative keeps its lines."""
    lines = text.split("\n")
    a = next(i for i, line in enumerate(lines) if line.startswith("二、"))
    b = next(i for i, line in enumerate(lines) if line.startswith(HEAD5[:2]))
    return "\n".join([*lines[:a], one_line("\n".join(lines[a:b])), *lines[b:]])


def read(report: Report, shape=one_line) -> Report:  # type: ignore[no-untyped-def]
    return gongkai.parse(shape(web_page(report)), name="flat.txt")


def assert_never_wrong(got: Report, want: Report) -> tuple[int, int]:
    """Every number read equals the source; a blank row has a warning. (numbers, blanks)"""
    numbers = blanks = 0
    warned = {(w.location.table, w.location.label) for w in got.warnings if w.location}
    for key, table in got.tables.items():
        for row in table.rows:
            source = want.tables[key].row(row.key)
            assert source is not None, (key, row.key)
            for cell in row.cells:
                expect = source.cell(cell.column)
                if expect is None:  # absent in the source (a short row): never a number here
                    assert cell.kind is CellKind.BLANK, (key, row.key, cell.column)
                    assert (key, row.label) in warned, (key, row.key)
                    blanks += 1
                elif cell.kind is CellKind.NUMBER:
                    assert cell.value == expect.value, (key, row.key, cell.column)
                    numbers += 1
                elif cell.kind is not CellKind.BLANK or expect.kind is CellKind.BLANK:
                    assert (cell.kind, cell.raw) == (expect.kind, expect.raw), (key, row.key)
                else:
                    assert (key, row.label) in warned, (key, row.key)
                    blanks += 1
    return numbers, blanks


def warning_for(report: Report, label: str) -> list[tuple[str, str]]:
    return [
        (w.code, w.message)
        for w in report.warnings
        if w.location is not None and w.location.label == label
    ]


BRIEF = make_report(
    "2021",
    t2={"rules": {"issued": 3}, "normative": {"issued": 5, "repealed": 0, "in_force": 8}},
    t3={
        "a": {"natural": 64, "commercial": 0, "research": 0, "public_interest": 2, "other": 4},
        "d1": {"natural": 22, "other": 3},
        "d2": {"natural": 1},
        "r4": {"natural": 7},
    },
    t4={"review_upheld": 13, "review_other": 8, "direct_corrected": 1, "after_pending": 6},
)


def test_the_brief_example_cuts_every_row_as_written() -> None:
    text = one_line(web_page(BRIEF))
    assert "（一）予以公开640020470（二）" in text
    assert "2200003252.没有现成信息" in text  # the next row's item number on the digits
    got = gongkai.parse(text, name="flat.txt")
    assert got.format == "2021" and got.year == 2023 and got.agency == "某某市某某局"
    for key in ("t2", "t3", "t4"):
        assert [[c.raw for c in r.cells] for r in got.tables[key].rows] == [
            [c.raw for c in r.cells] for r in BRIEF.tables[key].rows
        ], key
    d1 = got.tables["t3"].row("d1")
    assert d1 is not None and [c.value for c in d1.cells] == [22, 0, 0, 0, 0, 3, 25]
    assert all(c.inferred for c in d1.cells)
    [(code, message)] = warning_for(got, d1.label)
    assert code == "inferred-split" and "T3-2" in message and "2200003252" not in message
    assert "（220000325）" in message
    w = next(w for w in got.warnings if w.location and w.location.label == d1.label)
    assert w.location is not None and (w.location.file, w.location.table) == ("flat.txt", "t3")
    assert w.location.line == 1
    cases = got.tables["t4"].rows[0]
    assert all(c.inferred for c in cases.cells)
    assert "T4-1、T4-2、T4-3" in warning_for(got, cases.label)[0][1]
    # One-column rows of table 二 are read as written, not inferred.
    licensing = got.tables["t2"].row("licensing")
    assert licensing is not None and not licensing.cells[0].inferred


def full_width_tables(text: str) -> str:
    """The tables flattened onto one line, their digits written full-width (０１２)."""
    lines = tables_flattened(text).split("\n")
    widest = max(range(len(lines)), key=lambda i: len(lines[i]))
    lines[widest] = lines[widest].translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    return "\n".join(lines)


@pytest.mark.parametrize("shape", [one_line, line_per_row, tables_flattened, full_width_tables])
def test_every_shape_of_flattening_reads_the_same(shape) -> None:  # type: ignore[no-untyped-def]
    got = read(BRIEF, shape)
    numbers, blanks = assert_never_wrong(got, BRIEF)
    assert blanks == 0 and numbers == sum(t.cell_count for t in formats.V2021.tables)
    assert [s.number for s in got.sections] == [1, 2, 3, 4, 5, 6]


def test_narrative_and_headings_survive() -> None:
    report = make_report(
        sections={1: "2023年，共收到申请73件。", 5: "一是公开不够及时。", 6: "无其他事项。"},
        preamble="现向社会公布本报告。",
    )
    for shape in (one_line, tables_flattened):
        got = read(report, shape)
        texts = {s.number: s.text for s in got.sections}
        assert texts[1] == "2023年，共收到申请73件。", shape
        assert texts[5] == "一是公开不够及时。" and texts[6] == "无其他事项。"
        assert got.preamble == "现向社会公布本报告。"


def test_a_row_several_cuts_fit_is_blank_with_a_warning() -> None:
    # Row a is 1 10 0 0 0 0 11 and so are （七）总计 and 第一项: 11|0 fits every identity too.
    # Table 二's 规章 "1200" is 1|20|0 or 12|0|0 (table 二 has no sums).
    report = make_report(
        t2={"rules": {"issued": 1, "repealed": 20, "in_force": 0}},
        t3={"a": {"natural": 1, "commercial": 10}},
    )
    got = read(report)
    assert_never_wrong(got, report)
    for key, row_key in (("t2", "rules"), ("t3", "a"), ("t3", "t"), ("t3", "r1")):
        row = got.tables[key].row(row_key)
        assert row is not None and all(c.kind is CellKind.BLANK for c in row.cells), row_key
        assert not any(c.inferred for c in row.cells)
        [(code, message)] = warning_for(got, row.label)
        assert code == "ambiguous-split" and "该行留空" in message and "2种" in message
    assert "勾稽关系（T3-2" in warning_for(got, "（一）予以公开")[0][1]
    b = got.tables["t3"].row("b")
    assert b is not None and all(c.inferred and c.value == 0 for c in b.cells)


def test_the_column_sums_decide_across_rows() -> None:
    report = make_report(t3={"a": {"natural": 1, "commercial": 10}, "d1": {"natural": 2}})
    got = read(report)
    a = got.tables["t3"].row("a")
    assert a is not None and [c.value for c in a.cells] == [1, 10, 0, 0, 0, 0, 11]
    [(code, message)] = warning_for(got, a.label)
    assert code == "inferred-split" and "T3-3" in message and "有多种可能" in message


def test_money_and_units_in_a_2019_report() -> None:
    report = make_report(
        "2019",
        t2={
            "procurement": {"purchase_items": 2, "purchase_amount": "1.68万元"},
            "licensing": {"prev_items": 4, "change": "+1", "decisions": 0},
        },
    )
    got = read(report)
    assert_never_wrong(got, report)
    procurement = got.tables["t2"].row("procurement")
    assert procurement is not None
    assert [c.raw for c in procurement.cells] == ["2", "1.68万元"]
    assert procurement.cells[1].unit == "万元" and procurement.cells[1].inferred
    licensing = got.tables["t2"].row("licensing")
    assert licensing is not None and [c.value for c in licensing.cells] == [4, 1, 0]


@pytest.mark.parametrize("path", SEEDS, ids=[p.name for p in SEEDS])
def test_flattened_seeds_never_give_a_wrong_number(path: Path) -> None:
    want = gongkai.parse(path)
    got = gongkai.parse(one_line(path.read_text(encoding="utf-8")), name=path.name)
    assert (got.format, got.year) == (want.format, want.year)
    numbers, blanks = assert_never_wrong(got, want)
    assert numbers > 0
    if path.name[:3] in ("002", "003"):  # every cell written, every row decided
        assert blanks == 0 and numbers == 200


def test_normal_layouts_are_not_taken_for_flattened_text() -> None:
    paths = [*CORPUS.rglob("*.txt"), *CORPUS.rglob("*.md"), *SHARED_REAL.glob("*.txt")]
    assert len(paths) > 5
    for path in paths:
        assert not detect(path.read_text(encoding="utf-8", errors="replace")), path.name
    assert detect(one_line(web_page(BRIEF)))
    assert detect(line_per_row(web_page(BRIEF)))


def test_labels_glued_to_digits_in_prose_are_left_alone() -> None:
    # Narrative outside the tables mentioning a row label before a number stays text.
    report = make_report(sections={2: "本年度制发规章3件。"})
    got = read(report)
    assert next(s.text for s in got.sections if s.number == 2).startswith("本年度制发规章3件。")


_small = st.integers(min_value=0, max_value=30)
_applicants = st.fixed_dictionaries(
    {c: st.one_of(st.just(0), _small) for c in formats._common.T3_APPLICANT_COLUMNS[:3]}
)


@settings(max_examples=25, deadline=None)
@given(
    fmt=st.sampled_from(["2019", "2021"]),
    t3=st.dictionaries(st.sampled_from(["a", "b", "c1", "d2", "e1", "r2"]), _applicants),
    t4=st.dictionaries(st.sampled_from(["review_upheld", "direct_other", "after_pending"]), _small),
    rules=st.fixed_dictionaries({"issued": _small, "repealed": _small}),
    shape=st.sampled_from([one_line, line_per_row]),
)
def test_any_flattened_report_reads_right_or_blank(  # type: ignore[no-untyped-def]
    fmt: str,
    t3: dict[str, dict[str, int]],
    t4: dict[str, int],
    rules: dict[str, int],
    shape,
) -> None:
    """Never a wrong number: each cell is the source value (inferred when cut), or its row is
    blank with a warning."""
    if fmt == "2019":
        rules = {"new_made": rules["issued"], "new_published": rules["repealed"]}
    t2 = {"rules": rules}
    report = make_report(fmt, t3=t3, t4=t4, t2=t2)
    got = read(report, shape)
    assert_never_wrong(got, report)
    for key in ("t3", "t4"):
        for row in got.tables[key].rows:
            if any(c.kind is CellKind.NUMBER for c in row.cells):
                assert all(c.inferred for c in row.cells), (key, row.key)
                codes = [code for code, _ in warning_for(got, row.label)]
                assert codes == ["inferred-split"], (key, row.key)


def test_a_heading_number_glued_to_table_fours_digits_goes_back_to_the_heading() -> None:
    text = one_line(web_page(BRIEF)).replace("五、存在", "5、存在")
    assert "0665、存在的主要问题" in text
    got = gongkai.parse(text)
    assert [s.number for s in got.sections] == [1, 2, 3, 4, 5, 6]
    cases = got.tables["t4"].rows[0]
    assert [c.raw for c in cases.cells] == [c.raw for c in BRIEF.tables["t4"].rows[0].cells]


def test_slash_cells_and_a_one_column_amount() -> None:
    report = make_report(
        t3={"a": {"natural": 3, "research": "/"}}, t2={"fees": {"fee_amount": "1.68"}}
    )
    got = read(report)
    assert_never_wrong(got, report)
    a = got.tables["t3"].row("a")
    assert a is not None and [c.raw for c in a.cells] == ["3", "0", "/", "0", "0", "0", "3"]
    assert a.cells[2].kind is CellKind.SLASH and a.cells[2].inferred
    fees = got.tables["t2"].row("fees")
    assert fees is not None and fees.cells[0].value == Decimal("1.68")
    assert not fees.cells[0].inferred and fees.cells[0].unit == "万元"


def test_a_subtotal_column_in_the_header_stops_the_cutting() -> None:
    # A third-party template's 小计 column gives every row of table 三 one cell more than the
    # official columns: its runs are not cut by the official ones.
    text = one_line(web_page(BRIEF)).replace("法律服务机构其他一、", "法律服务机构其他小计一、")
    a = BRIEF.tables["t3"].row("a")
    assert a is not None
    text = text.replace("640020470（二）", "6400204670（二）")  # 小计 of row a is 6
    assert "其他小计一、" in text and "6400204670" in text
    got = gongkai.parse(text)
    row = got.tables["t3"].row("a")
    assert row is not None and all(c.kind is CellKind.BLANK for c in row.cells)
    [(code, message)] = warning_for(got, a.label)
    assert code == "ambiguous-split" and "「小计」列" in message
    t4 = got.tables["t4"].rows[0]
    assert [c.raw for c in t4.cells] == [c.raw for c in BRIEF.tables["t4"].rows[0].cells]
