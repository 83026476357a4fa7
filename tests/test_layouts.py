"""Layouts real reports use that the seeds don't show, built from seed 003's text in code.

Seed 003 (a 2021-format report, one cell per line) is rewritten the way other extractions write
the same tables: a whole row on one line with runs of spaces, numbers with units, full-width
digits, a bare 总计, page breaks inside a table, "/" and "-" cells, other encodings. Table 三 is
filled with a consistent set of numbers (every identity holds, every cell distinct enough that
a shifted cell shows), so each test can assert the exact cells and, for the repairs, that the
identities decided.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gongkai
from gongkai import formats
from gongkai.parse.align import LIMIT as ALIGN_LIMIT
from gongkai.parse.align import Slot, align
from gongkai.report import Cell, Report

from .conftest import CORPUS

SEED = (CORPUS / "003_de0397beeb1d474d.txt").read_text(encoding="utf-8")
T2 = formats.V2021.table("t2")
T3 = formats.V2021.table("t3")
HEAD2 = "二、主动公开政府信息情况"
HEAD3 = "三、收到和处理政府信息公开申请情况"
HEAD4 = "四、政府信息公开行政复议、行政诉讼情况"
HEADER3 = [
    "申请人情况",
    "自然人    法人或其他组织    总计",
    "商业企业    科研机构    社会公益组织    法律服务机构    其他",
]
T4 = [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]
FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _consistent_t3() -> dict[str, list[int]]:
    """Table 三 with every identity holding and r2 all zero."""
    keys = [r.key for r in T3.rows]
    results = keys[keys.index("r2") + 1 : keys.index("t")]
    rows: dict[str, list[int]] = {}
    for i, key in enumerate(results):
        applicants = [10 + 3 * i, i % 3, (i + 1) % 2, 0, 2 * (i % 2), (2 * i) % 3]
        rows[key] = [*applicants, sum(applicants)]
    t = [sum(rows[k][j] for k in results) for j in range(7)]
    r4 = [5, 0, 1, 0, 0, 0, 6]
    r2 = [0] * 7
    r1 = [t[j] + r4[j] - r2[j] for j in range(7)]
    return {"r1": r1, "r2": r2, **rows, "t": t, "r4": r4}


VALUES = _consistent_t3()


def _labels(row: formats.Row) -> list[str]:
    # The group label goes in front of the group's first row, as in a merged cell.
    first_of_group = row.group is not None and row.key in ("a", "c1", "d1", "e1", "f1")
    return [row.group, row.label] if first_of_group and row.group else [row.label]


def t3_lines(
    cell: Callable[[int], str] = str,
    *,
    total: str | None = None,
    before: dict[str, list[str]] | None = None,
    rows: dict[str, str] | None = None,
) -> list[str]:
    """Table 三 with one row per line, cells separated by runs of spaces. ``before`` inserts
    lines before a row; ``rows`` replaces a row's line (``""`` drops it)."""
    out = [HEAD3, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", *HEADER3]
    for row in T3.rows:
        out.extend((before or {}).get(row.key, []))
        labels = [total] if row.key == "t" and total else _labels(row)
        line = "    ".join([*labels, *(cell(v) for v in VALUES[row.key])])
        line = (rows or {}).get(row.key, line)
        if line:
            out.append(line)
    return [*out, ""]


def t2_lines(values: dict[str, list[str]]) -> list[str]:
    sep = "    "
    out = [HEAD2]
    for block in T2.blocks:
        out += [block.caption, sep.join(["信息内容", *(c.label for c in block.columns)])]
        out += [sep.join([r.label, *values[r.key]]) for r in T2.rows if r.block == block.key]
    return [*out, ""]


def t4_lines(cell: Callable[[int], str] = str) -> list[str]:
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        HEAD4,
        "行政复议    行政诉讼",
        "    ".join([*outcomes, "未经复议直接起诉", "复议后起诉"]),
        "    ".join(outcomes * 2),
        "    ".join(cell(v) for v in T4),
        "",
    ]


def build(
    t2: list[str] | None = None, t3: list[str] | None = None, t4: list[str] | None = None
) -> str:
    """Seed 003 with some of its tables replaced."""
    lines = SEED.split("\n")
    a, b, c = lines.index(HEAD2), lines.index(HEAD3), lines.index(HEAD4)
    d = next(i for i, line in enumerate(lines) if "存在的主要问题及改进情况" in line)
    return "\n".join(
        [*lines[:a], *(t2 or lines[a:b]), *(t3 or lines[b:c]), *(t4 or lines[c:d]), *lines[d:]]
    )


def values(report: Report, table: str) -> dict[str, list[object]]:
    return {r.key: [c.value for c in r.cells] for r in report.tables[table].rows}


def cell_at(report: Report, table: str, row: str, column: str) -> Cell:
    found = report.cell(table, row, column)
    assert found is not None, f"{table}.{row}.{column} missing"
    return found


def codes(report: Report) -> list[str]:
    return [w.code for w in report.warnings]


T2_PLAIN = {
    "rules": ["1", "0", "11"],
    "normative": ["8", "26", "66"],
    "licensing": ["447228"],
    "penalty": ["3985758"],
    "coercion": ["88283"],
    "fees": ["96171.6"],
}


# -- layouts ---------------------------------------------------------------------------------


def test_whole_rows_on_one_line_with_runs_of_spaces() -> None:
    report = gongkai.parse(build(t2_lines(T2_PLAIN), t3_lines(), t4_lines()))
    assert values(report, "t3") == VALUES
    assert values(report, "t2")["normative"] == [8, 26, 66]
    assert [str(v) for v in values(report, "t2")["fees"]] == ["96171.6"]
    assert values(report, "t4")["cases"] == T4
    assert codes(report) == []
    assert all(not c.inferred for t in report.tables.values() for r in t.rows for c in r.cells)


def test_numbers_followed_by_units() -> None:
    # 件 written against the number or after a space; 条 in table 二; an amount in 万元 or 元.
    t2 = {**T2_PLAIN, "rules": ["1件", "0 件", "11条"], "fees": ["96171.6万元"]}
    report = gongkai.parse(
        build(t2_lines(t2), t3_lines(lambda v: f"{v}件" if v % 2 else f"{v} 件"))
    )
    assert values(report, "t3") == VALUES
    assert {c.unit for r in report.tables["t3"].rows for c in r.cells} == {"件"}
    rules = report.tables["t2"].row("rules")
    assert rules is not None
    assert [(c.value, c.unit, c.raw) for c in rules.cells] == [
        (1, "件", "1件"),
        (0, "件", "0 件"),
        (11, "条", "11条"),
    ]
    fees = report.cell("t2", "fees", "fee_amount")
    assert fees is not None and str(fees.value) == "96171.6" and fees.unit == "万元"
    report = gongkai.parse(build(t2_lines({**T2_PLAIN, "fees": ["2500元"]})))
    fees = report.cell("t2", "fees", "fee_amount")
    assert fees is not None and str(fees.value) == "0.25" and fees.unit == "元"


def test_full_width_digits() -> None:
    t2 = {k: [v.translate(FULL_WIDTH) for v in vs] for k, vs in T2_PLAIN.items()}
    width = lambda v: str(v).translate(FULL_WIDTH)  # noqa: E731
    report = gongkai.parse(build(t2_lines(t2), t3_lines(width), t4_lines(width)))
    assert values(report, "t3") == VALUES
    assert values(report, "t2")["licensing"] == [447228]
    assert [str(v) for v in values(report, "t2")["fees"]] == ["96171.6"]
    assert values(report, "t4")["cases"] == T4
    assert cell_at(report, "t3", "r1", "natural").raw == width(VALUES["r1"][0])


def test_total_row_without_its_number() -> None:
    report = gongkai.parse(build(t3=t3_lines(total="总计")))
    assert values(report, "t3") == VALUES
    row = report.tables["t3"].row("t")
    assert row is not None and row.raw_label == "总计" and not row.inferred
    assert codes(report) == []


BREAKS = {
    "dash footer": ["- 4 -"],
    "em-dash footer": ["— 5 —"],
    "page n": ["第 3 页"],
    "page n of m": ["第 3 页 共 6 页"],
    "form feed": ["\f"],
    "form feed and footer": ["\f- 4 -"],
    "repeated header": ["- 4 -", *HEADER3],
}


@pytest.mark.parametrize("lines", BREAKS.values(), ids=BREAKS.keys())
@pytest.mark.parametrize("where", ["c3", "f2", "t"])
def test_page_break_between_rows(lines: list[str], where: str) -> None:
    report = gongkai.parse(build(t3=t3_lines(before={where: lines})))
    assert values(report, "t3") == VALUES
    assert codes(report) == []


@pytest.mark.parametrize("lines", BREAKS.values(), ids=BREAKS.keys())
def test_page_break_inside_a_row(lines: list[str]) -> None:
    """Seed 003's one-cell-per-line layout, the break after the third cell of a row: the row's
    last four cells come after the break."""
    seed = SEED.split("\n")
    i = seed.index("\t1.属于国家秘密")
    header = (
        ["\t申请人情况", "", "\t自然人", "\t法人或其他组织", "\t总计", ""] if len(lines) > 2 else []
    )
    broken = [*seed[: i + 4], "", *lines, "", *header, *seed[i + 4 :]]
    report = gongkai.parse("\n".join(broken))
    assert values(report, "t3") == values(gongkai.parse(SEED), "t3")
    assert codes(report) == []


def test_page_break_inside_a_row_keeps_distinct_cells_in_place() -> None:
    lines = t3_lines()
    i = next(k for k, line in enumerate(lines) if line.startswith("4.保护第三方合法权益"))
    label, *cells = lines[i].split("    ")
    lines[i : i + 1] = ["    ".join([label, *cells[:3]]), "- 4 -", "\f", "    ".join(cells[3:])]
    report = gongkai.parse(build(t3=lines))
    assert values(report, "t3") == VALUES
    assert codes(report) == []


def test_slash_and_dash_cells_are_kept_as_such() -> None:
    def cell(v: int) -> str:
        return "/" if v % 5 == 0 else "—" if v % 7 == 0 else "-" if v % 11 == 0 else str(v)

    t2 = {**T2_PLAIN, "normative": ["8", "/", "66"], "penalty": ["—"], "coercion": ["-"]}
    report = gongkai.parse(build(t2_lines(t2), t3_lines(cell)))
    for row in T3.rows:
        got = report.tables["t3"].row(row.key)
        assert got is not None
        for v, c in zip(VALUES[row.key], got.cells, strict=True):
            raw = cell(v)
            kind = "slash" if raw == "/" else "dash" if raw in ("-", "—") else "number"
            assert (c.raw, c.kind.value, c.value) == (raw, kind, v if kind == "number" else None)
    normative = report.tables["t2"].row("normative")
    assert normative is not None
    assert [(c.kind.value, c.value) for c in normative.cells] == [
        ("number", 8),
        ("slash", None),
        ("number", 66),
    ]
    assert cell_at(report, "t2", "penalty", "decisions").kind.value == "dash"
    assert cell_at(report, "t2", "coercion", "decisions").raw == "-"


@pytest.mark.parametrize(
    "encode",
    [
        lambda s: s.encode("gb18030"),
        lambda s: b"\xef\xbb\xbf" + s.encode("utf-8"),
        lambda s: s.replace("\n", "\r\n").encode("gb18030"),
    ],
    ids=["gb18030", "utf-8-bom", "gb18030-crlf"],
)
def test_encodings(encode: Callable[[str], bytes], tmp_path: Path) -> None:
    text = build(t2_lines(T2_PLAIN), t3_lines())
    expected = gongkai.parse(text)
    path = tmp_path / "report.txt"
    path.write_bytes(encode(text))
    for report in (gongkai.parse(path), gongkai.parse(encode(text), name="report.txt")):
        assert report.agency == expected.agency == "杭州市临平区经济信息化和科学技术局"
        assert values(report, "t2") == values(expected, "t2")
        assert values(report, "t3") == VALUES
        assert codes(report) == []
        here, there = cell_at(report, "t3", "r4", "total"), cell_at(expected, "t3", "r4", "total")
        assert here.location is not None and there.location is not None
        assert (here.location.file, here.location.line) == ("report.txt", there.location.line)


# -- labels away from their numbers ----------------------------------------------------------


def test_labels_floating_after_their_numbers() -> None:
    """A PDF→Markdown conversion prints two rows' numbers first and their labels after them."""
    bare = lambda key: "    ".join(str(v) for v in VALUES[key])  # noqa: E731
    lines = t3_lines(
        rows={"c5": bare("c5"), "c6": bare("c6")},
        before={"c7": ["5.属于三类内部", "事务信息", "6.属于四类过程性信息"]},
    )
    report = gongkai.parse(build(t3=lines))
    assert values(report, "t3") == VALUES
    assert codes(report) == []
    row = report.tables["t3"].row("c5")
    assert row is not None and row.raw_label == "5.属于三类内部" and not row.inferred


def test_row_without_any_label_is_placed_by_order_and_marked() -> None:
    bare = "    ".join(str(v) for v in VALUES["d2"])
    report = gongkai.parse(build(t3=t3_lines(rows={"d2": bare})))
    assert values(report, "t3") == VALUES
    row = report.tables["t3"].row("d2")
    assert row is not None and row.inferred and row.raw_label is None
    assert codes(report) == ["inferred-row"]
    assert "推定为「2.没有现成信息需要另行制作」" in report.warnings[0].message


# -- repairs by the identities ---------------------------------------------------------------


def _markdown_t3(blank: str | None = None, stray: tuple[str, str] | None = None) -> list[str]:
    """Table 三 as Markdown; ``blank`` empties a row's 总计 cell, ``stray`` puts a value on its
    own line before a row."""
    out = [
        HEAD3,
        "| 申请人情况 | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in T3.rows:
        if stray and stray[0] == row.key:
            out.append(stray[1])
        cells = [str(v) for v in VALUES[row.key]]
        if row.key == blank:
            cells[-1] = ""
        out.append("| " + " | ".join([row.label, *cells]) + " |")
    return [*out, ""]


def test_blank_total_filled_from_the_stray_the_identities_name() -> None:
    text = build(t3=_markdown_t3(blank="r4", stray=("f2", str(VALUES["r4"][-1]))))
    report = gongkai.parse(text)
    assert values(report, "t3") == VALUES
    cell = report.cell("t3", "r4", "total")
    assert cell is not None and cell.inferred and cell.raw == "6"
    stray_line = text.split("\n").index("6") + 1
    assert cell.location is not None and cell.location.line == stray_line
    (warning,) = report.warnings
    assert warning.code == "inferred-cell" and warning.location is not None
    assert warning.location.table == "t3" and warning.location.line == stray_line
    assert "T3-1" in warning.message and "T3-2" in warning.message
    assert not any(f.severity == "error" for f in gongkai.check(report))


def test_blank_stays_blank_without_a_matching_stray() -> None:
    report = gongkai.parse(build(t3=_markdown_t3(blank="r4")))
    cell = report.cell("t3", "r4", "total")
    assert cell is not None and cell.kind.value == "blank" and not cell.inferred
    assert codes(report) == []
    # A stray of another value is not forced in: it is reported instead.
    report = gongkai.parse(build(t3=_markdown_t3(blank="r4", stray=("f2", "9"))))
    cell = report.cell("t3", "r4", "total")
    assert cell is not None and cell.kind.value == "blank" and not cell.inferred
    assert codes(report) == ["orphan-values"]


def test_two_blanks_one_stray_is_ambiguous() -> None:
    """The 社会公益组织 cells of a and b are blank; T3-2 gives 0 for both, and one stray 0
    stands below the table: either cell could be it, so neither is filled."""
    lines = _markdown_t3(stray=("r4", "0"))
    for key in ("a", "b"):
        i = next(k for k, line in enumerate(lines) if line.startswith(f"| {T3.row(key).label} |"))
        cells = lines[i].split("|")
        cells[5] = "  "  # | label | natural | commercial | research | public_interest | …
        lines[i] = "|".join(cells)
    report = gongkai.parse(build(t3=lines))
    for key in ("a", "b"):
        cell = report.cell("t3", key, "public_interest")
        assert cell is not None and cell.kind.value == "blank" and not cell.inferred
    assert codes(report) == ["ambiguous-values"]
    assert "「（一）予以公开」的「社会公益组织」" in report.warnings[0].message


def test_short_row_completed_where_the_identities_hold() -> None:
    """A value of row c4 stands on its own line above the row; the row is one cell short."""
    c4 = VALUES["c4"]
    assert c4[0] != c4[1], "the test needs distinct neighbours"
    short = "    ".join(["4.保护第三方合法权益", *(str(v) for v in c4[1:])])
    report = gongkai.parse(build(t3=t3_lines(rows={"c4": short}, before={"c4": [str(c4[0])]})))
    assert values(report, "t3") == VALUES
    cell = report.cell("t3", "c4", "natural")
    assert cell is not None and cell.inferred
    assert codes(report) == ["inferred-cell"]
    assert "勾稽关系" in report.warnings[0].message


def test_unlabelled_run_placed_by_the_identities() -> None:
    """Row r2 (all zero) is lost and row a's label too: its numbers fit r2 or a by the order;
    only a makes T3-1 and T3-3 hold."""
    bare = "    ".join(str(v) for v in VALUES["a"])
    report = gongkai.parse(build(t3=t3_lines(rows={"r2": "", "a": bare})))
    got = values(report, "t3")
    assert got["a"] == VALUES["a"] and "r2" not in got
    row = report.tables["t3"].row("a")
    assert row is not None and row.inferred
    assert sorted(codes(report)) == ["inferred-row", "missing-row"]
    assert "勾稽关系" in next(w.message for w in report.warnings if w.code == "inferred-row")


def test_unlabelled_runs_the_identities_cannot_place_are_left_out() -> None:
    """Rows c3 and c4 lose their labels and c5 is lost: the two runs fit any two of the three
    rows, and every choice satisfies the identities (c5 is all zero in no choice)."""
    bare = lambda key: "    ".join(str(v) for v in VALUES[key])  # noqa: E731
    report = gongkai.parse(build(t3=t3_lines(rows={"c3": bare("c3"), "c4": bare("c4"), "c5": ""})))
    got = values(report, "t3")
    assert not {"c3", "c4", "c5"} & set(got)
    assert codes(report).count("ambiguous-values") == 1
    assert codes(report).count("missing-row") == 3
    assert "orphan-values" not in codes(report)


def _t2_dropped_middle(notes: bool) -> list[str]:
    """Table 二 as a PDF→Markdown conversion of report 04 gives it: the middle column's cells
    (written with a note) stand above the table, the rows lack them."""
    note1, note2 = ("（其中修订 16 件）", "（含自然失效 29 件）") if notes else ("", "")
    return [
        HEAD2,
        "第二十条第（一）项",
        "22",
        *([note1] if note1 else []),
        "55",
        *([note2] if note2 else []),
        *t2_lines(T2_PLAIN)[5:],
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "|---|---|---|---|",
        "| 规章 | 22 | 235 |",
        "| 行政规范性文件 | 34 | 189 |",
        "",
    ]


def test_short_rows_completed_by_a_note_naming_the_column() -> None:
    report = gongkai.parse(build(t2=_t2_dropped_middle(notes=True)))
    got = values(report, "t2")
    assert got["rules"] == [22, 22, 235] and got["normative"] == [34, 55, 189]
    assert {(r.key, c.column) for r in report.tables["t2"].rows for c in r.cells if c.inferred} == {
        ("rules", "repealed"),
        ("normative", "repealed"),
    }
    assert cell_at(report, "t2", "normative", "repealed").raw == "55（含自然失效 29 件）"
    assert sorted(codes(report)) == ["cell-note", "cell-note", "inferred-cell", "inferred-cell"]


def test_short_rows_left_as_found_without_evidence() -> None:
    report = gongkai.parse(build(t2=_t2_dropped_middle(notes=False)))
    got = values(report, "t2")
    # The third cell of each row is absent (no cell at all), not a blank cell.
    assert got["rules"] == [22, 235] and got["normative"] == [34, 189]
    assert report.cell("t2", "rules", "in_force") is None
    assert not any(c.inferred for r in report.tables["t2"].rows for c in r.cells)
    assert sorted(codes(report)) == [
        "ambiguous-values",
        "ambiguous-values",
        "missing-cells",
        "missing-cells",
    ]


# -- realistic variant files with golden files -----------------------------------------------

VARIANTS = CORPUS / "variants"
VARIANT_FILES = (
    sorted(p for p in VARIANTS.iterdir() if not p.name.endswith(".json"))
    if VARIANTS.is_dir()
    else []
)


def test_variant_goldens_record_their_inferences() -> None:
    """The variants were built to exercise these repairs: their goldens must show them."""
    seen: set[str] = set()
    for path in VARIANT_FILES:
        gold = json.loads((VARIANTS / (path.stem + ".expected.json")).read_text(encoding="utf-8"))
        seen |= {w["code"] for w in gold["report"]["warnings"]}
    assert {"inferred-cell", "cell-note"} <= seen


# -- the alignment of unlabelled runs --------------------------------------------------------


def _brute_force(lengths: list[int], slots: list[Slot]) -> list[tuple[object, ...]]:
    """Every alignment, by enumeration; the best ones by the same ranking as ``align``."""
    found: set[tuple[tuple[int, tuple[int, ...]], ...]] = set()

    def walk(r: int, s: int, groups: tuple[tuple[int, tuple[int, ...]], ...]) -> None:
        if r == len(lengths):
            found.add(groups)
            return
        walk(r + 1, s, groups)  # run r is a stray
        for t in range(s, len(slots)):
            total = 0
            for k in range(1, 4):
                if r + k > len(lengths):
                    break
                total += lengths[r + k - 1]
                if total == slots[t].size:
                    walk(r + k, t + 1, (*groups, (t, tuple(range(r, r + k)))))

    walk(0, 0, ())

    def score(g: tuple[tuple[int, tuple[int, ...]], ...]) -> tuple[int, int, int]:
        return (len(g), sum(slots[t].labelled for t, _ in g), -sum(len(x) > 1 for _, x in g))

    top = max(score(g) for g in found)
    return sorted(g for g in found if score(g) == top)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([1, 2, 3, 4, 7]), max_size=6),
    st.lists(st.tuples(st.sampled_from([3, 4, 7]), st.booleans()), max_size=5),
)
def test_alignment_is_the_best_by_enumeration(
    lengths: list[int], spec: list[tuple[int, bool]]
) -> None:
    slots = [Slot(i, size, labelled) for i, (size, labelled) in enumerate(spec)]
    got = sorted(a.groups for a in align(lengths, slots))
    expected = _brute_force(lengths, slots)
    if len(expected) > ALIGN_LIMIT:
        assert len(got) == ALIGN_LIMIT + 1  # "more than the limit": hopeless ambiguity
    else:
        assert got == expected


def test_alignment_stays_fast_on_a_table_of_unlabelled_rows() -> None:
    # Twenty-five rows of seven values and no label at all: one answer, found quickly (the
    # benchmark is not asserted here; this guards against an exponential enumeration).
    (only,) = align([7] * 25, [Slot(i, 7, False) for i in range(25)])
    assert [s for s, _ in only.groups] == list(range(25))
    assert len(align([7] * 80, [Slot(i, 7, False) for i in range(25)])) == ALIGN_LIMIT + 1


def test_stray_that_fits_no_position_is_not_forced_into_a_short_row() -> None:
    """A bare page number above a row that is one cell short: no position makes the
    identities hold, so the row stays short and the number is reported, not placed."""
    c4 = VALUES["c4"]
    short = "    ".join(["4.保护第三方合法权益", *(str(v) for v in c4[1:])])
    report = gongkai.parse(build(t3=t3_lines(rows={"c4": short}, before={"c4": ["97"]})))
    assert not any(c.inferred for r in report.tables["t3"].rows for c in r.cells)
    assert sorted(codes(report)) == ["missing-cells", "orphan-values"]


def test_a_surplus_cell_with_a_note_is_warned_about_once() -> None:
    """A value beyond the header is kept in ``Row.extra``; its note is said once (the row's
    surplus cells used to be built twice, the first list thrown away)."""
    report = gongkai.parse(build(t2=t2_lines({**T2_PLAIN, "fees": ["96171.6", "3（含暂收款）"]})))
    row = report.tables["t2"].row("fees")
    assert row is not None and [c.raw for c in row.extra] == ["3（含暂收款）"]
    assert codes(report).count("cell-note") == 1
