"""A third-party template's 小计 column under 法人或其他组织 (not in the official layout): its
values are kept apart, the official columns are read right, and nothing is reported per row."""

from __future__ import annotations

import gongkai

from .conftest import CORPUS

HEADER = "\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t"


def with_subtotal_column() -> str:
    """Seed 004's table 三 with a 小计 column: every row gains the five columns' sum."""
    report = gongkai.parse(CORPUS / "004_8662c94b6d75781e.txt")
    lines = ["临安区人民政府2020年政府信息公开工作年度报告", "三、收到和处理政府信息公开申请情况"]
    lines.append("(本列数据的勾稽关系为: 第一项加第二项之和, 等于第三项加第四项之和)\t申请人情况")
    lines.append("\t自然人\t法人或其他组织\t\t\t\t\t\t总计")
    lines.append(HEADER + "小计\t")
    for row in report.tables["t3"].rows:
        values = [c.raw for c in row.cells]
        subtotal = sum(int(v or 0) for v in values[1:6])
        lines.append("\t".join([row.label, *values[:6], str(subtotal), values[6]]))
    lines.append("四、政府信息公开行政复议、行政诉讼情况")
    lines.append("行政复议\t行政诉讼")
    lines.append("\t".join(c.raw for c in report.tables["t4"].rows[0].cells))
    return "\n".join(lines)


def test_subtotal_values_are_kept_apart_and_the_official_columns_read_right() -> None:
    seed = gongkai.parse(CORPUS / "004_8662c94b6d75781e.txt")
    report = gongkai.parse(with_subtotal_column())
    got = {r.key: [c.value for c in r.cells] for r in report.tables["t3"].rows}
    want = {r.key: [c.value for c in r.cells] for r in seed.tables["t3"].rows}
    assert got == want
    r1 = report.tables["t3"].row("r1")
    assert r1 is not None and [(c.column, c.raw) for c in r1.extra] == [("subtotal", "3")]
    codes = [w.code for w in report.warnings]
    assert codes.count("subtotal-column") == 1 and "surplus-cells" not in codes
    assert not [f for f in gongkai.check(report) if f.rule in ("T0-1", "T3-1", "T3-2", "T3-3")]


def test_a_subtotal_word_after_the_first_row_names_no_column() -> None:
    text = with_subtotal_column().replace(HEADER + "小计\t", HEADER)
    text = text.replace("（七）总计", "小计\n（七）总计")
    report = gongkai.parse(text)
    assert "subtotal-column" not in [w.code for w in report.warnings]
