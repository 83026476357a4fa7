"""The catalogue's pure rules (gongkai.register.catalogue, .table_two, .catalogue_sheet)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

import gongkai
from gongkai import formats
from gongkai.register import annual
from gongkai.register.catalogue import (
    ARTICLE_20,
    DEFAULT_RULE,
    CatalogueError,
    Disclosure,
    DocKind,
    ItemData,
    ReviewState,
    ReviewStep,
    Validity,
    code_problem,
    doc_no_problem,
    format_index,
    kind_label,
    next_state,
    normalise_doc_no,
    org_code_ok,
    rule_problem,
    uscc_ok,
    validate_item,
)
from gongkai.register.catalogue_sheet import COLUMNS, read_sheet, write_template
from gongkai.register.table_two import (
    COUNTERS,
    CountedItem,
    build_table,
    counted_rows,
    counts,
    entered_rows,
    parse_value,
)
from gongkai.report import CellKind

D = dt.date
N, R = DocKind.NORMATIVE, DocKind.RULES
IN, AMENDED, REP, EXP = Validity.IN_FORCE, Validity.AMENDED, Validity.REPEALED, Validity.EXPIRED

# A small catalogue across year boundaries; the expected counts below are by hand.
ITEMS = [
    CountedItem(N, D(2023, 5, 1), D(2023, 5, 10), IN, None),  # N1
    CountedItem(N, D(2024, 3, 1), D(2024, 3, 5), REP, D(2025, 6, 30)),  # N2
    CountedItem(N, D(2025, 2, 1), D(2025, 2, 10), IN, None),  # N3
    CountedItem(N, D(2025, 4, 1), D(2025, 4, 3), EXP, D(2025, 11, 30)),  # N4
    CountedItem(N, D(2025, 12, 28), D(2026, 1, 5), IN, None),  # N5: published next year
    CountedItem(N, D(2024, 9, 1), D(2024, 9, 10), REP, D(2026, 3, 1)),  # N6: repealed later
    CountedItem(N, D(2026, 1, 10), D(2026, 1, 12), IN, None),  # N7: next year
    CountedItem(N, D(2022, 1, 1), D(2022, 1, 5), AMENDED, None),  # N8: amended, in force
    CountedItem(R, D(2024, 7, 1), D(2024, 7, 2), IN, None),  # R1
    CountedItem(R, D(2025, 8, 1), D(2025, 8, 2), REP, D(2025, 12, 31)),  # R2
    CountedItem(DocKind.OTHER, D(2025, 1, 5), D(2025, 1, 6), None, None),  # not counted
]


def test_article_20_is_the_fifteen_items() -> None:
    assert len(ARTICLE_20) == 15
    assert ARTICLE_20[0].label == "第二十条第（一）项"
    assert ARTICLE_20[14].number == "（十五）"
    assert ARTICLE_20[7].text == "行政事业性收费项目及其依据、标准"
    # The keys are table 二's block keys: the block caption is the item's label.
    for fmt in formats.FORMATS.values():
        for block in fmt.table("t2").blocks:
            item = next(a for a in ARTICLE_20 if a.key == block.key)
            assert block.caption == item.label


def test_kinds_are_the_counted_rows_of_both_formats() -> None:
    for fmt in formats.FORMATS.values():
        spec = fmt.table("t2")
        assert [r.key for r in counted_rows(spec)] == [R.value, N.value]
        assert all(c.key in COUNTERS for r in counted_rows(spec) for c in spec.columns_for(r))
    assert kind_label(N) == formats.V2021.table("t2").row("normative").label


def test_counts_2021_format_by_hand() -> None:
    got = counts(ITEMS, 2025, "2021")
    assert got["normative"] == {"issued": 3, "repealed": 2, "in_force": 5}
    assert got["rules"] == {"issued": 1, "repealed": 1, "in_force": 1}
    prev = counts(ITEMS, 2024, "2021")
    assert prev["normative"] == {"issued": 2, "repealed": 0, "in_force": 4}
    # T2-2 across the year boundary holds by construction.
    for row in ("rules", "normative"):
        c, p = got[row], prev[row]
        assert c["in_force"] == p["in_force"] + c["issued"] - c["repealed"]


def test_counts_2019_format_by_hand() -> None:
    got = counts(ITEMS, 2025, "2019")
    assert got["normative"] == {"new_made": 3, "new_published": 2, "total_published": 6}
    assert got["rules"] == {"new_made": 1, "new_published": 1, "total_published": 2}


def _entered(fmt: str) -> dict[str, dict[str, int | Decimal | None]]:
    spec = formats.get(fmt).table("t2")
    out: dict[str, dict[str, int | Decimal | None]] = {}
    for i, row in enumerate(entered_rows(spec)):
        for column in spec.columns_for(row):
            value: int | Decimal = {
                formats.CellType.AMOUNT: Decimal("12.3456"),
                formats.CellType.SIGNED: -2,
                formats.CellType.COUNT: 7 + i,
            }[column.type]
            out.setdefault(row.key, {})[column.key] = value
    return out


@pytest.mark.parametrize(("fmt", "year"), [("2021", 2025), ("2019", 2020)])
def test_built_table_passes_the_checker(fmt: str, year: int) -> None:
    report = annual.build_report([], [], year, "示范机关", fmt)
    report.tables["t2"] = build_table(ITEMS, _entered(fmt), year, fmt)
    errors = [f for f in gongkai.check(report) if f.severity == "error"]
    assert errors == []
    t2 = [f for f in gongkai.check(report) if any(c.table == "t2" for c in f.cells)]
    assert t2 == []  # not even a warning (C-2: the amounts carry their unit)
    spec = formats.get(fmt).table("t2")
    assert [r.key for r in report.tables["t2"].rows] == [r.key for r in spec.rows]


def test_a_wrong_table_fails_the_checker() -> None:
    # The checker test above can fail: a negative count is an error finding.
    report = annual.build_report([], [], 2025, "示范机关", "2021")
    entered = _entered("2021")
    entered["licensing"]["decisions"] = -1
    report.tables["t2"] = build_table(ITEMS, entered, 2025, "2021")
    assert any(f.rule == "T2-1" for f in gongkai.check(report))


def test_unentered_cells_are_blank_not_zero() -> None:
    table = build_table([], {}, 2025, "2021")
    fees = table.row("fees")
    assert fees is not None and fees.cells[0].kind is CellKind.BLANK
    assert fees.cells[0].value is None
    rules = table.row("rules")
    assert rules is not None and [c.value for c in rules.cells] == [0, 0, 0]


def test_parse_value_follows_cell_types() -> None:
    spec = formats.V2021.table("t2")
    amount = spec.column("fees", "fee_amount")
    count = spec.column("licensing", "decisions")
    signed = formats.V2019.table("t2").column("licensing", "change")
    assert parse_value(amount, "1.5") == Decimal("1.5")
    assert parse_value(amount, "3万元") == Decimal(3)
    assert parse_value(count, "12") == 12 and parse_value(count, "") is None
    assert parse_value(signed, "-3") == -3
    for column, bad, word in (
        (count, "-1", "负数"),
        (count, "1.5", "整数"),
        (amount, "-0.1", "负数"),
        (amount, "0.00001", "4位小数"),
        (count, "abc", "数字"),
    ):
        with pytest.raises(ValueError, match=word):
            parse_value(column, bad)


def _item(**kw: object) -> ItemData:
    base: dict[str, object] = {
        "title": "示范区行政规范性文件管理办法",
        "written": D(2025, 3, 1),
        "topic": "综合政务",
        "genre": "办法",
        "kind": N,
        "article20": "i1",
        "disclosure": Disclosure.PROACTIVE,
        "validity": IN,
        "doc_no": "示政办发〔2025〕3号",
    }
    base.update(kw)
    return ItemData(**base)  # type: ignore[arg-type]


def _fields(item: ItemData) -> set[str]:
    return {p.field for p in validate_item(item)}


def test_validate_item() -> None:
    assert validate_item(_item()) == []
    assert _fields(_item(validity=None)) == {"validity"}
    assert _fields(_item(validity=REP)) == {"ended"}  # repealed needs the date
    assert _fields(_item(validity=REP, ended=D(2025, 2, 1))) == {"ended"}  # before 成文日期
    assert _fields(_item(validity=REP, ended=D(2025, 6, 1))) == set()
    assert _fields(_item(validity=IN, ended=D(2025, 6, 1))) == {"ended"}
    assert _fields(_item(disclosure=Disclosure.ON_REQUEST)) == {"disclosure"}
    assert _fields(_item(article20="i7")) == {"article20"}
    assert _fields(_item(kind=DocKind.OTHER, article20="i7")) == {"validity"}
    assert _fields(_item(kind=DocKind.OTHER, article20="i7", validity=None)) == set()
    assert _fields(_item(summary="字" * 101)) == {"summary"}
    assert _fields(_item(doc_no="示政办发2025年3号")) == {"doc_no"}
    assert _fields(_item(published=D(2025, 2, 1))) == {"published"}
    assert _fields(_item(topic="无此类", genre="无此类")) == {"topic", "genre"}
    assert _fields(_item(url="javascript:alert(1)")) == {"url"}
    assert _fields(_item(url="https://www.example.gov.cn/a.html")) == set()
    assert _fields(_item(publisher="机" * 201)) == {"publisher"}


def test_doc_no() -> None:
    assert normalise_doc_no("示政办发[2024]3号") == "示政办发〔2024〕3号"
    assert normalise_doc_no("示政办发（2024）3号") == "示政办发〔2024〕3号"
    assert doc_no_problem("示政办发〔2024〕3号") is None
    assert doc_no_problem("〔2024〕3号") and doc_no_problem("示政办发〔2024〕03号")


def test_codes() -> None:
    assert uscc_ok("11341700003244799H")  # 宣城's, seen on its catalogue (web.md §A4)
    assert not uscc_ok("11341700003244799J")
    assert org_code_ok("12345678-8") and org_code_ok("123456788")  # GB 11714 check digit
    assert not org_code_ok("12345678-9")
    assert code_problem("11341700003244799H") is None
    assert code_problem("abc")


def test_index_rule() -> None:
    assert rule_problem(DEFAULT_RULE) is None
    assert format_index(DEFAULT_RULE, "X", D(2024, 5, 1), 143) == "X/2024-00143"
    assert format_index("{code}/{year}{month:02d}-{serial:05d}", "X", D(2023, 4, 9), 7) == (
        "X/202304-00007"
    )
    assert rule_problem("{code}/{serial:05d}")  # no year: numbers would repeat
    assert rule_problem("{code}/{year}-{n}")
    assert rule_problem("{code}/{year}-{serial:zz}")
    assert rule_problem("{code/{year}{serial}")


def test_review_order() -> None:
    p = Disclosure.PROACTIVE
    assert next_state(ReviewState.DRAFT, ReviewStep.CONTENT, p) is ReviewState.CONTENT_OK
    with pytest.raises(CatalogueError, match="内容审核和保密审查"):
        next_state(ReviewState.DRAFT, ReviewStep.PUBLISH, p)
    with pytest.raises(CatalogueError, match="保密审查"):
        next_state(ReviewState.CONTENT_OK, ReviewStep.PUBLISH, p)
    with pytest.raises(CatalogueError):
        next_state(ReviewState.DRAFT, ReviewStep.SECRECY, p)
    assert next_state(ReviewState.SECRECY_OK, ReviewStep.PUBLISH, p) is ReviewState.PUBLISHED
    with pytest.raises(CatalogueError, match="依申请公开"):
        next_state(ReviewState.SECRECY_OK, ReviewStep.PUBLISH, Disclosure.ON_REQUEST)


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([c.header for c in COLUMNS])
    for r in rows:
        w.writerow([r.get(c.key, "") for c in COLUMNS])
    return out.getvalue().encode("gb18030")


GOOD = {
    "title": "示范区某办法",
    "written": "2025-03-01",
    "topic": "综合政务",
    "genre": "办法",
    "kind": "行政规范性文件",
    "article20": "（一）",
    "disclosure": "主动公开",
    "validity": "现行有效",
    "doc_no": "示政办发[2025]3号",
}


def test_read_csv_locates_bad_rows() -> None:
    data = _csv(
        [
            GOOD,
            {**GOOD, "written": "2025-13-01"},
            {**GOOD, "validity": "已废止"},
            {**GOOD, "topic": "不存在"},
            {**GOOD, "index_no": "X/2025-00001"},
            {**GOOD, "index_no": "X/2025-00001"},
        ]
    )
    result = read_sheet(data, "目录.csv")
    assert [r.row for r in result.rows] == [2, 6]
    assert result.rows[0].item.doc_no == "示政办发〔2025〕3号"
    located = {(i.row, i.column) for i in result.issues}
    assert located == {(3, "成文日期"), (4, "废止或失效日期"), (5, "主题分类"), (7, "索引号")}
    assert all(i.sheet == "目录.csv" for i in result.issues)
    assert "第3行" in str(result.issues[0]) and "「成文日期」列" in str(result.issues[0])


def test_template_reads_back_and_missing_header_is_reported() -> None:
    buffer = io.BytesIO()
    write_template(buffer)
    assert read_sheet(buffer.getvalue(), "t.xlsx").issues == []
    result = read_sheet("名称,成文日期\n某文件,2025-01-01\n".encode(), "x.csv")
    assert (
        result.rows == [] and result.issues[0].row == 1 and "主题分类" in result.issues[0].message
    )
    with pytest.raises(CatalogueError, match=r"\.xlsx"):
        read_sheet(b"x", "x.xls")
    with pytest.raises(CatalogueError, match="不是有效的 Excel"):
        read_sheet(b"not a zip", "x.xlsx")
