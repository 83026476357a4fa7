"""The 2021 format: 国办公开办函〔2021〕30号, used for report years 2021 onwards (spec §3.1, §4)."""

from __future__ import annotations

from ._common import OTHER, SECTIONS, T4, carried_forward, common_identities, t3_table
from ._model import Block, Carry, CellType, Column, Format, Row, Table, Term

ISSUED = Column("issued", "本年制发件数")
# 失效 (expired) and 废止 (repealed) notes describe repealed documents (spec §3.1).
REPEALED = Column("repealed", "本年废止件数", note_words=("失效", "废止"))
IN_FORCE = Column("in_force", "现行有效件数")
DECISIONS = Column("decisions", "本年处理决定数量")
FEE_AMOUNT = Column(
    "fee_amount",
    "本年收费金额（单位：万元）",
    type=CellType.AMOUNT,
    variants=("本年收费金额",),
)

T2 = Table(
    key="t2",
    number="二",
    title="主动公开政府信息情况",
    blocks=(
        Block("i1", "第二十条第（一）项", (ISSUED, REPEALED, IN_FORCE)),
        Block("i5", "第二十条第（五）项", (DECISIONS,)),
        Block("i6", "第二十条第（六）项", (DECISIONS,)),
        Block("i8", "第二十条第（八）项", (FEE_AMOUNT,)),
    ),
    rows=(
        Row("rules", "规章", block="i1"),
        Row("normative", "行政规范性文件", variants=("规范性文件",), block="i1"),
        Row("licensing", "行政许可", block="i5"),
        Row("penalty", "行政处罚", block="i6"),
        Row("coercion", "行政强制", block="i6"),
        Row("fees", "行政事业性收费", block="i8"),
    ),
    header_labels=("信息内容",),
    type_rule="T2-1",
)

T3 = t3_table(
    (
        Row(
            "f1",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            group=OTHER,
        ),
        Row(
            "f2",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            group=OTHER,
        ),
        Row("f3", "3.其他", group=OTHER),
    ),
    group_labels=(OTHER,),
)

FORMAT = Format(
    key="2021",
    name="2021 格式",
    document="国办公开办函〔2021〕30号",
    first_year=2021,
    last_year=None,
    tables=(T2, T3, T4),
    identities=common_identities(T3),
    carries=(
        carried_forward(("2019", "2021")),
        Carry(
            id="T2-2",
            table="t2",
            axis="row",
            over=("rules", "normative"),
            lhs=(Term("cur", "in_force"),),
            rhs=(Term("prev", "in_force"), Term("cur", "issued"), Term("cur", "repealed", -1)),
            prev_formats=("2021",),
            severity="warning",
            message="表二：现行有效件数应等于上一年度的现行有效件数加本年制发件数减本年废止件数",
            source="inferred（spec §3.3 T2-2：现行有效件数的逐年递推；文件修订、清理或机构"
            "改革时可能不同）",
        ),
        Carry(
            id="T2-5",
            table="t2",
            axis="row",
            over=("rules", "normative"),
            lhs=(Term("prev", "total_published"),),
            rhs=(Term("cur", "in_force"), Term("cur", "issued", -1), Term("cur", "repealed")),
            prev_formats=("2019",),
            severity="info",
            message="跨格式（2020 → 2021）：2020 年度的对外公开总数量与 2021 年度的现行有效件数"
            "减本年制发加本年废止相比较，两列口径不同，仅供参考",
            source="inferred（spec §3.3 T2-5：对外公开总数量与现行有效件数含义不同）",
        ),
    ),
    sections=SECTIONS,
    markers=(
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "逾期不补正",
        "逾期未按收费通知",
    ),
)
