"""``gongkai.batch.rollup`` and ``gongkai stats``: tables 三 and 四 and findings per group."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import gongkai
from gongkai.batch import RegionMap, ingest, rollup, write_rollup_xlsx
from gongkai.batch.agencies import load_region_map
from gongkai.batch.dataset import DatasetError
from gongkai.batch.stats import ALL, merged_order
from gongkai.cli import main

from .test_batch_helpers import SEEDS


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stats")
    (folder / "broken.txt").write_bytes(b"")
    out = folder / "seeds.sqlite"
    ingest([*SEEDS, folder / "broken.txt"], out, copy=None)
    return out


def expected_total(table: str, row: str, column: str, year: int | None = None) -> int:
    total = 0
    for p in SEEDS:
        r = gongkai.parse(p)
        if year is None or r.year == year:
            total += int(r.number(table, row, column))
    return total


def test_by_year_sums_every_cell_blanks_as_zero(dataset: Path) -> None:
    result = rollup(dataset, by="year")
    groups = {g.group: g for g in result.groups}
    assert list(groups) == ["2020年度", "2021年度", "2023年度", "未知年度", ALL]
    g2020 = groups["2020年度"]
    assert g2020.reports == g2020.parsed == 3
    for row, col in [("r1", "total"), ("r1", "natural"), ("t", "commercial"), ("d1", "total")]:
        assert g2020.total("t3", row, col) == expected_total("t3", row, col, 2020)
        assert groups[ALL].total("t3", row, col) == expected_total("t3", row, col)
    assert groups[ALL].total("t4", "cases", "review_total") == expected_total(
        "t4", "cases", "review_total"
    )
    assert groups["未知年度"].unreadable == 1 and groups[ALL].reports == 6


def test_by_format_rows_follow_the_format(dataset: Path) -> None:
    result = rollup(dataset, by="format")
    g = {x.group: x for x in result.groups}
    keys_2019 = [k for k, _ in result.rows_for(g["2019 试行格式"], "t3")]
    keys_2021 = [k for k, _ in result.rows_for(g["2021 格式"], "t3")]
    assert "f" in keys_2019 and "f1" not in keys_2019
    assert "f1" in keys_2021 and "f" not in keys_2021
    assert [k for k, _ in result.rows["t3"]][-6:] == ["f", "f1", "f2", "f3", "t", "r4"]


def test_finding_counts_and_share_with_errors(dataset: Path) -> None:
    result = rollup(dataset, by="year")
    everything = next(g for g in result.groups if g.group == ALL)
    expected: dict[tuple[str, str], int] = {}
    with_errors = 0
    for p in SEEDS:
        found = gongkai.check(gongkai.parse(p))
        for f in found:
            expected[(f.rule, f.severity)] = expected.get((f.rule, f.severity), 0) + 1
        with_errors += any(f.severity == "error" for f in found)
    assert everything.findings == expected
    assert everything.with_errors == with_errors
    assert everything.share_with_errors == with_errors / 5


def test_by_region(dataset: Path, tmp_path: Path) -> None:
    f = tmp_path / "regions.csv"
    f.write_text("机关,地区\n临安区,杭州市\n临平区,杭州市\n偃师市,洛阳市\n", encoding="utf-8")
    result = rollup(dataset, by="region", regions=load_region_map(f))
    groups = {g.group: g for g in result.groups}
    assert groups["杭州市"].parsed == 3 and groups["洛阳市"].parsed == 1
    assert groups["未知地区"].parsed == 1  # 区科技局 names no place
    assert rollup(dataset, by="region", regions=RegionMap()).groups[0].group == "未知地区"


def test_json_and_xlsx(dataset: Path, tmp_path: Path) -> None:
    result = rollup(dataset, by="format")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["by"] == "format" and data["groups"][-1]["group"] == ALL
    assert data["groups"][-1]["totals"]["t3"]["r1"]["total"] == expected_total("t3", "r1", "total")
    out = tmp_path / "stats.xlsx"
    write_rollup_xlsx(result, out)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["概览", "表三", "表四", "核查结果", "办理结果占比"]
    assert [c.value for c in book["概览"][1]][:3] == ["格式", "报告数", "已解析"]


def test_not_a_dataset(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="找不到数据集"):
        rollup(tmp_path / "missing.sqlite")
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(DatasetError, match="不是 gongkai 的 SQLite 数据集"):
        rollup(bad)


def test_merged_order() -> None:
    a = [("r1", ""), ("f", ""), ("t", "")]
    b = [("r1", ""), ("f1", ""), ("f2", ""), ("t", "")]
    assert [k for k, _ in merged_order([a, b])] == ["r1", "f", "f1", "f2", "t"]


def test_cli_stats(dataset: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["stats", str(dataset), "--by", "year"])
    assert result.exit_code == 0, result.output
    assert "2020年度" in result.output and "表三合计" in result.output
    result = runner.invoke(main, ["stats", str(dataset), "--format", "json"])
    assert json.loads(result.output)["by"] == "year"
    result = runner.invoke(main, ["stats", str(dataset), "--format", "xlsx"])
    assert result.exit_code == 2 and "-o" in result.output
    out = tmp_path / "s.xlsx"
    result = runner.invoke(main, ["stats", str(dataset), "-f", "xlsx", "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    result = runner.invoke(main, ["stats", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 1 and "找不到数据集" in result.output
