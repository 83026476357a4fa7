"""The registry of every rule the checker applies that is not an identity of a format.

Identities (T3-1, T4-2 …) are data in :mod:`gongkai.formats`: each carries its own id, severity,
description and source. Everything else the checker can say is registered here once, with its
severity, a Chinese description for ``docs/rules.md``, the source it rests on and the Chinese
message template its findings use. :func:`all_rules` merges both, and a test holds
``docs/rules.md`` to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import formats
from ..report import Location
from .finding import CellRef, Finding, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    description: str  # Chinese, one line, for docs/rules.md
    source: str
    template: str = ""  # Chinese message; str.format fields are filled by the rule's code
    group: str = ""  # the heading of docs/rules.md the rule is listed under

    def finding(
        self,
        *,
        cells: list[CellRef] | None = None,
        location: Location | None = None,
        **fields: Any,
    ) -> Finding:
        return Finding(
            rule=self.id,
            severity=self.severity,
            message=self.template.format(**fields),
            source=self.source,
            cells=cells or [],
            location=location,
        )


CELLS = "单元格"
COMPLETE = "表格完整性"
SOFT = "合理性"
NARRATIVE = "文字与表格"
ENGINE = "检查程序"
IDENTITIES = "勾稽关系"

# The message used for a cell of the wrong type; the rule id is the table's ``type_rule``
# (T2-1, T3-4, T4-4), whose severity and source are registered below.
TYPE_TEMPLATE = "表{number}「{row}」「{column}」：{problem}"

_RULES = (
    Rule(
        "T0-1",
        "warning",
        "表头之外多出的单元格：保留但不计入任何勾稽关系",
        "版式（表头的列数）",
        "表{number}「{row}」：表头只有{columns}列，却多出{count}个值（{raws}），多出的值未计入",
        CELLS,
    ),
    Rule(
        "T0-2",
        "error",
        "表格不完整：缺少错误级勾稽关系用到的表或行，或某条这样的勾稽关系涉及的单元格全部缺失"
        "（表格可能在中途被截断）；缺失的不是空白单元格",
        "inferred（空白单元格写明为空，缺失的单元格原文中不存在；勾稽关系无法在缺失的数值上核对）",
        "表{number}{detail}",
        COMPLETE,
    ),
    Rule(
        "T0-4",
        "warning",
        "表格不完整：缺少的表或行只用于警告级勾稽关系或不在任何勾稽关系中，"
        "或一行的单元格少于表头的列数（按对齐方式读取，缺少的单元格在勾稽关系中按0计）",
        "版式（表头的列数、官方格式的行）",
        "表{number}{detail}",
        COMPLETE,
    ),
    Rule(
        "T0-3",
        "error",
        "同一张表出现两次且数值不同：采用第一份的数值，第二份中不同的数值列入本条",
        "inferred（一份报告的一张表只能有一组数值）",
        "表{number}出现两次，第二份（{where}）与第一份有{count}处数值不同：{diffs}；"
        "采用第一份的数值，请核对哪一份正确",
        COMPLETE,
    ),
    Rule(
        "T0-3b",
        "info",
        "同一张表出现两次，两份数值相同：采用第一份",
        "inferred（重复粘贴的表格）",
        "表{number}出现两次，第二份（{where}）与第一份数值相同；采用第一份",
        COMPLETE,
    ),
    Rule(
        "T2-1",
        "error",
        "表二：件数为非负整数，本年增/减为整数，金额为非负数；无法读作数字的单元格",
        "inferred（表二的版式与计量单位）",
        TYPE_TEMPLATE,
        CELLS,
    ),
    Rule(
        "T3-4",
        "error",
        "表三：每个单元格都是非负整数（件）；无法读作数字的单元格",
        "inferred（表三按件计数）",
        TYPE_TEMPLATE,
        CELLS,
    ),
    Rule(
        "T4-4",
        "error",
        "表四：15个单元格都是非负整数（件）；无法读作数字的单元格",
        "inferred（表四按件计数）",
        TYPE_TEMPLATE,
        CELLS,
    ),
    Rule(
        "C-1",
        "info",
        "单元格写作“/”或“-”：按0计入勾稽关系，但与写明的0不同",
        "inferred（空白、“/”、“-”按0计，见 spec §4.1）",
        "表{number}有{count}个单元格写作“/”或“-”，按0计算：{where}",
        CELLS,
    ),
    Rule(
        "C-2",
        "warning",
        "2019 格式「采购总金额」既未在单元格中写单位，表头也未注明单位（万元或元）",
        "版式（2019 格式的「采购总金额」表头不带单位，见 spec §3.2）",
        "表{number}「{row}」「{column}」：{value}未写单位，表头也未注明万元或元，按万元理解",
        CELLS,
    ),
    Rule(
        "T3-7",
        "info",
        "表三：结转下年度继续办理的件数大于本年新收申请数，少见，请核对",
        "inferred（答复期限为20个工作日，最多延长20个工作日，条例第三十三条）",
        "表三「{r4}」总计为{r4_total}，大于「{r1}」总计{r1_total}；年底仍在办理的申请通常"
        "只是年末收到的少数，请核对",
        SOFT,
    ),
    Rule(
        "T3-8",
        "warning",
        "2021 格式：表三有“逾期未按收费通知要求缴纳费用”的申请，但“其他需要报告的事项”"
        "没有提到收费或信息处理费",
        "inferred（条例第四十二条；国办函〔2020〕109号；2021 格式第六部分）",
        "表三「{row}」总计为{value}，说明发出过收费通知，但{where}没有提到收费或信息处理费",
        SOFT,
    ),
    Rule(
        "X-1",
        "warning",
        "文字所述收到的政府信息公开申请件数，应等于表三第一项总计（或第一项加第二项）",
        "inferred（spec §6 X-1；种子报告 003、004）",
        "文字“{quote}”称收到申请{stated}件，但表三第一项总计为{r1}（第一项加第二项为{r1r2}）",
        NARRATIVE,
    ),
    Rule(
        "X-2",
        "warning",
        "文字称未发生行政复议或行政诉讼，表四相应各栏应全为0",
        "inferred（spec §6 X-2；种子报告 002）",
        "文字“{quote}”称未发生{what}，但表四{found}",
        NARRATIVE,
    ),
    Rule(
        "X-3",
        "warning",
        "文字所述政府信息公开行政复议件数，应等于表四行政复议总计",
        "inferred（spec §6 X-3；种子报告 003）",
        "文字“{quote}”称行政复议{stated}件，但表四行政复议「{column}」为{value}",
        NARRATIVE,
    ),
    Rule(
        "X-4",
        "warning",
        "文字称行政复议未被纠错（或行政诉讼未败诉），表四相应的「结果纠正」应为0",
        "inferred（spec §6 X-4；种子报告 004）",
        "文字“{quote}”表明{what}，但表四{found}",
        NARRATIVE,
    ),
    Rule(
        "X-6",
        "warning",
        "文字称收取了信息处理费，表三却既无新收申请也无上年结转申请",
        "inferred（条例第四十二条：信息处理费只因申请而收取）",
        "文字“{quote}”称收取信息处理费{amount}，但表三第一项、第二项总计均为0",
        NARRATIVE,
    ),
    Rule(
        "X-7",
        "warning",
        "报告年度前后一致：标题年度、统计期限的年度相同，落款日期在报告年度的次年",
        "条例第四十九条（次年1月31日或3月31日前公布）；spec §6 X-7",
        "报告年度不一致：{detail}",
        NARRATIVE,
    ),
    Rule(
        "X-7b",
        "info",
        "落款日期晚于法定公布期限（部门为次年1月31日，人民政府为次年3月31日）",
        "条例第四十九条",
        "落款日期为{date}，晚于{who}的法定期限{deadline}（条例第四十九条）",
        NARRATIVE,
    ),
    Rule(
        "X-8",
        "info",
        "文字所述制发的规章、规范性文件件数与表二不同（文字口径常更宽，仅供参考）",
        "inferred（spec §6 X-8；种子报告 004）",
        "文字“{quote}”称{what}{stated}件，表二「{row}」为{values}；文字口径可能更宽，仅供参考",
        NARRATIVE,
    ),
    Rule(
        "X-9",
        "warning",
        "文字中“共N件，其中A件、B件……”的各分项之和不等于所述总数",
        "inferred（文字自身的算术）",
        "文字“{quote}”：分项{parts}={total_parts}，与所述总数{total}不符，相差{diff}"
        "（如各分项有交叉或未列全，请在文字中说明）",
        NARRATIVE,
    ),
    Rule(
        "CHK-1",
        "warning",
        "报告注明的年报格式未知：表格与文字均未检查",
        "检查程序自身（gongkai.formats 中的格式）",
        "{error}；表格与文字均未检查",
        ENGINE,
    ),
    Rule(
        "CHK-0",
        "info",
        "检查规则执行出错：该规则未能完成，其余规则照常执行（请报告此问题）",
        "检查程序自身",
        "检查规则执行出错（{rule}）：{error}",
        ENGINE,
    ),
)

RULES: dict[str, Rule] = {r.id: r for r in _RULES}

# Rules of spec §3–§6 the checker deliberately does not apply to a single report, with why.
# Rules of the spec that no code applies (the cross-year rules T2-2, T2-3, T2-5 and T3-6 need
# two reports and are applied by gongkai.batch).
NOT_CHECKED: dict[str, str] = {
    "T2-6": "表二的行政事业性收费金额不是第六部分的信息处理费，二者不作比较",
    "T3-5": "每件申请只计入一种办理结果：语义规则，无法从表格数字核对",
    "T3-9": "“无正当理由大量反复申请”与条例第三十五条的关系只是说明，不构成不一致",
    "T4-5": "行政复议与复议后起诉之间、表四与表三之间没有必然的数量关系",
    "T4-6": "尚未审结的案件可能在下一年度再次出现：跨年度",
    "X-5": "“全部如期答复”无法从表格核对",
}


def get(rule_id: str) -> Rule:
    return RULES[rule_id]


def all_rules() -> dict[str, Rule]:
    """Every rule id the checker can emit: the registry plus the identities of every format.

    An identity id shared by several formats (T3-3 differs in its rows between 2019 and 2021)
    is one rule; its severity must agree, which a test checks.
    """
    merged = dict(RULES)
    for fmt in formats.FORMATS.values():
        for ident in fmt.identities:
            merged.setdefault(
                ident.id,
                Rule(ident.id, ident.severity, ident.message, ident.source, group=IDENTITIES),
            )
    return merged


# Parse warnings that a rule already reports as a finding: shown once, as the finding.
WARNINGS_REPORTED_AS: dict[str, str] = {
    "surplus-cells": "T0-1",
    "missing-row": "T0-2",  # or T0-4, by the identities the rows take part in
    "missing-table": "T0-2",
    "missing-cells": "T0-2",  # or T0-4
    "repeated-table": "T0-3",  # or T0-3b when the copies agree
}
