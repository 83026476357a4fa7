"""``gongkai render INPUT -o OUTPUT``: every seed to every kind, read back exactly by
``gongkai parse --format json``; Chinese errors, exit 1 for bad input, 2 for usage."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import gongkai
from gongkai.cli import main
from gongkai.report import Report

from .conftest import CORPUS
from .test_roundtrip import assert_same_tables

SEEDS = sorted(CORPUS.glob("*.txt"))


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_render_every_kind_and_parse_back(path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    want = gongkai.parse(path)
    for suffix in (".docx", ".html", ".md", ".txt"):
        out = tmp_path / f"report{suffix}"
        result = runner.invoke(main, ["render", str(path), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "已生成" in result.stdout and out.stat().st_size > 0
        parsed = runner.invoke(main, ["parse", str(out), "--format", "json"])
        assert parsed.exit_code == 0, parsed.output
        assert_same_tables(want, Report.from_json(parsed.stdout), f"{path.name} → {suffix}")


def test_render_from_report_json_and_to_stdout(tmp_path: Path) -> None:
    runner = CliRunner()
    report = gongkai.parse(SEEDS[0])
    src = tmp_path / "r.json"
    src.write_text(report.to_json(), encoding="utf-8")
    result = runner.invoke(main, ["render", str(src), "--to", "md", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout.startswith("# 杭州市临安区科学技术局2020年政府信息公开工作年度报告")


def test_surplus_cells_are_reported_as_not_written(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(SEEDS[0]), "-o", str(tmp_path / "a.html")])
    assert result.exit_code == 0
    assert "「行政事业性收费」多出的单元格不属于官方格式，未写入输出" in result.stderr


def test_unknown_suffix_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["render", str(SEEDS[0]), "-o", str(tmp_path / "a.pdf")])
    assert result.exit_code == 2
    assert "无法从输出文件名" in result.output and "Traceback" not in result.output


def test_bad_input_exits_1_in_chinese(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(
        main, ["render", str(tmp_path / "无.txt"), "-o", str(tmp_path / "a.docx")]
    )
    assert missing.exit_code == 1 and "错误：" in missing.stderr and "文件不存在" in missing.stderr
    junk = tmp_path / "junk.docx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    bad = runner.invoke(main, ["render", str(junk), "-o", str(tmp_path / "a.html")])
    assert bad.exit_code == 1 and "错误：" in bad.stderr
    assert bad.exception is None or isinstance(bad.exception, SystemExit)


def test_unwritable_output_exits_1(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "a.docx"
    result = CliRunner().invoke(main, ["render", str(SEEDS[1]), "-o", str(target)])
    assert result.exit_code == 1 and "无法写入" in result.stderr and "目录不存在" in result.stderr


def test_output_must_not_overwrite_input(tmp_path: Path) -> None:
    copy = tmp_path / "r.txt"
    copy.write_bytes(SEEDS[1].read_bytes())
    result = CliRunner().invoke(main, ["render", str(copy), "-o", str(copy)])
    assert result.exit_code == 2 and copy.read_bytes() == SEEDS[1].read_bytes()
