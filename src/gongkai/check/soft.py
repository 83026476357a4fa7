"""Soft checks on the tables: things that are not wrong by arithmetic but rarely true.

T3-7: applications still open on 31 December (r4) are usually a small part of those received
(r1), because a reply is due within 20 working days, 40 with an extension (条例第三十三条).
T3-8 (2021 format): a 不再处理 for an unpaid fee (row f2) means a 收费通知 was sent, which
section 六 is expected to report alongside the 信息处理费 (国办函〔2020〕109号).
"""

from __future__ import annotations

from ..report import Report
from .finding import Finding, fmt_number
from .prose import flatten
from .refs import cell_ref, locate, number, short_row_label
from .rules import RULES

T3 = "t3"
TOTAL = "total"
RECEIVED, CARRIED_FORWARD = "r1", "r4"
# The 2021 row 2.申请人逾期未按收费通知要求缴纳费用…; the 2019 format has no such row.
UNPAID_FEE = "f2"
FEE_WORDS = ("收费", "处理费", "缴费", "缴纳")
OTHER_MATTERS = 6  # section 六、其他需要报告的事项


def check_soft(report: Report) -> list[Finding]:
    return [*_carried_forward(report), *_unpaid_fee(report)]


def _carried_forward(report: Report) -> list[Finding]:
    spec = report.spec.table(T3)
    found = report.tables.get(T3)
    if found is None:
        return []
    r1, r4 = found.row(RECEIVED), found.row(CARRIED_FORWARD)
    if r1 is None or r4 is None:
        return []
    received, carried = number(r1.cell(TOTAL)), number(r4.cell(TOTAL))
    if carried <= received:
        return []
    row1, row4 = spec.row(RECEIVED), spec.row(CARRIED_FORWARD)
    column = spec.column(row4, TOTAL)
    return [
        RULES["T3-7"].finding(
            cells=[
                cell_ref(spec, row4, column, r4.cell(TOTAL)),
                cell_ref(spec, row1, column, r1.cell(TOTAL)),
            ],
            location=locate(spec, row4, column, r4.cell(TOTAL)),
            r4=short_row_label(row4),
            r4_total=fmt_number(carried),
            r1=short_row_label(row1),
            r1_total=fmt_number(received),
        )
    ]


def _unpaid_fee(report: Report) -> list[Finding]:
    spec = report.spec.table(T3)
    found = report.tables.get(T3)
    if found is None or UNPAID_FEE not in {r.key for r in spec.rows}:
        return []
    got = found.row(UNPAID_FEE)
    if got is None:
        return []
    value = number(got.cell(TOTAL))
    if value <= 0:
        return []
    section = report.section(OTHER_MATTERS)
    if section is not None:
        text, where = flatten(section.text), "第六部分“其他需要报告的事项”"
    else:
        text, where = flatten(report.text), "报告文字"
    if any(w in text for w in FEE_WORDS):
        return []
    row = spec.row(UNPAID_FEE)
    column = spec.column(row, TOTAL)
    return [
        RULES["T3-8"].finding(
            cells=[cell_ref(spec, row, column, got.cell(TOTAL))],
            location=locate(spec, row, column, got.cell(TOTAL)),
            row=short_row_label(row),
            value=fmt_number(value),
            where=where,
        )
    ]
