"""Tables cut off midway and tables printed twice (T0-2, T0-4, T0-3, T0-3b), built from seed
003's text (2021 format, one cell per line) by cutting or repeating its lines."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gongkai
from gongkai import formats
from gongkai.cli import main
from gongkai.parse.tables import MAX_COPIES
from gongkai.render import render
from gongkai.report import CellKind, Report, Table

from .conftest import CORPUS
from .factories import make_report
from .test_roundtrip import assert_same_tables, reports

SEED = CORPUS / "003_de0397beeb1d474d.txt"
FMT = formats.get("2021")
LINES = SEED.read_text(encoding="utf-8").split("\n")


def heading_index(number: int) -> int:
    """The line of section ``number``'s heading (一、…): where its table's region ends."""
    heading = FMT.sections[number - 1].heading
    return next(i for i, line in enumerate(LINES) if line.strip().endswith(heading))


def t3_range() -> tuple[int, int]:
    return heading_index(3), heading_index(4)


def t4_values() -> int:
    """The line of table 四's first value: after its header, the first line holding a digit."""
    start = heading_index(4)
    return next(i for i in range(start, len(LINES)) if LINES[i].strip().isdigit())


def parse(lines: list[str], name: str = "x.txt") -> Report:
    return gongkai.parse("\n".join(lines), name=name)


def findings(report: Report, *rules: str) -> list[gongkai.Finding]:
    return [f for f in gongkai.check(report) if f.rule in rules]


# -- cut off -----------------------------------------------------------------------------------


def cut_table3_after_group_4() -> list[str]:
    start, end = t3_range()
    group5 = FMT.table("t3").row("e1").group
    cut = next(i for i in range(start, end) if LINES[i].strip() == group5)
    return LINES[:cut] + LINES[end - 2 :]  # keep the blank lines before heading 四


def test_table_cut_off_midway_is_an_error_naming_the_absent_rows() -> None:
    report = parse(cut_table3_after_group_4())
    found = findings(report, "T0-2", "T0-4")
    assert [(f.rule, f.severity) for f in found] == [("T0-2", "error")]
    message = found[0].message
    absent = [r for r in FMT.table("t3").rows if report.tables["t3"].row(r.key) is None]
    assert [r.key for r in absent] == ["e1", "e2", "e3", "e4", "e5", "f1", "f2", "f3", "t", "r4"]
    assert message.startswith("表三缺少10行（从「（五）1.信访举报投诉类申请」起）")
    assert "等10行" in message  # six named, the rest counted
    assert "T3-1" in message and "T3-3" in message and "未核对" in message
    assert found[0].location is not None and found[0].location.table == "t3"


def test_cli_check_exits_1_on_a_cut_off_table(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    path.write_text("\n".join(cut_table3_after_group_4()), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "[T0-2]" in result.output and "表三缺少10行" in result.output
    # The finding stands for the parse warnings about the same rows: said once.
    assert "未找到「2.重复申请」这一行" not in result.output


def test_table4_with_7_of_15_values_is_an_error_and_absent_is_not_blank() -> None:
    first = t4_values()
    report = parse(LINES[: first + 7] + LINES[first + 15 :])
    row = report.tables["t4"].rows[0]
    assert len(row.cells) == 7  # the eight absent cells are no cells at all
    found = findings(report, "T0-2", "T0-4")
    assert [(f.rule, f.severity) for f in found] == [("T0-2", "error")]
    assert "只有7个单元格，缺少8个" in found[0].message
    assert "T4-1" in found[0].message and "全部缺失" in found[0].message
    assert len(found[0].cells) == 8 and all(c.raw is None for c in found[0].cells)


def test_written_blank_cells_are_not_missing() -> None:
    first = t4_values()
    blanks = ["\t"] * 8  # eight cells written blank, one per line
    report = parse(LINES[: first + 7] + blanks + LINES[first + 15 :])
    cells = report.tables["t4"].rows[0].cells
    assert len(cells) == 15 and [c.kind for c in cells[7:]] == [CellKind.BLANK] * 8
    assert findings(report, "T0-2", "T0-4") == []


def test_missing_table_is_an_error() -> None:
    start, end = t3_range()
    report = parse(LINES[: start + 1] + LINES[end:])
    assert "t3" not in report.tables
    found = findings(report, "T0-2")
    assert len(found) == 1 and found[0].message.startswith(
        "表三（收到和处理政府信息公开申请情况）未找到"
    )


def test_short_row_with_its_identities_still_written_is_a_warning() -> None:
    """Seed 001: （一）予以公开 has 6 cells under 7 columns (read right-aligned)."""
    report = gongkai.parse(CORPUS / "001_c2253c531b62b367.txt")
    found = findings(report, "T0-2", "T0-4")
    assert [(f.rule, f.severity) for f in found] == [("T0-4", "warning")]
    assert "「（一）予以公开」只有6个单元格，缺少1个：「自然人」" in found[0].message
    assert report.cell("t3", "a", "natural") is None


def test_absent_row_no_identity_uses_is_a_warning() -> None:
    report = make_report("2021", omit_rows={"t2": ["penalty"]})
    found = findings(report, "T0-2", "T0-4")
    assert [(f.rule, f.severity) for f in found] == [("T0-4", "warning")]
    assert "缺少1行" in found[0].message and "不在任何勾稽关系中" in found[0].message


def test_complete_report_has_no_completeness_finding() -> None:
    assert findings(gongkai.parse(SEED), "T0-2", "T0-3", "T0-3b", "T0-4") == []


# -- printed twice -----------------------------------------------------------------------------


def repeat_table3(change: bool) -> list[str]:
    start, end = t3_range()
    copy = LINES[start:end]
    if change:  # the second copy says 3 where the first says 2
        copy = [line.replace("\t2", "\t3") for line in copy]
    return LINES[:end] + copy + LINES[end:]


def test_table_printed_twice_with_other_numbers_is_an_error() -> None:
    report = parse(repeat_table3(change=True))
    first = parse(LINES)
    # The first copy is the table's values, as if there were no second copy.
    assert report.tables["t3"].rows == first.tables["t3"].rows
    assert report.number("t3", "r1", "natural") == 2
    second = report.tables["t3"].repeated
    assert second is not None and [r.key for r in second.rows] == [
        r.key for r in report.tables["t3"].rows
    ]
    found = findings(report, "T0-3", "T0-3b")
    assert [(f.rule, f.severity) for f in found] == [("T0-3", "error")]
    f = found[0]
    assert f.message.startswith("表三出现两次，第二份（第")
    assert "有6处数值不同" in f.message and "「第一项」「自然人」第一份2、第二份3" in f.message
    assert "采用第一份的数值" in f.message
    # Nothing lost: the second copy's differing cells travel with the finding.
    assert len(f.cells) == 6 and {c.value for c in f.cells} == {3}
    assert all(c.label.endswith("（第二份）") for c in f.cells)
    assert all(c.location is not None and c.location.line for c in f.cells)
    assert [w.code for w in report.warnings if w.code == "duplicate-row"] == []


def test_identical_second_copy_is_only_info() -> None:
    report = parse(repeat_table3(change=False))
    found = findings(report, "T0-3", "T0-3b")
    assert [(f.rule, f.severity) for f in found] == [("T0-3b", "info")]
    assert "数值相同" in found[0].message
    rules = sorted(f.rule for f in gongkai.check(report))
    assert rules == sorted([*(f.rule for f in gongkai.check(parse(LINES))), "T0-3b"])


def test_table4_printed_twice() -> None:
    start, end = heading_index(4), heading_index(5)
    copy = [line.replace("\t1", "\t2") for line in LINES[start + 1 : end]]
    report = parse(LINES[:end] + copy + LINES[end:])
    assert report.number("t4", "cases", "review_upheld") == 1
    found = findings(report, "T0-3")
    assert len(found) == 1 and "表四出现两次" in found[0].message
    assert "「行政复议·结果维持」第一份1、第二份2" in found[0].message
    # The copy is no longer narrative of section 四.
    section = report.section(4)
    assert section is not None and "结果维持" not in section.text


@pytest.mark.parametrize("table", ["t2"])
def test_table2_printed_twice(table: str) -> None:
    start, end = heading_index(2), heading_index(3)
    copy = [line.replace("\t0", "\t5") for line in LINES[start + 1 : end]]
    report = parse(LINES[:end] + copy + LINES[end:])
    found = findings(report, "T0-3")
    assert len(found) == 1 and found[0].message.startswith("表二出现两次")
    assert report.number(table, "rules", "issued") == 0


def test_one_repeated_row_is_no_second_copy() -> None:
    start, end = t3_range()
    label = FMT.table("t3").row("a").label
    i = next(k for k in range(start, end) if LINES[k].strip() == label)
    again = [LINES[i], *("\t9" for _ in range(7)), ""]
    report = parse(LINES[: i + 9] + again + LINES[i + 9 :])
    assert report.tables["t3"].repeated is None
    assert "duplicate-row" in [w.code for w in report.warnings]
    assert findings(report, "T0-3", "T0-3b") == []


def test_second_copy_survives_json() -> None:
    report = parse(repeat_table3(change=True))
    back = Report.from_json(report.to_json())
    assert back.tables["t3"].repeated == report.tables["t3"].repeated
    assert '"repeated"' not in gongkai.parse(SEED).to_json()


# -- any report, any second copy ---------------------------------------------------------------


def _table_lines(text: str, number: int, spec: formats.Format) -> tuple[list[str], int, int]:
    """The rendered text's lines and the range of table ``number``'s section (after its
    heading, up to the next heading): where the renderer writes the table."""
    lines = text.split("\n")

    def at(n: int) -> int:
        head = f"{'一二三四五六'[n - 1]}、{spec.sections[n - 1].heading}"
        return lines.index(head)

    return lines, at(number) + 1, at(number + 1)


def _differences(a: Report, b: Report, key: str) -> set[tuple[str, str]]:
    out = set()
    for row in a.tables[key].rows:
        other = b.tables[key].row(row.key)
        assert other is not None
        for cell in row.cells:
            c = other.cell(cell.column)
            assert c is not None
            if (cell.kind, cell.value, cell.raw) != (c.kind, c.value, c.raw):
                out.add((row.key, cell.column))
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(sorted(formats.FORMATS)).flatmap(lambda k: st.tuples(reports(k), reports(k))),
    st.sampled_from([2, 3, 4]),
)
def test_any_second_copy_is_kept_and_compared(pair: tuple[Report, Report], number: int) -> None:
    """A report whose table is followed by the same table of another report: the first copy
    is the table, the second is kept, and T0-3 names exactly the cells that differ."""
    first, other = pair
    key = f"t{number}"
    second = first.model_copy(update={"tables": {**first.tables, key: other.tables[key]}})
    assume(any(c.kind is CellKind.NUMBER for r in other.tables[key].rows for c in r.cells))
    lines, _, end = _table_lines(render(first, "txt"), number, first.spec)
    copy_lines, c_start, c_end = _table_lines(render(second, "txt"), number, first.spec)
    doubled = lines[:end] + copy_lines[c_start:c_end] + lines[end:]
    report = gongkai.parse("\n".join(doubled), name="doubled.txt")
    assert_same_tables(first, report, "first copy")
    repeated = report.tables[key].repeated
    assert repeated is not None

    def only(table: Table) -> Report:
        return Report(agency=None, year=None, format=first.format, tables={key: table})

    assert_same_tables(only(second.tables[key]), only(repeated), "second copy")
    diffs = _differences(first, second, key)
    found = findings(report, "T0-3", "T0-3b")
    assert len(found) == 1
    if diffs:
        assert found[0].rule == "T0-3"
        assert {(c.row, c.column) for c in found[0].cells} == diffs
    else:
        assert found[0].rule == "T0-3b"


def test_a_table_pasted_thousands_of_times_stops_at_the_copy_limit() -> None:
    """Each copy nests in the one before it: past MAX_COPIES the rest is not read, with one
    warning where it starts (no recursion error on a hostile text)."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("三、收到和处理政府信息公开申请情况")
    end = text.index("四、政府信息公开行政复议")
    body = text[start:end].split("\n", 1)[1]
    report = gongkai.parse(text[:end] + body * 1500 + text[end:], name="many.txt")
    copies, table = 0, report.tables["t3"].repeated
    while table is not None:
        copies, table = copies + 1, table.repeated
    assert copies == MAX_COPIES - 1
    (warning,) = [w for w in report.warnings if w.code == "too-many-copies"]
    assert f"第{MAX_COPIES + 1}份" in warning.message and warning.location is not None
    assert warning.location.table == "t3" and warning.location.line is not None
    findings = gongkai.check(report)
    assert sum(f.rule == "T0-3b" for f in findings) == MAX_COPIES - 1
