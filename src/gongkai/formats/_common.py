"""Parts shared by both official formats: table 三's columns and most of its rows, table 四.

Labels are verbatim from the official templates (spec §4, §5); variants are the spellings seen
in published reports.
"""

from __future__ import annotations

from ._model import Carry, Column, Identity, Row, Section, Table, Term

T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
LEGAL_PERSON = "法人或其他组织"

T3_COLUMNS = (
    Column("natural", "自然人"),
    Column("commercial", "商业企业", groups=(LEGAL_PERSON,)),
    Column("research", "科研机构", groups=(LEGAL_PERSON,)),
    Column("public_interest", "社会公益组织", groups=(LEGAL_PERSON,)),
    Column("legal_services", "法律服务机构", groups=(LEGAL_PERSON,)),
    Column("other", "其他", groups=(LEGAL_PERSON,)),
    Column("total", "总计"),
)
T3_APPLICANT_COLUMNS = tuple(c.key for c in T3_COLUMNS[:-1])

RESULTS = "三、本年度办理结果"
REFUSED = "（三）不予公开"
UNABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"

T3_HEAD_ROWS = (
    Row("r1", "一、本年新收政府信息公开申请数量"),
    Row("r2", "二、上年结转政府信息公开申请数量"),
    Row("a", "（一）予以公开", group=RESULTS),
    Row(
        "b",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        variants=("（二）部分公开",),
        group=RESULTS,
    ),
    Row("c1", "1.属于国家秘密", group=REFUSED),
    Row("c2", "2.其他法律行政法规禁止公开", variants=("2.其他法律法规禁止公开",), group=REFUSED),
    Row("c3", "3.危及“三安全一稳定”", group=REFUSED),
    Row("c4", "4.保护第三方合法权益", group=REFUSED),
    Row("c5", "5.属于三类内部事务信息", group=REFUSED),
    Row("c6", "6.属于四类过程性信息", group=REFUSED),
    Row("c7", "7.属于行政执法案卷", group=REFUSED),
    Row("c8", "8.属于行政查询事项", group=REFUSED),
    Row("d1", "1.本机关不掌握相关政府信息", group=UNABLE),
    Row("d2", "2.没有现成信息需要另行制作", group=UNABLE),
    Row("d3", "3.补正后申请内容仍不明确", group=UNABLE),
    Row("e1", "1.信访举报投诉类申请", group=NOT_PROCESSED),
    Row("e2", "2.重复申请", group=NOT_PROCESSED),
    Row("e3", "3.要求提供公开出版物", group=NOT_PROCESSED),
    Row("e4", "4.无正当理由大量反复申请", group=NOT_PROCESSED),
    Row("e5", "5.要求行政机关确认或重新出具已获取信息", group=NOT_PROCESSED),
)
T3_TAIL_ROWS = (
    Row("t", "（七）总计", variants=("（七）合计",), weak_variants=("总计", "合计"), group=RESULTS),
    Row("r4", "四、结转下年度继续办理", variants=("四、结转下年度继续办理数量",)),
)
T3_HEADER_LABELS = ("申请人情况", LEGAL_PERSON, *(c.label for c in T3_COLUMNS))


def t3_table(other_rows: tuple[Row, ...], group_labels: tuple[str, ...]) -> Table:
    return Table(
        key="t3",
        number="三",
        title="收到和处理政府信息公开申请情况",
        rows=(*T3_HEAD_ROWS, *other_rows, *T3_TAIL_ROWS),
        columns=T3_COLUMNS,
        note=T3_NOTE,
        group_labels=(RESULTS, REFUSED, UNABLE, NOT_PROCESSED, *group_labels),
        header_labels=T3_HEADER_LABELS,
        short_row_align="right",
        type_rule="T3-4",
        # 法人或其他组织 小计, after its five columns (spec §4.1: no such column officially).
        subtotal_label="小计",
        subtotal_after="other",
    )


def t3_result_rows(table: Table) -> tuple[str, ...]:
    """Keys of the leaf rows that add up to （七）总计 (the rows between r2 and t)."""
    keys = [r.key for r in table.rows]
    return tuple(keys[keys.index("r2") + 1 : keys.index("t")])


REVIEW = "行政复议"
SUIT = "行政诉讼"
DIRECT = "未经复议直接起诉"
AFTER = "复议后起诉"
_OUTCOMES = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
T4_COLUMNS = (
    *(Column(f"review_{k}", label, groups=(REVIEW,)) for k, label in _OUTCOMES),
    *(Column(f"direct_{k}", label, groups=(SUIT, DIRECT)) for k, label in _OUTCOMES),
    *(Column(f"after_{k}", label, groups=(SUIT, AFTER)) for k, label in _OUTCOMES),
)
T4 = Table(
    key="t4",
    number="四",
    title="政府信息公开行政复议、行政诉讼情况",
    # Table 四 has one data row and no row label; the key names the row in JSON and findings.
    rows=(Row("cases", "行政复议、行政诉讼案件数"),),
    columns=T4_COLUMNS,
    header_labels=(REVIEW, SUIT, DIRECT, AFTER, *(label for _, label in _OUTCOMES)),
    short_row_align="right",
    type_rule="T4-4",
)


def _t4_identity(n: int, prefix: str, name: str) -> Identity:
    return Identity(
        id=f"T4-{n}",
        table="t4",
        axis="row",
        lhs=(f"{prefix}_total",),
        rhs=tuple(f"{prefix}_{k}" for k, _ in _OUTCOMES[:-1]),
        severity="error",
        message=f"表四「{name}」的总计应等于结果维持、结果纠正、其他结果、尚未审结之和",
        source="inferred（表四的版式：总计列）",
    )


def common_identities(t3: Table) -> tuple[Identity, ...]:
    return (
        Identity(
            id="T3-1",
            table="t3",
            axis="column",
            lhs=("r1", "r2"),
            rhs=("t", "r4"),
            severity="error",
            message="表三每一列：第一项加第二项之和应等于第三项（总计）加第四项之和",
            source="表三左上角的注：本列数据的勾稽关系为第一项加第二项之和，等于第三项加第四项之和",
        ),
        Identity(
            id="T3-2",
            table="t3",
            axis="row",
            lhs=("total",),
            rhs=T3_APPLICANT_COLUMNS,
            severity="error",
            message="表三每一行：总计应等于自然人与五类法人或其他组织之和",
            source="inferred（表三的版式：总计列）",
        ),
        Identity(
            id="T3-3",
            table="t3",
            axis="column",
            lhs=("t",),
            rhs=t3_result_rows(t3),
            severity="error",
            message="表三每一列：（七）总计应等于（一）至（六）各项办理结果之和",
            source="inferred（表三的版式：（七）总计）",
        ),
        _t4_identity(1, "review", REVIEW),
        _t4_identity(2, "direct", f"{SUIT}·{DIRECT}"),
        _t4_identity(3, "after", f"{SUIT}·{AFTER}"),
    )


SECTIONS = (
    Section(1, "总体情况"),
    Section(2, "主动公开政府信息情况", variants=("主动公开政府信息的情况",)),
    Section(
        3,
        "收到和处理政府信息公开申请情况",
        variants=("收到和处理政府信息公开申请的情况",),
    ),
    Section(
        4,
        "政府信息公开行政复议、行政诉讼情况",
        variants=(
            "因政府信息公开工作被申请行政复议、提起行政诉讼的情况",
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议和行政诉讼情况",
        ),
    ),
    Section(
        5,
        "存在的主要问题及改进情况",
        variants=(
            "政府信息公开工作存在的主要问题及改进情况",
            "存在的主要问题和改进情况",
            "政府信息公开工作存在的主要问题和改进情况",
            "存在的问题及改进情况",
            "存在的主要问题及改进措施",
        ),
    ),
    Section(6, "其他需要报告的事项", variants=("其他需要报告的情况",)),
)


def carried_forward(prev_formats: tuple[str, ...]) -> Carry:
    """T3-6: this year's 上年结转 equals last year's 结转下年度, column by column."""
    return Carry(
        id="T3-6",
        table="t3",
        axis="column",
        lhs=(Term("cur", "r2"),),
        rhs=(Term("prev", "r4"),),
        prev_formats=prev_formats,
        severity="warning",
        message="表三：本年度“上年结转”应等于同一机关上一年度的“结转下年度继续办理”（逐列）",
        source="inferred（spec §4.2 T3-6：结转下年度即下一年度的上年结转；机构改革或统计口径"
        "变化时可能不同）",
    )
