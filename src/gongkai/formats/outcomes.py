"""How a disclosure application ended, and the row of table 三 it is counted in (spec §4.3).

This is data, like the formats themselves: each :class:`Outcome` names one way an application
can end (a reply category of 条例第三十六条 and its companions, or a way the case closed
without a reply), the article it rests on, and for every format the leaf row of table 三
where it is counted. The register counts a concluded application in exactly one row (T3-5:
区分处理的只计部分公开); the ledger's dropdown and the ledger reader take their labels from
here, so no outcome label is written anywhere else.

Several outcomes may share one row (已主动公开 and 可以公开 are both （一）予以公开; 经检索没有
and 不属于本机关负责公开 are both 1.本机关不掌握相关政府信息): they are different replies with
different articles, counted together by the official table.

Withdrawn applications (申请人撤回申请) are counted under （六）其他处理 — ``f3`` 3.其他 in the
2021 format, ``f`` in the 2019 format. Reason: the application was received and counted in
一、本年新收 (or 二、上年结转), so identity T3-1 (第一项加第二项之和等于第三项加第四项之和)
needs it either among the year's results or carried forward; a withdrawn application is no
longer being handled, so it is not 结转下年度继续办理, and among the results only 其他处理
fits (it is not a disclosure, a refusal, an impossibility or a 不予处理 decision). Leaving it
out of the table would break T3-1. Published reports that mention withdrawals count them
there too.
"""

from __future__ import annotations

from dataclasses import dataclass

from ._common import NOT_PROCESSED, OTHER, REFUSED, UNABLE


@dataclass(frozen=True, slots=True)
class Outcome:
    key: str  # stable ASCII key, stored in the register and in JSON
    label: str  # Chinese label shown to officers (ledger dropdown, CLI)
    article: str | None  # the 条例 article (or other source) the reply rests on, if any
    rows: dict[str, str]  # format key -> leaf row key of table 三
    # How the case closes: "answer" is a reply (答复); the others are reached through their
    # own event (逾期不补正, 逾期未缴费, 撤回), never through an answer.
    closes_by: str = "answer"
    variants: tuple[str, ...] = ()  # other spellings accepted when reading a ledger

    def row(self, format_key: str) -> str:
        try:
            return self.rows[format_key]
        except KeyError:
            raise KeyError(f"办理结果「{self.label}」没有对应{format_key}格式的表三行") from None


def _both(row: str) -> dict[str, str]:
    return {"2019": row, "2021": row}


_FEE = "国办函〔2020〕109号《政府信息公开信息处理费管理办法》"

OUTCOMES: tuple[Outcome, ...] = (
    Outcome(
        "already_public",
        "予以公开（已主动公开，告知获取方式）",
        "《条例》第三十六条第（一）项",
        _both("a"),
        variants=("已主动公开",),
    ),
    Outcome(
        "disclosed",
        "予以公开",
        "《条例》第三十六条第（二）项",
        _both("a"),
        variants=("公开", "同意公开"),
    ),
    Outcome("partial", "部分公开", "《条例》第三十七条", _both("b"), variants=("区分处理",)),
    Outcome("state_secret", "不予公开：属于国家秘密", "《条例》第十四条", _both("c1")),
    Outcome(
        "prohibited_by_law",
        "不予公开：其他法律行政法规禁止公开",
        "《条例》第十四条",
        _both("c2"),
    ),
    Outcome(
        "three_safeties",
        "不予公开：危及“三安全一稳定”",
        "《条例》第十四条",
        _both("c3"),
        variants=('不予公开：危及"三安全一稳定"', "不予公开：危及三安全一稳定"),
    ),
    Outcome(
        "third_party",
        "不予公开：保护第三方合法权益",
        "《条例》第十五条",
        _both("c4"),
    ),
    Outcome(
        "internal_affairs",
        "不予公开：属于三类内部事务信息",
        "《条例》第十六条第一款",
        _both("c5"),
    ),
    Outcome(
        "process_info",
        "不予公开：属于四类过程性信息",
        "《条例》第十六条第二款",
        _both("c6"),
    ),
    Outcome(
        "enforcement_file",
        "不予公开：属于行政执法案卷",
        "《条例》第十六条第二款",
        _both("c7"),
    ),
    Outcome(
        "query_matter",
        "不予公开：属于行政查询事项",
        "《条例》第三十六条第（七）项",
        _both("c8"),
    ),
    Outcome(
        "not_held",
        "无法提供：本机关不掌握相关政府信息",
        "《条例》第三十六条第（四）项",
        _both("d1"),
        variants=("无法提供：经检索没有所申请公开的信息",),
    ),
    Outcome(
        "not_responsible",
        "无法提供：不属于本机关负责公开（告知负责机关）",
        "《条例》第三十六条第（五）项",
        _both("d1"),
    ),
    Outcome(
        "needs_creation",
        "无法提供：没有现成信息需要另行制作",
        "《条例》第三十八条",
        _both("d2"),
    ),
    Outcome(
        "unclear_after_supplement",
        "无法提供：补正后申请内容仍不明确",
        "《条例》第三十条",
        _both("d3"),
    ),
    Outcome(
        "petition",
        "不予处理：信访举报投诉类申请",
        "《条例》第三十九条第一款",
        _both("e1"),
    ),
    Outcome("repeated", "不予处理：重复申请", "《条例》第三十六条第（六）项", _both("e2")),
    Outcome(
        "publication",
        "不予处理：要求提供公开出版物",
        "《条例》第三十九条第二款",
        _both("e3"),
    ),
    Outcome(
        "excessive",
        "不予处理：无正当理由大量反复申请",
        "《条例》第三十五条",
        _both("e4"),
    ),
    Outcome(
        "confirm_or_reissue",
        "不予处理：要求行政机关确认或重新出具已获取信息",
        None,  # the official table names it; no article of the 条例 does (spec §4.3)
        _both("e5"),
    ),
    Outcome(
        "no_supplement",
        "其他处理：申请人无正当理由逾期不补正",
        "《条例》第三十条",
        {"2019": "f", "2021": "f1"},
        closes_by="supplement_overdue",
        variants=("逾期不补正",),
    ),
    Outcome(
        "fee_unpaid",
        "其他处理：申请人逾期未按收费通知要求缴纳费用",
        f"《条例》第四十二条；{_FEE}",
        {"2019": "f", "2021": "f2"},
        closes_by="fee_not_paid",
        variants=("逾期未缴费",),
    ),
    Outcome(
        "withdrawn",
        "其他处理：申请人撤回申请",
        None,
        {"2019": "f", "2021": "f3"},
        closes_by="withdrawn",
        variants=("撤回申请", "撤回"),
    ),
    Outcome("other", "其他处理：其他", None, {"2019": "f", "2021": "f3"}, variants=("其他",)),
)

# Each label starts with the short name of its group in table 三 (a test holds them together).
GROUP_OF_PREFIX = {
    "不予公开": REFUSED,
    "无法提供": UNABLE,
    "不予处理": NOT_PROCESSED,
    "其他处理": OTHER,
}

BY_KEY: dict[str, Outcome] = {o.key: o for o in OUTCOMES}


def get(key: str) -> Outcome:
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"未知的办理结果：{key!r}") from None


def _norm(text: str) -> str:
    # Officers type with either colon and stray spaces; the label is matched without them.
    return "".join(text.split()).replace(":", "：").replace("(", "（").replace(")", "）")


_BY_LABEL: dict[str, Outcome] = {}
for _o in OUTCOMES:
    for _text in (_o.label, *_o.variants):
        _BY_LABEL.setdefault(_norm(_text), _o)


def by_label(text: str) -> Outcome | None:
    """The outcome whose label (or a known variant) is ``text``; None if there is none."""
    return _BY_LABEL.get(_norm(text))


def row_of(outcome: str | Outcome, format_key: str) -> str:
    """The leaf row key of table 三 where ``outcome`` is counted in format ``format_key``."""
    return (get(outcome) if isinstance(outcome, str) else outcome).row(format_key)


__all__ = ["BY_KEY", "GROUP_OF_PREFIX", "OUTCOMES", "Outcome", "by_label", "get", "row_of"]
