"""The official formats as data: counts, keys and detection (spec §1, §3–5, §11)."""

from __future__ import annotations

import pytest

from gongkai import formats
from gongkai.formats import V2019, V2021, normalise


def test_cell_counts_match_the_spec() -> None:
    # spec §11: numeric cells (二+三+四) = 22 + 161 + 15 in 2019 and 10 + 175 + 15 in 2021.
    assert [t.cell_count for t in V2019.tables] == [22, 161, 15]
    assert [t.cell_count for t in V2021.tables] == [10, 175, 15]
    assert len(V2019.table("t3").rows) == 23 and len(V2021.table("t3").rows) == 25


def test_table_three_keys_in_official_order() -> None:
    keys = [r.key for r in V2021.table("t3").rows]
    assert keys[:4] == ["r1", "r2", "a", "b"]
    assert keys[4:12] == [f"c{i}" for i in range(1, 9)]
    assert keys[-5:] == ["f1", "f2", "f3", "t", "r4"]
    assert "f" in [r.key for r in V2019.table("t3").rows]
    assert [c.key for c in V2021.table("t3").columns][-1] == "total"


@pytest.mark.parametrize("fmt", [V2019, V2021], ids=["2019", "2021"])
def test_every_identity_and_carry_names_existing_keys(fmt: formats.Format) -> None:
    for ident in fmt.identities:
        table = fmt.table(ident.table)
        rows = {r.key for r in table.rows}
        columns = {c.key for c in table.all_columns}
        names = rows if ident.axis == "column" else columns
        assert set(ident.lhs + ident.rhs) <= names, ident.id
        assert set(ident.over) <= (columns if ident.axis == "column" else rows), ident.id
    for carry in fmt.carries:
        for year, other in (("cur", fmt), *(("prev", formats.get(k)) for k in carry.prev_formats)):
            table = other.table(carry.table)
            rows = {r.key for r in table.rows}
            columns = {c.key for c in table.all_columns}
            keys = {t.key for t in (*carry.lhs, *carry.rhs) if t.year == year}
            assert keys <= (rows if carry.axis == "column" else columns), (carry.id, year)
            assert set(carry.over) <= (columns if carry.axis == "column" else rows), carry.id


def test_format_by_year() -> None:
    assert formats.for_year(2018) is None
    assert formats.for_year(2019) is V2019 and formats.for_year(2020) is V2019
    assert formats.for_year(2021) is V2021 and formats.for_year(2030) is V2021


def test_detection_trusts_the_markers_over_the_year() -> None:
    text_2019 = "本年新制作数量 本年新公开数量 对外公开总数量 政府集中采购"
    fmt, why = formats.detect(text_2019, 2021)
    assert fmt is V2019 and why is not None and "2021" in why and "2019 试行格式" in why
    assert formats.detect("本年制发件数 现行有效件数", 2022) == (V2021, None)
    assert formats.detect("没有任何标签", 2020) == (V2019, None)
    fmt, why = formats.detect("没有任何标签", None)
    assert fmt is None and why


def test_label_normalisation() -> None:
    assert normalise("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)") == normalise(
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert normalise('3.危及"三安全一稳定"') == normalise("3.危及“三安全一稳定”")
    assert normalise("1、申请人") == normalise("1.申请人")
    assert normalise("商业\n企业") == "商业企业"
