"""``gongkai parse`` and ``gongkai check``: output schema, exit codes, Chinese errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gongkai.cli import main

from .conftest import CORPUS
from .factories import make_report

SEED_004 = CORPUS / "004_8662c94b6d75781e.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_parse_json_schema() -> None:
    code, out, _ = run("parse", str(SEED_004), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert {"agency", "year", "format", "tables", "warnings"} <= data.keys()
    assert (data["agency"], data["year"], data["format"]) == ("临安区人民政府", 2020, "2019")
    rows = data["tables"]["t3"]["rows"]
    assert [r["key"] for r in rows][:4] == ["r1", "r2", "a", "b"]
    assert len(rows) == 23 and rows[-1]["key"] == "r4"
    first = rows[0]["cells"][0]
    assert {"column", "raw", "value", "kind", "location"} <= first.keys()
    assert (first["column"], first["value"], first["kind"]) == ("natural", 30, "number")
    assert first["location"]["line"] == 131
    assert [c["column"] for c in data["tables"]["t4"]["rows"][0]["cells"]][:5] == [
        "review_upheld",
        "review_corrected",
        "review_other",
        "review_pending",
        "review_total",
    ]


def test_parse_table_view_shows_every_table() -> None:
    code, out, _ = run("parse", str(SEED_004))
    assert code == 0
    for title in ("表二", "表三", "表四", "临安区人民政府"):
        assert title in out


def test_check_warnings_only_exit_0_with_located_findings() -> None:
    code, out, _ = run("check", str(SEED_004))
    assert code == 0
    assert "[X-4]" in out and "第18行" in out and "结果纠正" in out


def test_check_exit_1_on_error_findings(tmp_path: Path) -> None:
    report = make_report("2021", t3={"r1": {"natural": 3, "total": 2}})
    p = tmp_path / "bad.json"
    p.write_text(report.to_json(), encoding="utf-8")
    code, out, _ = run("check", str(p))
    assert code == 1
    assert "错误" in out and "T3-2" in out


def test_check_keeps_going_past_an_unreadable_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text("这不是年报。", encoding="utf-8")
    code, out, _ = run("check", str(broken), str(SEED_004), "--format", "json")
    assert code == 1
    results = json.loads(out)
    assert (
        results[0]["file"].endswith("broken.txt")
        and "不是政府信息公开工作年度报告" in results[0]["error"]
    )
    assert results[1]["agency"] == "临安区人民政府"
    assert any(f["rule"] == "X-4" for f in results[1]["findings"])


def test_check_folder_skips_golden_files() -> None:
    code, out, _ = run("check", str(CORPUS), "--format", "json")
    files = [r["file"] for r in json.loads(out)]
    assert not any(f.endswith(".expected.json") for f in files)
    assert sum(f.endswith(".txt") for f in files) >= 5
    assert code == 0


def test_usage_errors_are_chinese_exit_2() -> None:
    code, _, err = run("check", "--format", "xml", str(SEED_004))
    assert code == 2 and "用法错误" in err and "不是可选的值" in err
    code, _, err = run("check")
    assert code == 2 and "缺少参数" in err
    code, _, err = run("nope")
    assert code == 2 and "没有子命令" in err


def test_missing_file_is_a_chinese_error_not_a_traceback() -> None:
    code, out, err = run("parse", "no-such-report.txt")
    assert code == 1
    assert "错误：" in err and "不存在" in err and "Traceback" not in err + out


def test_a_parser_bug_is_a_message_and_the_other_files_go_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gongkai.cli import report_cmds

    real = report_cmds.run_parse

    def buggy(path: Path, strict: bool = False) -> object:
        if path.name.startswith("000"):
            raise RuntimeError("boom")
        return real(path, strict=strict)

    monkeypatch.setattr(report_cmds, "run_parse", buggy)
    code, out, err = run("check", str(CORPUS / "000_d46c6233cefb6b7a.txt"), str(SEED_004))
    assert code == 1
    assert "程序内部错误" in err and "RuntimeError" in err and "Traceback" not in err
    assert "临安区人民政府" in out  # the next file was still checked
