"""Bad input found by trying the commands as a new user would: each ends in a Chinese message
naming the problem (and the place), exit code 1, never a traceback or an English exception."""

from __future__ import annotations

import datetime as dt
import random
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.batch.schema import SCHEMA_VERSION
from gongkai.cli import main
from gongkai.errors import GongkaiError
from gongkai.parse.text import utf16_without_bom
from gongkai.workdays import default_calendar
from tests.factories_cases import write_ledger

from .conftest import CORPUS

SEED = CORPUS / "004_8662c94b6d75781e.txt"
HTML = Path(__file__).parent / "corpus" / "html" / "004_word_gb2312_nav.html"
# What Python puts in an exception's text: none of it may reach the user.
ENGLISH = re.compile(r"Traceback|Error\b|Errno|No such|out of range|codec|程序内部错误")


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "data"))


def run(*args: str) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def fails_in_chinese(result: Result, *expected: str, code: int = 1) -> None:
    assert result.exit_code == code, result.output
    assert not ENGLISH.search(result.output), result.output
    assert "错误：" in result.stderr or "错误 " in result.stderr
    for text in expected:
        assert text in result.stderr, result.stderr


# --- dates at the end of the calendar ------------------------------------------------------


def test_deadline_on_the_last_day_python_knows() -> None:
    fails_in_chinese(run("deadline", "9999-12-31"), "9999年超出工作日历的年份范围（2000–2100年）")
    fails_in_chinese(run("deadline", "2024-03-01", "--supplement", "9999-12-31"), "9999年")
    fails_in_chinese(run("deadline", "0001-01-01"), "1年超出工作日历的年份范围")


_FORMS = ("{d.year:04d}-{d.month:02d}-{d.day:02d}", "{d.year:04d}/{d.month}/{d.day}",
          "{d.year:04d}年{d.month}月{d.day}日")  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.dates(), st.sampled_from(_FORMS))
def test_deadline_of_any_date_answers_or_explains(day: dt.date, form: str) -> None:
    result = run("deadline", form.format(d=day))
    assert result.exit_code in (0, 1), result.output
    assert not ENGLISH.search(result.output), result.output
    if result.exit_code:
        assert "年" in result.stderr and "错误：" in result.stderr


def test_workdays_show_a_year_no_file_can_cover() -> None:
    fails_in_chinese(run("workdays", "show", "99999"), "99999年超出工作日历的年份范围")


@settings(max_examples=200, deadline=None)
@given(st.dates(), st.integers(min_value=0, max_value=400))
def test_calendar_arithmetic_raises_only_its_own_errors(day: dt.date, n: int) -> None:
    cal = default_calendar()
    try:
        cal.add_workdays(day, n)
        cal.workdays_between(day, dt.date.max)
    except GongkaiError as e:
        assert "年" in e.message


def test_ledger_date_9999(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    row = {"编号": "a", "收到申请日期": dt.date(9999, 12, 31), "提交方式": "网络"}
    write_ledger(path, [{**row, "申请人类型": "自然人"}])
    place = "「依申请公开台账」第2行（编号 a）「收到申请日期」"
    fails_in_chinese(run("ledger", "check", path, "-q"), place, "9999年12月31日 不合理")
    out = tmp_path / "年报.json"
    fails_in_chinese(run("ledger", "report", path, "-y", "2024", "-o", out), place)
    assert not out.exists()


def test_ledger_report_year_99999(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_ledger(path)
    result = run("ledger", "report", path, "--year", "99999", "-o", tmp_path / "r.json")
    fails_in_chinese(result, "报告年度 99999 不合理")


# --- output into a folder that does not exist ---------------------------------------------


def test_ledger_template_into_a_missing_folder(tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "dir" / "台账.xlsx"
    result = run("ledger", "template", target)
    fails_in_chinese(result, f"无法写入 {target}：所在的文件夹不存在")
    assert not target.parent.exists()


def test_ledger_report_into_a_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_ledger(path)
    for suffix in (".json", ".docx"):
        target = tmp_path / "nonexistent" / f"年报{suffix}"
        result = run("ledger", "report", path, "-y", "2024", "-o", target)
        fails_in_chinese(result, f"无法写入 {target}：所在的文件夹不存在")


# --- gongkai workdays add on what is not a year file --------------------------------------


def test_workdays_add_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_bytes(random.Random(1).randbytes(3000) + b"\x00")
    fails_in_chinese(run("workdays", "add", path), "2027.toml", "不是文本文件（含有二进制内容）")


def test_workdays_add_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_bytes("year = 2027\n# 国务院办公厅\n".encode("gb18030"))
    fails_in_chinese(run("workdays", "add", path), "不是 UTF-8 编码的文本文件", "第15字节")


def test_workdays_add_bad_toml_names_the_place(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_text("year = 2027\n[[notices]\n", encoding="utf-8")
    fails_in_chinese(run("workdays", "add", path), "不是有效的 TOML 文件：第2行第10列")


def test_workdays_add_huge_file(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_text("year = 2027\n" + "# 注释\n" * 60_000, encoding="utf-8")
    fails_in_chinese(run("workdays", "add", path), "文件过大，超过节假日安排文件的上限256 KB")


def test_workdays_add_accepts_a_utf8_bom(tmp_path: Path) -> None:
    path = tmp_path / "2027.toml"
    path.write_bytes(b"\xef\xbb\xbfyear = 2027\n")
    result = run("workdays", "add", path)
    fails_in_chinese(result, "至少要引用一份国务院办公厅通知")  # read: only the notices lack
    assert "TOML 文件：" not in result.stderr


# --- gongkai stats on damaged databases ---------------------------------------------------


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ds") / "ds.sqlite"
    result = CliRunner().invoke(main, ["batch", str(SEED), "-o", str(path), "-q", "-j", "1"])
    assert result.exit_code == 0, result.output
    return path


def test_stats_random_bytes(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite"
    path.write_bytes(random.Random(2).randbytes(5000))
    fails_in_chinese(
        run("stats", path), "x.sqlite 不是 gongkai 的 SQLite 数据集（不是 SQLite 文件）"
    )


@pytest.mark.parametrize("keep", [0.1, 0.3, 0.6, 0.95])
def test_stats_truncated_dataset(dataset: Path, tmp_path: Path, keep: float) -> None:
    data = dataset.read_bytes()
    path = tmp_path / "cut.sqlite"
    path.write_bytes(data[: int(len(data) * keep)])
    result = run("stats", path)
    fails_in_chinese(result)
    assert "已损坏或不完整" in result.stderr or "不是 gongkai 的 SQLite 数据集" in result.stderr
    assert "cut.sqlite" in result.stderr


def test_stats_other_schema(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (a)")
    fails_in_chinese(
        run("stats", path),
        "不是 gongkai 的 SQLite 数据集（缺少 meta、reports、cells、findings 表）",
    )
    with sqlite3.connect(path) as db:
        for table in ("meta (key, value)", "reports (a)", "cells (b)", "findings (c)"):
            db.execute(f"CREATE TABLE {table}")
        db.execute(f"INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}')")
    fails_in_chinese(run("stats", path), "不是 gongkai 的 SQLite 数据集（表的列不符）")


def test_stats_dataset_missing_a_table(dataset: Path, tmp_path: Path) -> None:
    path = tmp_path / "part.sqlite"
    path.write_bytes(dataset.read_bytes())
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE cells")
    fails_in_chinese(run("stats", path), "缺少 cells 表")


def test_stats_damaged_page(dataset: Path, tmp_path: Path) -> None:
    data = bytearray(dataset.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for i in range(2 * page, len(data)):  # every page after the schema page
        data[i] = 0xA5
    path = tmp_path / "bad.sqlite"
    path.write_bytes(bytes(data))
    fails_in_chinese(run("stats", path), "bad.sqlite 已损坏或不完整")


def test_stats_xlsx_into_a_missing_folder(dataset: Path, tmp_path: Path) -> None:
    target = tmp_path / "nonexistent" / "汇总.xlsx"
    result = run("stats", dataset, "-f", "xlsx", "-o", target)
    fails_in_chinese(result, f"无法写入 {target}：所在的文件夹不存在")


# --- readers: say what is really wrong ----------------------------------------------------


@pytest.mark.parametrize("depth", [256, 300, 5000])
def test_html_nested_too_deep(tmp_path: Path, depth: int) -> None:
    path = tmp_path / "deep.html"
    title = "某某局2024年政府信息公开工作年度报告"
    path.write_text(f"<html><body>{'<div>' * depth}{title}{'</div>' * depth}</body></html>")
    result = run("parse", path)
    fails_in_chinese(result, "deep.html", "网页的标签嵌套过深（超过256层")
    assert "文件是空的" not in result.stderr


def test_html_nested_just_below_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "nested.html"
    path.write_text(f"<html><body>{'<div>' * 200}正文{'</div>' * 200}</body></html>")
    result = run("parse", path)
    assert "嵌套过深" not in result.stderr and "文件是空的" not in result.stderr


def test_limits_doc_states_the_html_depth() -> None:
    from gongkai.parse.html import MAX_DEPTH

    text = (Path(__file__).resolve().parents[1] / "docs" / "limits.md").read_text("utf-8")
    assert f"{MAX_DEPTH} elements (`MAX_DEPTH`" in text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path: Path, codec: str) -> None:
    expected = run("parse", SEED, "-f", "json")
    assert expected.exit_code == 0
    path = tmp_path / "report.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode(codec))
    result = run("parse", path, "-f", "json")
    assert result.exit_code == 0, result.output
    assert result.stdout.replace("report.txt", SEED.name) == expected.stdout


def test_utf16_html_without_bom_is_read_as_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(HTML.read_bytes().decode("gb18030").encode("utf-16-be"))
    result = run("parse", path, "-f", "json")
    assert result.exit_code == 0, result.output
    assert '"agency": "临安区人民政府"' in result.stdout


_REPORT_TEXT = st.text(
    alphabet=st.sampled_from("一二三四予以公开申请年度报告本年新收（）：，。、“”0123456789 \t\n"),
    max_size=300,
)


@settings(max_examples=200, deadline=None)
@given(_REPORT_TEXT, st.sampled_from(["utf-16-le", "utf-16-be"]))
def test_utf16_without_bom_round_trips(body: str, codec: str) -> None:
    text = f"某某局2024年度报告\n{body}\n"  # a report has lines, and digits
    assert utf16_without_bom(text.encode(codec)) == text


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=64, max_size=600))
def test_binary_is_not_taken_for_utf16(data: bytes) -> None:
    assert utf16_without_bom(data) is None


def test_random_binary_is_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_bytes(random.Random(3).randbytes(4000))
    fails_in_chinese(run("parse", path), "不是文本文件（含有二进制内容）")
