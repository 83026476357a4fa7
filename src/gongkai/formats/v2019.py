"""The 2019 trial format: 国办公开办函〔2019〕60号, for report years 2019–2020 (spec §3.2)."""

from __future__ import annotations

from ._common import SECTIONS, T4, carried_forward, common_identities, t3_table
from ._model import Block, Carry, CellType, Column, Format, Identity, Row, Table, Term

NEW_MADE = Column("new_made", "本年新制作数量")
NEW_PUBLISHED = Column("new_published", "本年新公开数量")
TOTAL_PUBLISHED = Column("total_published", "对外公开总数量")
PREV_ITEMS = Column("prev_items", "上一年项目数量")
CHANGE = Column("change", "本年增/减", type=CellType.SIGNED, variants=("本年增减",))
DECISIONS = Column("decisions", "处理决定数量")
PURCHASE_ITEMS = Column("purchase_items", "采购项目数量")
PURCHASE_AMOUNT = Column(
    "purchase_amount",
    "采购总金额",
    type=CellType.AMOUNT,
    variants=("采购总金额（单位：万元，保留4位小数）", "采购总金额（单位：万元）"),
)

T2 = Table(
    key="t2",
    number="二",
    title="主动公开政府信息情况",
    blocks=(
        Block("i1", "第二十条第（一）项", (NEW_MADE, NEW_PUBLISHED, TOTAL_PUBLISHED)),
        Block("i5", "第二十条第（五）项", (PREV_ITEMS, CHANGE, DECISIONS)),
        Block("i6", "第二十条第（六）项", (PREV_ITEMS, CHANGE, DECISIONS)),
        Block("i8", "第二十条第（八）项", (PREV_ITEMS, CHANGE)),
        Block("i9", "第二十条第（九）项", (PURCHASE_ITEMS, PURCHASE_AMOUNT)),
    ),
    rows=(
        Row("rules", "规章", block="i1"),
        Row("normative", "规范性文件", variants=("行政规范性文件",), block="i1"),
        Row("licensing", "行政许可", block="i5"),
        Row("other_services", "其他对外管理服务事项", block="i5"),
        Row("penalty", "行政处罚", block="i6"),
        Row("coercion", "行政强制", block="i6"),
        Row("fees", "行政事业性收费", block="i8"),
        Row("procurement", "政府集中采购", block="i9"),
    ),
    header_labels=("信息内容",),
    type_rule="T2-1",
)

T3 = t3_table((Row("f", "（六）其他处理"),), group_labels=())

FORMAT = Format(
    key="2019",
    name="2019 试行格式",
    document="国办公开办函〔2019〕60号",
    first_year=2019,
    last_year=2020,
    tables=(T2, T3, T4),
    identities=(
        *common_identities(T3),
        Identity(
            id="T2-4",
            table="t2",
            axis="row",
            lhs=("new_published",),
            rhs=("total_published",),
            op="<=",
            over=("rules", "normative"),
            severity="warning",
            message="表二第二十条第（一）项：本年新公开数量不应大于对外公开总数量",
            source="inferred（对外公开总数量包含本年新公开的文件）",
        ),
    ),
    carries=(
        carried_forward(("2019",)),
        Carry(
            id="T2-3",
            table="t2",
            axis="row",
            over=("licensing", "other_services", "penalty", "coercion", "fees"),
            lhs=(Term("cur", "prev_items"),),
            rhs=(Term("prev", "prev_items"), Term("prev", "change")),
            prev_formats=("2019",),
            severity="warning",
            message="表二：上一年项目数量应等于同一机关上一年度的上一年项目数量加本年增/减",
            source="inferred（spec §3.3 T2-3：项目数量的逐年递推）",
        ),
    ),
    sections=SECTIONS,
    markers=(
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "其他对外管理服务事项",
        "第二十条第（九）项",
        "政府集中采购",
        "采购总金额",
    ),
)
