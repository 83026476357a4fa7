"""The Excel ledger given what officers really hand in: a sheet deleted, empty or zero date
cells (Excel's 1900-01-00), dates typed with a wrong year, and ledgers of 100 000 rows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from rich.cells import cell_len

import gongkai
from gongkai.cli import main
from gongkai.register.ledger import (
    APPLICATION_COLUMNS,
    APPLICATIONS_SHEET,
    REVIEW_COLUMNS,
    REVIEWS_SHEET,
    read_ledger,
)
from gongkai.register.ledger_read import EARLIEST_DATE, LATEST_DATE, _application, _review, _Row
from tests.factories_cases import write_ledger

D = dt.date
BASE = {"提交方式": "网络", "申请人类型": "自然人"}
ANSWERED = {"办结日期": D(2024, 3, 8), "办理结果": "予以公开"}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output and "程序内部错误" not in result.output


# --- a missing 复议诉讼台账: table 四 is never claimed to be 0 -------------------------------


@pytest.fixture
def without_reviews(tmp_path: Path) -> Path:
    path = tmp_path / "台账.xlsx"
    write_ledger(path, [{"编号": "a1", "收到申请日期": D(2024, 3, 1), **BASE, **ANSWERED}])
    book = load_workbook(path)
    del book[REVIEWS_SHEET]
    book.save(path)
    return path


def test_missing_review_sheet_is_a_located_error(without_reviews: Path) -> None:
    ledger = read_ledger(str(without_reviews))
    assert ledger.t4_unreadable and len(ledger.cases) == 1
    [issue] = ledger.errors
    assert (issue.sheet, issue.row, issue.severity) == (REVIEWS_SHEET, None, "error")
    assert "无法计算表四" in str(issue) and str(issue).startswith("错误 「复议诉讼台账」")
    result = run("ledger", "check", str(without_reviews), "-q")
    assert result.exit_code == 1 and "「复议诉讼台账」：台账中没有这个工作表" in result.stderr
    no_traceback(result)


def test_report_refuses_without_review_sheet_unless_forced(
    without_reviews: Path, tmp_path: Path
) -> None:
    out = tmp_path / "年报.json"
    result = run("ledger", "report", str(without_reviews), "-y", "2024", "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert "加 --force 生成不含表四的年报" in result.stderr
    assert "排除这些行" not in result.stderr  # no row is bad: the advice names the sheet


def test_forced_report_leaves_table_four_out_and_says_so(
    without_reviews: Path, tmp_path: Path
) -> None:
    out = tmp_path / "年报.json"
    args = ("ledger", "report", str(without_reviews), "-y", "2024", "--force")
    result = run(*args, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "表四未能计算" in result.stdout and "行政复议 0 件" not in result.stdout
    assert "本年新收 1 件" in result.stdout  # table 三 does not depend on the review sheet
    data = json.loads(out.read_text(encoding="utf-8"))
    assert "t4" not in data["tables"] and "t3" in data["tables"]
    [warning] = [w for w in data["warnings"] if w["code"] == "LEDGER-NO-T4"]
    assert warning["location"]["label"] == REVIEWS_SHEET
    report = gongkai.Report.from_json(out.read_bytes())
    assert "表四（行政复议、行政诉讼情况）未能由台账计算" in report.preamble
    md = tmp_path / "年报.md"
    assert run(*args, "-o", str(md)).exit_code == 0
    assert "未能由台账计算，须由填报人填写" in md.read_text(encoding="utf-8")


def test_unreadable_review_header_is_treated_as_a_missing_sheet(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_ledger(path, [{"编号": "a1", "收到申请日期": D(2024, 3, 1), **BASE, **ANSWERED}])
    book = load_workbook(path)
    sheet = book[REVIEWS_SHEET]
    for cell in sheet[1]:
        cell.value = None
    sheet["A1"] = "序号"
    book.save(path)
    out = tmp_path / "年报.json"
    result = run("ledger", "report", str(path), "-y", "2024", "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert "t4" not in json.loads(out.read_text(encoding="utf-8"))["tables"]


def test_missing_application_sheet_still_stops_even_forced(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_ledger(path)
    book = load_workbook(path)
    del book[APPLICATIONS_SHEET]
    book.save(path)
    out = tmp_path / "年报.json"
    result = run("ledger", "report", str(path), "-y", "2024", "-o", str(out), "--force")
    assert result.exit_code == 1 and not out.exists()
    assert f"「{APPLICATIONS_SHEET}」工作表或表头有误" in result.stderr


# --- implausible dates are row errors ------------------------------------------------------


def _ledger_with(tmp_path: Path, value: Any, *, number_format: str | None = None) -> Path:
    path = tmp_path / "台账.xlsx"
    rows = [
        {"编号": "ok", "收到申请日期": D(2024, 3, 1), **BASE, **ANSWERED},
        {"编号": "odd", "收到申请日期": value, **BASE},
    ]
    write_ledger(path, rows)
    if number_format:  # the officer's cell keeps the template's date format
        book = load_workbook(path)
        book[APPLICATIONS_SHEET]["B3"].number_format = number_format
        book.save(path)
    return path


@pytest.mark.parametrize(
    ("value", "number_format", "expected"),
    [
        (dt.datetime(1900, 1, 1), None, "Excel 显示为1900-01-00或1900-01-01"),
        (dt.datetime(1899, 12, 31), None, "Excel 显示为1900-01-00"),  # openpyxl: serial 0
        (0, "yyyy-mm-dd", "为0的日期单元格（Excel 显示为1900-01-00）"),
        (1, "yyyy-mm-dd", "Excel 显示为1900-01-00或1900-01-01"),  # serial 1 = 1900-01-01
        ("2007-12-31", None, "早于《政府信息公开条例》施行之日（2008年5月1日），请检查年份"),
        (D(2008, 4, 30), None, "早于《政府信息公开条例》施行之日"),
        (D(9999, 12, 31), None, "日期 9999年12月31日 不合理，晚于2100年12月31日"),
        ("9999-12-31", None, "日期 9999年12月31日 不合理"),
        ("2101年1月1日", None, "晚于2100年12月31日"),
    ],
)
def test_implausible_date_is_a_located_row_error(
    tmp_path: Path, value: Any, number_format: str | None, expected: str
) -> None:
    path = _ledger_with(tmp_path, value, number_format=number_format)
    ledger = read_ledger(str(path))
    [issue] = ledger.errors
    assert (issue.sheet, issue.row, issue.column) == (APPLICATIONS_SHEET, 3, "收到申请日期")
    assert expected in issue.message
    assert [c.application.id for c in ledger.cases] == ["ok"]  # never counted
    result = run("ledger", "check", str(path), "-q", "--on", "2024-12-31")
    assert result.exit_code == 1
    assert "「依申请公开台账」第3行（编号 odd）「收到申请日期」" in result.stderr
    no_traceback(result)


def test_the_first_day_of_the_regulation_is_accepted(tmp_path: Path) -> None:
    ledger = read_ledger(str(_ledger_with(tmp_path, EARLIEST_DATE)))
    assert ledger.errors == [] and [c.application.id for c in ledger.cases] == ["ok", "odd"]


def test_a_1900_case_is_not_carried_over(tmp_path: Path) -> None:
    """The reported bug: a zero date cell counted as 上年结转 in table 三."""
    path = _ledger_with(tmp_path, dt.datetime(1900, 1, 1))
    out = tmp_path / "年报.json"
    result = run("ledger", "report", str(path), "-y", "2024", "-o", str(out))
    assert result.exit_code == 1 and not out.exists()  # an error stops the report
    result = run("ledger", "report", str(path), "-y", "2024", "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    report = gongkai.Report.from_json(out.read_bytes())
    assert report.number("t3", "r2", "total") == 0
    assert report.number("t3", "r1", "total") == 1
    assert "第3行（编号 odd）" in report.preamble


def test_review_dates_are_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    reviews = [
        {"编号": "F1", "案件类型": "行政复议", "收案日期": dt.datetime(1900, 1, 1)},
        {"编号": "F2", "案件类型": "行政复议", "收案日期": D(2024, 2, 1), "审结日期": "9999-12-31"},
    ]
    write_ledger(path, [], reviews)
    ledger = read_ledger(str(path))
    got = {(i.sheet, i.row, i.column) for i in ledger.errors}
    assert got == {(REVIEWS_SHEET, 2, "收案日期"), (REVIEWS_SHEET, 3, "审结日期")}
    assert ledger.reviews == []


def test_report_year_out_of_range_is_a_chinese_error(tmp_path: Path) -> None:
    path = _ledger_with(tmp_path, D(2024, 3, 2))
    out = tmp_path / "年报.json"
    for year in ("99999", "0", "2007"):
        result = run("ledger", "report", str(path), "--year", year, "-o", str(out))
        assert result.exit_code == 1 and not out.exists(), year
        assert f"报告年度 {year} 不合理：应在2008–2100年之间" in result.stderr
        no_traceback(result)


# Any value a cell can hold, in any date column: reading never raises, and a date that is
# kept lies in the plausible window.
_CELL_VALUES = st.one_of(
    st.none(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=30),
    st.dates().map(lambda d: f"{d.year:04d}年{d.month}月{d.day}日"),
    st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}-{d.day:02d}"),
    st.from_regex(r"\A[0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}\Z"),
    st.from_regex(r"\A[0-9]{8}\Z"),
)
_APP_DATES = [c.key for c in APPLICATION_COLUMNS if c.kind == "date"]
_REVIEW_DATES = [c.key for c in REVIEW_COLUMNS if c.kind == "date"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(_APP_DATES), _CELL_VALUES))
def test_any_date_cells_never_raise(cells: dict[str, Any]) -> None:
    values = {"id": "x", "channel": "网络", "applicant": "自然人", **cells}
    row = _Row(APPLICATIONS_SHEET, 2, values, APPLICATION_COLUMNS)
    app = _application(row)
    if app is not None:
        assert all(EARLIEST_DATE <= e.on <= LATEST_DATE for e in app.events)
    for key in _APP_DATES:
        day = _Row(APPLICATIONS_SHEET, 2, values, APPLICATION_COLUMNS).date(key)
        assert day is None or EARLIEST_DATE <= day <= LATEST_DATE


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(_REVIEW_DATES), _CELL_VALUES))
def test_any_review_date_cells_never_raise(cells: dict[str, Any]) -> None:
    row = _Row(REVIEWS_SHEET, 2, {"id": "F", "kind": "行政复议", **cells}, REVIEW_COLUMNS)
    review = _review(row)
    if review is not None:
        assert EARLIEST_DATE <= review.filed <= LATEST_DATE
        assert review.decided is None or review.decided <= LATEST_DATE
    else:
        assert row.failed  # a review left out always says why


# --- the per-case listing of ``ledger check`` ----------------------------------------------


def test_listing_shows_every_case_and_marks_late_ones(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    rows = [
        {"编号": f"2024-{i:04d}", "收到申请日期": D(2024, 3, 1), **BASE, **ANSWERED}
        for i in range(2500)  # more than one chunk of lines
    ]
    rows.append({"编号": "open", "收到申请日期": D(2024, 3, 1), **BASE})  # due 2024-03-29
    write_ledger(path, rows)
    result = run("ledger", "check", str(path), "--on", "2024-12-31")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].split() == [
        "行", "编号", "申请人类型", "收到申请", "状态", "答复期限", "办结日期", "办理结果"
    ]  # fmt: skip
    listed = [line for line in lines if line[:1].isdigit()]
    assert len(listed) == 2501
    assert listed[0].split() == [
        "2", "2024-0000", "自然人", "2024-03-01", "已办结", "2024-03-29", "2024-03-08", "予以公开"
    ]  # fmt: skip
    assert listed[-1].split() == [
        "2502",
        "open",
        "自然人",
        "2024-03-01",
        "办理中",
        "2024-03-29",
        "逾期",
    ]
    # the columns line up on screen: each date starts in the terminal column of its header
    start = cell_len(lines[1][: lines[1].index("收到申请")])
    assert all(cell_len(line[: line.index("2024-03-01")]) == start for line in listed)
    quiet = run("ledger", "check", str(path), "--on", "2024-12-31", "-q")
    assert "2024-0000" not in quiet.stdout and "已超过答复期限" in quiet.stderr
