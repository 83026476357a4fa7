"""Cross-year checks between one agency's consecutive reports: T3-6, T2-2, T2-3, T2-5."""

from __future__ import annotations

import json
from pathlib import Path

import gongkai
from gongkai.batch import AgencyMap, YearReport, cross_year, facts_of, ingest, read_table
from gongkai.batch.crossyear import RULES
from gongkai.report import Report

from .factories import make_report
from .test_batch_helpers import seed, variant


def yr(rid: int, report: Report, key: str = "某某局") -> YearReport:
    assert report.year is not None
    return YearReport(rid, f"{report.year}.txt", key, report.year, report.format, facts_of(report))


def test_t3_6_carried_forward_equals_carried_over_per_column() -> None:
    prev = make_report("2021", year=2022, t3={"r4": {"natural": 2}})
    cur = make_report("2021", year=2023, t3={"r2": {"natural": 1}})
    found = cross_year([yr(1, prev), yr(2, cur)])
    t36 = [b for b in found if b.finding.rule == "T3-6"]
    assert {b.finding.cells[0].column for b in t36} == {"natural", "total"}
    b = next(b for b in t36 if b.finding.cells[0].column == "natural")
    assert (b.report_id, b.related_id) == (2, 1)
    assert b.finding.severity == "warning"
    assert b.finding.message == (
        "表三「自然人」列：本年「二、上年结转政府信息公开申请数量」(1)，"
        "但上年「四、结转下年度继续办理」(2)，相差1（上年为2022年度报告（2022.txt））"
    )
    assert [c.row for c in b.finding.cells] == ["r2", "r4"]
    assert b.finding.cells[1].location and b.finding.cells[1].location.file == "2022.txt"


def test_t3_6_blank_counts_as_zero_and_text_is_skipped() -> None:
    prev = make_report("2021", year=2022, t3={"r4": {"natural": None, "other": "见说明"}})
    cur = make_report("2021", year=2023)
    assert cross_year([yr(1, prev), yr(2, cur)]) == []


def test_t2_2_in_force_rolls_forward() -> None:
    prev = make_report("2021", year=2022, t2={"normative": {"in_force": 10}})
    cur = make_report(
        "2021", year=2023, t2={"normative": {"issued": 3, "repealed": 1, "in_force": 11}}
    )
    found = [b for b in cross_year([yr(1, prev), yr(2, cur)]) if b.finding.rule == "T2-2"]
    assert len(found) == 1
    f = found[0].finding
    assert f.severity == "warning"
    assert f.message == (
        "表二「行政规范性文件」：本年「现行有效件数」(11)，但上年「现行有效件数」(10)"
        "+本年「本年制发件数」(3)−本年「本年废止件数」(1)=12，相差1（上年为2022年度报告（2022.txt））"
    )


def test_t2_3_item_counts_roll_forward_in_the_2019_format() -> None:
    prev = make_report("2019", year=2019, t2={"licensing": {"prev_items": 5, "change": "+2"}})
    cur = make_report("2019", year=2020, t2={"licensing": {"prev_items": 6}})
    found = [b for b in cross_year([yr(1, prev), yr(2, cur)]) if b.finding.rule == "T2-3"]
    assert len(found) == 1
    f = found[0].finding
    assert (
        "「行政许可」" in f.message
        and "上年「上一年项目数量」(5)+上年「本年增/减」(2)=7" in f.message
    )
    assert "本年「上一年项目数量」(6)" in f.message and found[0].report_id == 2


def test_t2_5_across_formats_is_information_only() -> None:
    prev = make_report("2019", year=2020, t2={"normative": {"total_published": 20}})
    cur = make_report(
        "2021", year=2021, t2={"normative": {"in_force": 25, "issued": 8, "repealed": 1}}
    )
    found = cross_year([yr(1, prev), yr(2, cur)])
    t25 = [b for b in found if b.finding.rule == "T2-5"]
    assert len(t25) == 1 and t25[0].finding.severity == "info"
    assert "上年「对外公开总数量」(20)" in t25[0].finding.message
    assert "=18，相差2" in t25[0].finding.message
    assert not [b for b in found if b.finding.rule in ("T2-2", "T2-3")]


def test_only_the_same_agency_and_consecutive_years() -> None:
    a = make_report("2021", year=2021, t3={"r4": {"natural": 2}})
    b = make_report("2021", year=2023)
    other = make_report("2021", year=2022)
    assert cross_year([yr(1, a), yr(2, b)]) == []  # 2021 → 2023: not consecutive
    assert cross_year([yr(1, a), yr(2, other, key="另一局")]) == []


def test_the_first_report_of_a_year_stands_for_it() -> None:
    prev = make_report("2021", year=2022, t3={"r4": {"natural": 2}})
    dup = make_report("2021", year=2022)
    cur = make_report("2021", year=2023)
    found = cross_year([yr(3, cur), yr(2, dup), yr(1, prev)])
    assert {b.related_id for b in found} == {1}


def test_every_rule_is_registered_with_group_and_source() -> None:
    assert set(RULES) == {"T3-6", "T2-2", "T2-3", "T2-5"}
    for rule in RULES.values():
        assert rule.source and rule.template and rule.group == "跨年度核查 (batch)"


def test_cross_year_findings_land_in_the_dataset(tmp_path: Path) -> None:
    src = seed("003")  # 2023, 2021 format, every table-二 and r2/r4 cell 0
    cells = {(c.column, r.key): c for r in gongkai.parse(src).tables["t3"].rows for c in r.cells}
    t2 = gongkai.parse(src).tables["t2"].row("normative")
    assert t2 and cells[("natural", "r4")].location and cells[("total", "r4")].location
    in_force = t2.cell("in_force")
    assert in_force and in_force.location and in_force.location.line
    last_year = variant(
        src,
        tmp_path / "2022.txt",
        year=(2023, 2022),
        lines={
            in_force.location.line: "\t5",
            cells[("natural", "r4")].location.line or 0: "\t1",
            cells[("total", "r4")].location.line or 0: "\t1",
        },
    )
    out = tmp_path / "out.sqlite"
    summary = ingest([src, last_year], out)
    assert summary.batch_findings.get("T3-6") == 2 and summary.batch_findings.get("T2-2") == 1
    findings = [f for f in read_table(out, "findings") if f["rule"] in RULES]
    assert {(f["report_id"], f["related_report_id"]) for f in findings} == {(1, 2)}
    t22 = next(f for f in findings if f["rule"] == "T2-2")
    assert "2022年度报告" in t22["message"] and "2022.txt" in t22["message"]
    assert json.loads(t22["cells"])[0]["row"] == "normative"
    # A rerun into the same dataset replaces the batch findings instead of adding to them.
    again = ingest([src, last_year], out, resume=True)
    assert again.skipped == 2
    assert len([f for f in read_table(out, "findings") if f["rule"] in RULES]) == len(findings)


def test_renamed_agency_linked_by_the_mapping(tmp_path: Path) -> None:
    src = seed("003")
    agency = gongkai.parse(src).agency
    assert agency
    renamed = variant(
        src, tmp_path / "old.txt", agency=(agency, "杭州市余杭区经济和信息化局"), year=(2023, 2022)
    )
    mapping = AgencyMap.from_pairs([(agency, "杭州市余杭区经济和信息化局")])
    out = tmp_path / "out.sqlite"
    ingest([src, renamed], out, agencies=mapping, copy=None)
    keys = {r["agency_key"] for r in read_table(out, "reports")}
    assert keys == {"杭州市临平区经济信息化和科技局"}


def test_batch_rules_are_documented_in_their_section_of_rules_md() -> None:
    from gongkai.batch.similarity import RULE as DUP_RULE

    doc = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
    _, found, section = doc.read_text(encoding="utf-8").partition("## 跨年度核查 (batch)")
    assert found, "docs/rules.md has no section 跨年度核查 (batch)"
    rows = {}
    for line in section.split("\n## ")[0].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 4 and cells[0][:1].isupper():
            rows[cells[0]] = (cells[1], cells[2], cells[3])
    expected = {r.id: (r.severity, r.description, r.source) for r in (*RULES.values(), DUP_RULE)}
    assert rows == expected
