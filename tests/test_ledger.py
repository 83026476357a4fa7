"""The Excel ledger: the template, reading and checking it, and the annual report from it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import gongkai
from gongkai.cli import main
from gongkai.formats import outcomes
from gongkai.register.annual import build_report
from gongkai.register.cases import Application, applicant_label
from gongkai.register.ledger import (
    APPLICATION_COLUMNS,
    APPLICATIONS_SHEET,
    HELP_SHEET,
    LISTS_SHEET,
    REVIEW_COLUMNS,
    REVIEWS_SHEET,
    read_ledger,
    write_template,
)
from gongkai.register.reviews import ReviewCase, ReviewKind, ReviewResult, kind_label, result_label
from tests.factories_cases import ledger_row, make_case, write_ledger

D = dt.date
DAY = dt.timedelta(days=1)
APPLICANTS = ("natural", "commercial", "research", "public_interest", "legal_services", "other")
CHANNELS = ("当面", "邮寄", "网络", "传真", "电子邮件", "其他")


def realistic_register() -> tuple[list[Application], list[ReviewCase]]:
    """About fifty applications over 2024 in the shapes a county office sees, with a few
    carried over from 2023 and a few still open at the end of 2024."""
    cases = [
        make_case("2023-090", D(2023, 12, 18), outcome="disclosed", closed=D(2024, 1, 8)),
        make_case(
            "2023-091",
            D(2023, 12, 27),
            applicant="commercial",
            extension=(D(2024, 1, 15), 10),
            outcome="partial",
            closed=D(2024, 2, 2),
        ),
    ]
    for i in range(48):
        # weekly through the year; the last two arrive in late December and stay open
        received = D(2024, 1, 3) + 7 * i * DAY if i < 46 else D(2024, 12, 20) + 8 * (i - 46) * DAY
        kw: dict[str, Any] = {"applicant": APPLICANTS[i % 6], "channel": CHANNELS[i % 6]}
        pattern = i % 8
        cid = f"2024-{i + 1:03d}"
        if received > D(2024, 12, 15):
            cases.append(make_case(cid, received, **kw))  # still open on 31 December
        elif pattern == 0:
            cases.append(
                make_case(cid, received, outcome="disclosed", closed=received + 9 * DAY, **kw)
            )
        elif pattern == 1:
            cases.append(
                make_case(
                    cid,
                    received,
                    extension=(received + 20 * DAY, 15),
                    outcome="partial",
                    closed=received + 35 * DAY,
                    **kw,
                )
            )
        elif pattern == 2:
            cases.append(
                make_case(
                    cid,
                    received,
                    supplement=(received + 2 * DAY, received + 6 * DAY),
                    outcome="not_held",
                    closed=received + 16 * DAY,
                    **kw,
                )
            )
        elif pattern == 3:
            cases.append(
                make_case(
                    cid,
                    received,
                    consultation=(received + 3 * DAY, received + 15 * DAY),
                    outcome="third_party",
                    closed=received + 25 * DAY,
                    **kw,
                )
            )
        elif pattern == 4:
            cases.append(
                make_case(cid, received, outcome="withdrawn", closed=received + 2 * DAY, **kw)
            )
        elif pattern == 5:
            cases.append(
                make_case(
                    cid,
                    received,
                    fee=(received + 5 * DAY, Decimal(1100), received + 8 * DAY),
                    outcome="already_public",
                    closed=received + 12 * DAY,
                    **kw,
                )
            )
        elif pattern == 6:
            cases.append(
                make_case(
                    cid,
                    received,
                    supplement=(received + 1 * DAY, None),
                    outcome="no_supplement",
                    closed=received + 30 * DAY,
                    **kw,
                )
            )
        else:
            cases.append(
                make_case(cid, received, outcome="petition", closed=received + 5 * DAY, **kw)
            )
    reviews = [
        ReviewCase(
            "F-01", ReviewKind.RECONSIDERATION, D(2024, 3, 1), D(2024, 5, 6), ReviewResult.UPHELD
        ),
        ReviewCase("F-02", ReviewKind.RECONSIDERATION, D(2024, 11, 20)),
        ReviewCase(
            "S-01", ReviewKind.DIRECT_SUIT, D(2023, 10, 9), D(2024, 4, 2), ReviewResult.OTHER
        ),
        ReviewCase(
            "S-02",
            ReviewKind.SUIT_AFTER_REVIEW,
            D(2024, 6, 3),
            D(2024, 12, 2),
            ReviewResult.CORRECTED,
        ),
    ]
    return cases, reviews


def review_row(r: ReviewCase) -> dict[str, Any]:
    row: dict[str, Any] = {"编号": r.id, "案件类型": kind_label(r.kind), "收案日期": r.filed}
    if r.decided and r.result:
        row |= {"审结日期": r.decided, "审结结果": result_label(r.result)}
    return row


@pytest.fixture
def realistic(tmp_path: Path) -> Path:
    cases, reviews = realistic_register()
    path = tmp_path / "台账.xlsx"
    write_ledger(path, [ledger_row(c) for c in cases], [review_row(r) for r in reviews])
    return path


# --- the template -------------------------------------------------------------------------


def test_template_sheets_headers_dropdowns_and_formats(tmp_path: Path) -> None:
    path = tmp_path / "空白台账.xlsx"
    write_template(str(path))
    book = load_workbook(path)
    assert book.sheetnames == [HELP_SHEET, APPLICATIONS_SHEET, REVIEWS_SHEET, LISTS_SHEET]
    assert book[LISTS_SHEET].sheet_state == "hidden"
    apps = book[APPLICATIONS_SHEET]
    headers = [str(c.value).rstrip("*") for c in apps[1]]
    assert headers == [c.header for c in APPLICATION_COLUMNS]
    assert str(apps["C1"].value).endswith("*")  # required columns are marked
    assert apps.freeze_panes == "B2"
    reviews = book[REVIEWS_SHEET]
    assert [str(c.value).rstrip("*") for c in reviews[1]] == [c.header for c in REVIEW_COLUMNS]
    kinds = {dv.type for dv in apps.data_validations.dataValidation}
    assert {"list", "date", "whole", "decimal"} <= kinds
    sources = [dv.formula1 for dv in apps.data_validations.dataValidation if dv.type == "list"]
    assert len(sources) == 3 and all(LISTS_SHEET in s for s in sources)
    # The dropdown lists hold the labels of the format data, all of them.
    lists = book[LISTS_SHEET]
    columns = {
        lists.cell(1, j).value: [
            c.value for c in lists[lists.cell(1, j).column_letter][1:] if c.value
        ]
        for j in range(1, lists.max_column + 1)
    }
    assert columns[f"{APPLICATIONS_SHEET}·outcome"] == [o.label for o in outcomes.OUTCOMES]
    assert columns[f"{APPLICATIONS_SHEET}·applicant"] == [applicant_label(a) for a in APPLICANTS]
    assert columns[f"{REVIEWS_SHEET}·result"] == ["结果维持", "结果纠正", "其他结果"]
    received_col = [c.header for c in APPLICATION_COLUMNS].index("收到申请日期") + 1
    assert (
        apps.column_dimensions[apps.cell(1, received_col).column_letter].number_format
        == "yyyy-mm-dd"
    )
    text = "\n".join(str(c.value) for row in book[HELP_SHEET].iter_rows() for c in row if c.value)
    assert (
        "填写说明" in text and "其他处理：申请人撤回申请" in text and "（六）其他处理3.其他" in text
    )


# --- reading a realistic ledger -------------------------------------------------------------


def test_realistic_ledger_reads_back_to_the_same_report(realistic: Path) -> None:
    cases, reviews = realistic_register()
    ledger = read_ledger(str(realistic), on=D(2025, 1, 10))
    assert ledger.errors == []
    assert len(ledger.cases) == len(cases) == 50 and len(ledger.reviews) == 4
    assert all(c.deadline is not None or c.application.supplement_requested for c in ledger.cases)
    from_ledger = build_report(ledger.applications, ledger.review_cases, 2024, "某某县某某局")
    direct = build_report(cases, reviews, 2024, "某某县某某局")
    assert from_ledger.tables == direct.tables
    assert [f for f in gongkai.check(from_ledger) if f.severity == "error"] == []
    n = from_ledger.number
    assert n("t3", "r2", "total") == 2 and n("t3", "r1", "total") == 48
    assert n("t3", "r4", "total") == 2  # received after 15 December, open at the year end
    assert n("t3", "t", "total") == 48
    assert n("t4", "cases", "review_total") == 2 and n("t4", "cases", "review_pending") == 1
    assert n("t4", "cases", "direct_other") == 1 and n("t4", "cases", "after_corrected") == 1


def test_open_cases_past_their_deadline_are_warned(realistic: Path) -> None:
    ledger = read_ledger(str(realistic), on=D(2025, 3, 1))
    late = [i for i in ledger.warnings if "仍未办结" in i.message]
    assert {i.case_id for i in late} == {"2024-047", "2024-048"}
    assert all(i.sheet == APPLICATIONS_SHEET and i.row for i in late)
    assert ledger.errors == []


# --- a ledger with bad rows gives the precise list ------------------------------------------

BASE = {"提交方式": "网络", "申请人类型": "自然人"}


def bad_ledger(path: Path) -> None:
    rows: list[dict[str, Any]] = [
        {
            "编号": "ok",
            "收到申请日期": D(2024, 3, 1),
            **BASE,
            "办结日期": D(2024, 3, 8),
            "办理结果": "予以公开",
        },
        {"编号": "no-date", **BASE},  # row 3
        {
            "编号": "bad-outcome",
            "收到申请日期": D(2024, 3, 1),
            **BASE,
            "办结日期": D(2024, 3, 8),
            "办理结果": "已经办好了",
        },  # row 4
        {
            "编号": "early",
            "收到申请日期": D(2024, 3, 10),
            **BASE,
            "办结日期": D(2024, 3, 8),
            "办理结果": "予以公开",
        },  # row 5: answer before receipt
        {
            "编号": "supp",
            "收到申请日期": D(2024, 3, 1),
            **BASE,
            "告知补正日期": D(2024, 3, 6),
            "收到补正日期": D(2024, 3, 4),
        },  # row 6: 补正 dates out of order
        {
            "编号": "ext",
            "收到申请日期": D(2024, 3, 1),
            **BASE,
            "延长批准日期": D(2024, 3, 20),
            "延长工作日数": 25,
            "延长批准人": "王主任",
        },  # row 7
        {
            "编号": "late",
            "收到申请日期": D(2024, 3, 1),
            **BASE,
            "办结日期": D(2024, 5, 6),
            "办理结果": "部分公开",
        },  # row 8: answered late, no extension (a warning)
        {"编号": "ok", "收到申请日期": "2024年3月2日", **BASE},  # row 9: duplicate id
        {
            "编号": "typed",
            "收到申请日期": "2024/3/5",
            "提交方式": "信函",
            "申请人类型": "其他",
            "办结日期": "2024-03-12",
            "办理结果": "不予公开:属于国家秘密",
        },  # row 10: fine
        {"编号": "half", "收到申请日期": D(2024, 3, 1), **BASE, "办理结果": "予以公开"},  # row 11
    ]
    reviews = [
        {
            "编号": "F1",
            "案件类型": "行政复议",
            "收案日期": D(2024, 2, 1),
            "审结日期": D(2024, 3, 1),
        },
        {"编号": "F2", "案件类型": "行政申诉", "收案日期": D(2024, 2, 1)},
    ]
    write_ledger(path, rows, reviews)


def test_bad_rows_are_listed_precisely(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    bad_ledger(path)
    ledger = read_ledger(str(path))
    got = {(i.sheet, i.row, i.column, i.severity) for i in ledger.issues}
    A, R = APPLICATIONS_SHEET, REVIEWS_SHEET
    assert got == {
        (A, 3, "收到申请日期", "error"),
        (A, 4, "办理结果", "error"),
        (A, 5, "办结日期", "error"),
        (A, 6, "收到补正日期", "error"),
        (A, 7, "延长工作日数", "error"),
        (A, 8, "办结日期", "warning"),
        (A, 9, "编号", "error"),
        (A, 11, "办结日期", "error"),
        (R, 2, "审结结果", "error"),
        (R, 3, "案件类型", "error"),
    }
    text = {i.row: str(i) for i in ledger.issues if i.sheet == A}
    assert "缺少收到申请日期" in text[3]
    assert "未知的办理结果「已经办好了」" in text[4]
    assert "早于收到申请日期" in text[5]
    assert "补正日期顺序颠倒" in text[6]
    assert "超过最长20个工作日" in text[7] and "第三十三条第二款" in text[7]
    assert "逾期答复" in text[8] and "未办理延长" in text[8]
    assert "编号与第2行重复" in text[9]
    assert text[3].startswith("错误 「依申请公开台账」第3行（编号 no-date）「收到申请日期」：")
    assert [c.application.id for c in ledger.cases] == ["ok", "late", "typed"]
    typed = ledger.cases[-1].application
    assert typed.received == D(2024, 3, 5) and typed.outcome == "state_secret"
    assert typed.applicant.value == "other" and typed.channel.value == "邮寄"
    assert [(s, r) for s, r, _ in ledger.excluded] == [(A, n) for n in (3, 4, 5, 6, 7, 9, 11)] + [
        (R, 2),
        (R, 3),
    ]


def test_missing_sheet_and_header(tmp_path: Path) -> None:
    from openpyxl import Workbook

    path = tmp_path / "x.xlsx"
    book = Workbook()
    assert book.active is not None
    book.active.title = APPLICATIONS_SHEET
    book.active.append(["编号", "申请人"])
    book.save(path)
    ledger = read_ledger(str(path))
    messages = [str(i) for i in ledger.issues]
    assert any("第1行（表头）缺少必填列：收到申请日期、提交方式、申请人类型" in m for m in messages)
    assert any(REVIEWS_SHEET in m and "无法计算表四" in m for m in messages)
    assert len(ledger.structural) == 2 and ledger.excluded == [] and ledger.t4_unreadable
    out = tmp_path / "r.json"
    result = run("ledger", "report", str(path), "--year", "2024", "-o", str(out), "--force")
    assert result.exit_code == 1 and not out.exists()
    assert "无法生成年报" in result.output


def test_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_text("not excel")
    with pytest.raises(gongkai.GongkaiError, match=r"无法读取台账 x\.xlsx"):
        read_ledger(str(path))


# --- the commands ---------------------------------------------------------------------------


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_cli_template(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    result = run("ledger", "template", str(path))
    assert result.exit_code == 0 and path.exists()
    assert run("ledger", "template", str(path)).exit_code == 1  # never overwrites silently
    assert run("ledger", "template", str(path), "--force").exit_code == 0
    assert run("ledger", "template", str(tmp_path / "a.csv")).exit_code == 2


def test_cli_check(realistic: Path, tmp_path: Path) -> None:
    result = run("ledger", "check", str(realistic), "--on", "2024-12-31")
    assert result.exit_code == 0, result.output
    assert "2024-001" in result.output and "答复期限" in result.output
    bad = tmp_path / "bad.xlsx"
    bad_ledger(bad)
    result = run("ledger", "check", str(bad), "-q")
    assert result.exit_code == 1
    assert "第7行（编号 ext）「延长工作日数」" in result.output
    assert "错误 9 处（9 行）" in result.output


def test_cli_report_json_and_markdown(realistic: Path, tmp_path: Path) -> None:
    out = tmp_path / "年报.json"
    result = run(
        "ledger", "report", str(realistic), "--year", "2024", "-o", str(out), "-a", "某某县某某局"
    )
    assert result.exit_code == 0, result.output
    report = gongkai.Report.from_json(out.read_bytes())
    assert report.number("t3", "r1", "total") == 48 and report.agency == "某某县某某局"
    assert "本年新收 48 件" in result.output
    assert "发出收费通知" in result.output  # the fee summary for section 六
    md = tmp_path / "年报.md"
    assert run("ledger", "report", str(realistic), "-y", "2024", "-o", str(md)).exit_code == 0
    assert "结转下年度继续办理" in md.read_text(encoding="utf-8")


def test_cli_report_refuses_a_bad_ledger_unless_forced(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad_ledger(bad)
    out = tmp_path / "r.json"
    result = run("ledger", "report", str(bad), "--year", "2024", "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert "未生成年报" in result.output
    result = run("ledger", "report", str(bad), "--year", "2024", "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert "未计入本报告的表格" in result.output and "第3行（编号 no-date）" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    excluded = [w for w in data["warnings"] if w["code"] == "LEDGER-EXCLUDED"]
    assert len(excluded) == 9 and excluded[0]["location"]["row"] == 3
    report = gongkai.Report.from_json(out.read_bytes())
    assert report.number("t3", "r1", "total") == 3  # only ok, late and typed were counted
    assert "第3行" in report.preamble
