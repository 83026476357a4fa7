"""``gongkai deadline`` and ``gongkai workdays add|show`` through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gongkai.cli import main

GOOD_2027 = """\
year = 2027

[[notices]]
number = "国办发明电〔2026〕99号"
title = "测试用：国务院办公厅关于2027年部分节假日安排的通知"
published = 2026-11-01

[[festivals]]
name = "元旦"
start = 2027-01-01
end = 2027-01-03
"""


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data" / "workdays"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def test_deadline_text() -> None:
    result = run("deadline", "2024-09-30")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "答复期限：2024年11月1日（星期五）"
    assert "计入工作日：20个" in result.stdout
    assert "《条例》第三十三条第二款：自收到申请之日起20个工作日内答复" in result.stdout
    assert "如需补正，告知期限：2024年10月15日（星期二）" in result.stdout
    assert result.stderr == ""


def test_deadline_with_every_option() -> None:
    result = run(
        "deadline", "2024年9月30日",
        "--supplement", "2024-10-10",
        "--extension", "20",
        "--pause", "2024-10-14", "2024-10-18",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("答复期限：2024年12月10日（星期二）")
    assert "计入工作日：40个（20个 + 延长20个）" in result.stdout
    assert "征求意见不计入：4个工作日" in result.stdout
    for article in ("第三十条", "第三十三条第二款", "第三十三条第三款"):
        assert f"《条例》{article}" in result.stdout


def test_deadline_json() -> None:
    result = run("deadline", "2024-09-30", "--pause", "2024-10-14", "2024-10-18", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["due"] == "2024-11-07"
    assert data["workdays_counted"] == 20
    assert data["paused_workdays"] == 4
    assert data["articles"] == ["《条例》第三十三条第二款", "《条例》第三十三条第三款"]
    assert data["supplement_notice_due"] == "2024-10-15"


def test_deadline_delay() -> None:
    result = run("deadline", "2024-09-30", "--delay", "2024-12-31")
    assert result.exit_code == 0
    assert result.stdout.startswith("答复期限：2024年12月31日")
    assert "《条例》第三十五条" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["2026-12-15"],
            "错误：2027年的节假日安排尚未收录：请在国务院办公厅公布后用 gongkai workdays add 添加",
        ),
        (["2024-09-30", "--extension", "21"], "错误：延长答复期限最长不得超过20个工作日"),
        (["2024-09-30", "--supplement", "2024-09-01"], "错误：收到补正的日期"),
        (["2024-09-30", "--delay", "2024-10-08"], "不构成延迟答复"),
        (["2024-09-30", "--pause", "2024-10-18", "2024-10-14"], "早于开始日"),
    ],
)
def test_deadline_data_errors_exit_1(args: list[str], message: str) -> None:
    result = run("deadline", *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["2024-13-01"],
        ["30/09/2024"],
        [],
        ["2024-09-30", "--extension", "十"],
        ["2024-09-30", "--pause", "2024-10-14"],
        ["2024-09-30", "--format", "xml"],
    ],
)
def test_deadline_usage_errors_exit_2(args: list[str]) -> None:
    result = run("deadline", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_bad_date_message_is_chinese() -> None:
    result = run("deadline", "30/09/2024")
    assert "日期应写作 YYYY-MM-DD（如 2024-09-30）" in result.stderr


def test_workdays_show() -> None:
    result = run("workdays", "show", "2024")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("2024年节假日安排（内置 2024.toml）")
    assert "国办发明电〔2023〕7号 《国务院办公厅关于2024年部分节假日安排的通知》" in out
    assert "国庆节：2024年10月1日（星期二）至2024年10月7日（星期一）放假，共7天" in out
    assert "调休上班：2024年9月29日（星期日）、2024年10月12日（星期六）" in out


def test_workdays_show_json() -> None:
    result = run("workdays", "show", "2025", "--format", "json")
    data = json.loads(result.stdout)
    assert data["year"] == 2025
    assert data["notices"][0]["number"] == "国办发明电〔2024〕12号"


def test_workdays_show_uncovered_year() -> None:
    result = run("workdays", "show", "2027")
    assert result.exit_code == 1
    assert "错误：2027年的节假日安排尚未收录" in result.stderr


def test_workdays_add_then_use(tmp_path: Path, _isolated_user_dir: Path) -> None:
    path = tmp_path / "2027安排.toml"
    path.write_text(GOOD_2027, encoding="utf-8")
    result = run("workdays", "add", str(path))
    assert result.exit_code == 0, result.output
    assert "已添加2027年节假日安排（依据国办发明电〔2026〕99号）" in result.stdout
    assert (_isolated_user_dir / "2027.toml").read_text(encoding="utf-8") == GOOD_2027
    shown = run("workdays", "show", "2027")
    assert shown.exit_code == 0
    assert "元旦：2027年1月1日（星期五）至2027年1月3日（星期日）放假，共3天" in shown.stdout
    assert "（文号或日期未核实）" in shown.stdout  # the user did not say verified = true
    # A deadline running into 2027 now works.
    assert run("deadline", "2026-12-15").exit_code == 0


def test_workdays_add_invalid_file(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_text(GOOD_2027 + "makeup_workdays = [2027-01-04]\n", encoding="utf-8")
    result = run("workdays", "add", str(path))
    assert result.exit_code == 1
    assert "错误：2027.toml 「第1个节日 元旦」：调休上班日 2027年1月4日 是星期一" in result.stderr
    assert "Traceback" not in result.output


def test_workdays_add_missing_file(tmp_path: Path) -> None:
    result = run("workdays", "add", str(tmp_path / "nope.toml"))
    assert result.exit_code == 1
    assert "文件不存在" in result.stderr
