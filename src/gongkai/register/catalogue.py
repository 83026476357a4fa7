"""The proactive-disclosure catalogue (政府信息公开目录, 条例 第十二条第三款): its vocabulary,
the validation of one item, the 索引号 rule, and the pre-publication review steps.

Pure Python (no Django, no clock). The web app (:mod:`gongkai.web.catalogue`) stores items;
the Excel/CSV import (:mod:`.catalogue_sheet`) reads them; both validate with
:func:`validate_item`, so a form and an imported row are held to the same rules. Table 二's
（一） rows are counted from items by :mod:`.table_two`.

Sources: 条例 第十二条 (目录: 索引、名称、内容概述、生成日期), 第二十条 (the 15 items, verbatim in
spec §10), 第二十四条 (检索、查阅、下载); 国务院办公厅秘书局《政府信息公开目录系统实施指引（试行）》
(2008: 索引号 = 前段码 organisation code / 后段码 year + serial, unique and never changed); a
local 编制规范 (文号 written 〔YYYY〕N号, 内容概述 ≤100 字, 公开属性). See ``docs/web.md``
§Catalogue and shared/docs/web.md §A4.
"""

from __future__ import annotations

import datetime as dt
import re
import string
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from .. import formats
from ..errors import GongkaiError
from ..workdays.datafile import format_date


class CatalogueError(GongkaiError):
    """A catalogue rule refused (a bad 索引号 rule, a review step out of order …)."""


# --- 条例 第二十条: the 15 items of proactive disclosure (spec §10, verbatim) -----------------


@dataclass(frozen=True, slots=True)
class Article20Item:
    key: str  # i1 … i15; the same keys as table 二's blocks (Block("i1", "第二十条第（一）项"))
    number: str  # （一）
    text: str

    @property
    def label(self) -> str:
        return f"第二十条第{self.number}项"


_NUMERALS = [
    "一",
    "二",
    "三",
    "四",
    "五",
    "六",
    "七",
    "八",
    "九",
    "十",
    "十一",
    "十二",
    "十三",
    "十四",
    "十五",
]
_ARTICLE_20_TEXT = (
    "行政法规、规章和规范性文件",
    "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    "国民经济和社会发展统计信息",
    "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    "财政预算、决算信息",
    "行政事业性收费项目及其依据、标准",
    "政府集中采购项目的目录、标准及实施情况",
    "重大建设项目的批准和实施情况",
    "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    "突发公共事件的应急预案、预警信息及应对情况",
    "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    "公务员招考的职位、名额、报考条件等事项以及录用结果",
    "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
)
ARTICLE_20: tuple[Article20Item, ...] = tuple(
    Article20Item(f"i{n}", f"（{_NUMERALS[n - 1]}）", text)
    for n, text in enumerate(_ARTICLE_20_TEXT, start=1)
)
ARTICLE_20_BY_KEY = {a.key: a for a in ARTICLE_20}
# The item of 第二十条 whose documents table 二's （一） rows count (行政法规、规章和规范性文件).
DOCUMENTS_ITEM = "i1"


# --- vocabularies -----------------------------------------------------------------------------


class DocKind(StrEnum):
    """What table 二 counts an item as. ``rules`` and ``normative`` are the row keys of table
    二's 第二十条第（一）项 block in both formats; their labels come from the format."""

    RULES = "rules"  # 规章
    NORMATIVE = "normative"  # 行政规范性文件 (2019 label: 规范性文件)
    OTHER = "other"


def kind_label(kind: DocKind | str) -> str:
    kind = DocKind(kind)
    if kind is DocKind.OTHER:
        return "其他文件"
    return formats.V2021.table("t2").row(kind.value).label


class Disclosure(StrEnum):
    """公开属性."""

    PROACTIVE = "proactive"
    ON_REQUEST = "on_request"
    WITHHELD = "withheld"


DISCLOSURE_LABELS = {
    Disclosure.PROACTIVE: "主动公开",
    Disclosure.ON_REQUEST: "依申请公开",
    Disclosure.WITHHELD: "不予公开",
}


class Validity(StrEnum):
    """有效性 of a 规章 or 行政规范性文件."""

    IN_FORCE = "in_force"
    AMENDED = "amended"
    REPEALED = "repealed"
    EXPIRED = "expired"


VALIDITY_LABELS = {
    Validity.IN_FORCE: "现行有效",
    Validity.AMENDED: "已修改",
    Validity.REPEALED: "已废止",
    Validity.EXPIRED: "已失效",
}
# Validities that end a document: they need the date it ended, and table 二 counts it as
# 废止 in that year (the 2021 column's own note words are 失效 and 废止).
ENDED = frozenset({Validity.REPEALED, Validity.EXPIRED})

# 主题分类: the top level used by the State Council's policy library (www.gov.cn); an
# organisation may add its own classes in a later version.
TOPICS = (
    "国务院组织机构",
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
)
# 体裁分类: the 15 文种 of《党政机关公文处理工作条例》(2012) 第八条, plus the forms 规章 and
# 规范性文件 usually take, and 其他.
GENRES = (
    "决议",
    "决定",
    "命令（令）",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
    "办法",
    "规定",
    "细则",
    "规划",
    "其他",
)

SUMMARY_MAX = 100  # 内容概述 ≤100 字 (local 编制规范, shared/docs/web.md §A4)
TITLE_MAX = 300


# --- 发文字号 ------------------------------------------------------------------------------

_DOC_NO = re.compile(r"^(?P<prefix>[^\s〔〕]+)〔(?P<year>\d{4})〕(?P<n>[1-9]\d*)号$")
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕"})
_PAREN_YEAR = re.compile(r"[（(](\d{4})[)）]")


def normalise_doc_no(text: str) -> str:
    """``示政办发[2024]3号`` → ``示政办发〔2024〕3号``: the brackets people type for 〔〕."""
    text = "".join(text.split()).translate(_BRACKETS)
    return _PAREN_YEAR.sub(r"〔\1〕", text)


def doc_no_problem(text: str) -> str | None:
    """Why ``text`` (already normalised) is not a 发文字号 ``××〔YYYY〕N号``; None if it is."""
    if _DOC_NO.match(text):
        return None
    return f"发文字号「{text}」格式不对：应写作 机关代字〔年份〕序号号，如 示政办发〔2024〕3号"


# --- one item ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ItemData:
    """The officer-entered fields of one catalogue item (the 索引号 is generated, not entered)."""

    title: str
    written: dt.date | None  # 成文日期 (the 生成日期 of 条例 第十二条)
    topic: str
    genre: str
    kind: DocKind
    article20: str  # a key of ARTICLE_20_BY_KEY
    disclosure: Disclosure
    summary: str = ""
    doc_no: str = ""
    published: dt.date | None = None  # 发布日期
    publisher: str = ""  # 发布机构
    validity: Validity | None = None
    effective: dt.date | None = None  # 施行日期
    ended: dt.date | None = None  # 废止或失效日期
    url: str = ""


@dataclass(frozen=True, slots=True)
class Problem:
    field: str  # an ItemData field name
    message: str


def validate_item(item: ItemData) -> list[Problem]:
    """Every rule an item breaks, each with its field, in Chinese. Empty: the item is valid."""
    out: list[Problem] = []

    def bad(field: str, message: str) -> None:
        out.append(Problem(field, message))

    if not item.title.strip():
        bad("title", "请填写名称")
    elif len(item.title) > TITLE_MAX:
        bad("title", f"名称不超过{TITLE_MAX}字")
    if len(item.summary) > SUMMARY_MAX:
        bad("summary", f"内容概述不超过{SUMMARY_MAX}字（现有{len(item.summary)}字）")
    if item.written is None:
        bad("written", "请填写成文日期")
    if item.topic not in TOPICS:
        bad("topic", f"未知的主题分类「{item.topic}」")
    if item.genre not in GENRES:
        bad("genre", f"未知的体裁分类「{item.genre}」")
    if item.article20 not in ARTICLE_20_BY_KEY:
        bad("article20", f"未知的《条例》第二十条事项「{item.article20}」")
    if item.doc_no and (problem := doc_no_problem(item.doc_no)):
        bad("doc_no", problem)
    for field, name, limit in (
        ("doc_no", "发文字号", 60),
        ("publisher", "发布机构", 200),
        ("url", "原文链接", 500),
    ):
        if len(getattr(item, field)) > limit:
            bad(field, f"{name}不超过{limit}字")
    if item.url and not item.url.lower().startswith(("http://", "https://")):
        bad("url", "原文链接应以 http:// 或 https:// 开头")
    if item.written and item.published and item.published < item.written:
        bad(
            "published",
            f"发布日期 {format_date(item.published)} 早于成文日期 {format_date(item.written)}",
        )
    if item.kind in (DocKind.RULES, DocKind.NORMATIVE):
        _document_problems(item, bad)
    else:
        for field, name in (
            ("validity", "有效性"),
            ("effective", "施行日期"),
            ("ended", "废止或失效日期"),
        ):
            if getattr(item, field):
                bad(field, f"只有规章和行政规范性文件填写{name}")
    return out


def _document_problems(item: ItemData, bad: Callable[[str, str], None]) -> None:
    label = kind_label(item.kind)
    if item.article20 != DOCUMENTS_ITEM:
        bad("article20", f"{label}属于《条例》第二十条第（一）项（行政法规、规章和规范性文件）")
    if item.disclosure is not Disclosure.PROACTIVE:
        bad(
            "disclosure",
            f"{label}应当主动公开（《条例》第二十条第（一）项；"
            "未经公开发布的行政规范性文件不得作为行政管理依据，国办发〔2018〕37号）",
        )
    if item.validity is None:
        bad("validity", f"{label}须填写有效性（现行有效、已修改、已废止或已失效）")
        return
    if item.validity in ENDED:
        word = VALIDITY_LABELS[item.validity].removeprefix("已")
        if item.ended is None:
            bad("ended", f"有效性为{VALIDITY_LABELS[item.validity]}，须填写{word}日期")
        else:
            for date, name in ((item.written, "成文日期"), (item.effective, "施行日期")):
                if date is not None and item.ended < date:
                    bad(
                        "ended",
                        f"{word}日期 {format_date(item.ended)} 早于{name} {format_date(date)}",
                    )
                    break
    elif item.ended is not None:
        bad(
            "ended",
            f"有效性为{VALIDITY_LABELS[item.validity]}，不应有废止或失效日期"
            "（已废止或已失效的，请把有效性改为已废止或已失效）",
        )


# --- 统一社会信用代码 / 组织机构代码 and the 索引号 rule ------------------------------------

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, Z, S, V
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997


def uscc_ok(code: str) -> bool:
    """An 18-character 统一社会信用代码 with a correct check character (GB 32100-2015)."""
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(code, _USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


def org_code_ok(code: str) -> bool:
    """A 组织机构代码 ``XXXXXXXX-X`` with a correct check character (GB 11714-1997)."""
    body, _, check = code.partition("-")
    if not check:
        body, check = code[:-1], code[-1:]
    if len(body) != 8 or len(check) != 1 or not body.isascii() or not body.isalnum():
        return False
    total = sum(int(c, 36) * w for c, w in zip(body.upper(), _ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return check.upper() == {10: "X", 11: "0"}.get(value, str(value))


def code_problem(code: str) -> str | None:
    """Why ``code`` is neither a 统一社会信用代码 nor a 组织机构代码; None if it is one."""
    if len(code) == 18:
        return None if uscc_ok(code) else "统一社会信用代码的校验位不对，或含有不允许的字符"
    if org_code_ok(code):
        return None
    return "应为18位统一社会信用代码或9位组织机构代码（如 12345678-9），校验位须正确"


DEFAULT_RULE = "{code}/{year}-{serial:05d}"
RULE_FIELDS = {
    "code": "机构代码（前段码）",
    "year": "成文年份",
    "month": "成文月份",
    "serial": "流水号",
}


def rule_problem(rule: str) -> str | None:
    """Why ``rule`` cannot number a catalogue; None if it can.

    A rule is a Python format string over :data:`RULE_FIELDS`. It must contain ``{year}`` and
    ``{serial}``: the counter runs per organisation and year, so a rule without the year would
    issue the same number twice.
    """
    try:
        parts = list(string.Formatter().parse(rule))
    except ValueError:
        return "规则的花括号不成对"
    names = {name for _, name, _, _ in parts if name is not None}
    unknown = names - set(RULE_FIELDS)
    if unknown or "" in names:
        allowed = "、".join(f"{{{k}}}（{v}）" for k, v in RULE_FIELDS.items())
        return f"规则中有未知的字段 {'、'.join(sorted(unknown)) or '{}'}；可用：{allowed}"
    if not {"year", "serial"} <= names:
        return "规则须包含 {year} 和 {serial}：流水号按年度编排，没有年份会产生重复的索引号"
    try:
        format_index(rule, "X", dt.date(2024, 1, 1), 1)
    except (ValueError, TypeError):
        return "规则的格式说明不对（流水号可写作 {serial:05d}，月份可写作 {month:02d}）"
    return None


def format_index(rule: str, code: str, written: dt.date, serial: int) -> str:
    """The 索引号 ``rule`` gives the ``serial``-th item of ``written``'s year."""
    return rule.format(code=code, year=written.year, month=written.month, serial=serial)


# --- the pre-publication review (内容审核 → 保密审查 → 发布) --------------------------------


class ReviewState(StrEnum):
    DRAFT = "draft"
    CONTENT_OK = "content_ok"
    SECRECY_OK = "secrecy_ok"
    PUBLISHED = "published"


class ReviewStep(StrEnum):
    CONTENT = "content"
    SECRECY = "secrecy"
    PUBLISH = "publish"


STATE_LABELS = {
    ReviewState.DRAFT: "待审核",
    ReviewState.CONTENT_OK: "已内容审核",
    ReviewState.SECRECY_OK: "已保密审查，待发布",
    ReviewState.PUBLISHED: "已发布",
}
STEP_LABELS = {
    ReviewStep.CONTENT: "内容审核",
    ReviewStep.SECRECY: "保密审查",
    ReviewStep.PUBLISH: "发布",
}
# The transition table: the state a step starts from, and the state it leads to.
REVIEW_STEPS: dict[ReviewStep, tuple[ReviewState, ReviewState]] = {
    ReviewStep.CONTENT: (ReviewState.DRAFT, ReviewState.CONTENT_OK),
    ReviewStep.SECRECY: (ReviewState.CONTENT_OK, ReviewState.SECRECY_OK),
    ReviewStep.PUBLISH: (ReviewState.SECRECY_OK, ReviewState.PUBLISHED),
}
# Fields a published item may still change without a new review: its validity changes when a
# document is amended, repealed or expires, and the catalogue must say so (条例 第五十三条（二）
# treats a catalogue not kept up to date as a violation).
VALIDITY_FIELDS = ("validity", "effective", "ended")


def next_state(state: ReviewState, step: ReviewStep, disclosure: Disclosure) -> ReviewState:
    """The state after ``step``; raises :class:`CatalogueError` when the step is out of order.

    发布 needs both 内容审核 and 保密审查 (保密审查 before publication: 条例 第十七条). An item
    that is not 主动公开 is reviewed but never published in the catalogue's public view.
    """
    start, end = REVIEW_STEPS[step]
    if state is not start:
        if step is ReviewStep.PUBLISH:
            missing = [
                STEP_LABELS[s]
                for s, (_, done) in REVIEW_STEPS.items()
                if s is not ReviewStep.PUBLISH and _order(state) < _order(done)
            ]
            if state is ReviewState.PUBLISHED:
                raise CatalogueError("该条目已经发布")
            raise CatalogueError(
                f"未完成{'和'.join(missing)}，不能发布（《条例》第十七条：公开前依法依规进行审查）"
            )
        raise CatalogueError(
            f"当前状态为「{STATE_LABELS[state]}」，不能进行{STEP_LABELS[step]}"
            f"（顺序：内容审核 → 保密审查 → 发布）"
        )
    if step is ReviewStep.PUBLISH and disclosure is not Disclosure.PROACTIVE:
        raise CatalogueError(f"公开属性为{DISCLOSURE_LABELS[disclosure]}的条目不在目录中对外发布")
    return end


def _order(state: ReviewState) -> int:
    return list(ReviewState).index(state)


__all__ = [
    "ARTICLE_20",
    "ARTICLE_20_BY_KEY",
    "DEFAULT_RULE",
    "DISCLOSURE_LABELS",
    "DOCUMENTS_ITEM",
    "ENDED",
    "GENRES",
    "REVIEW_STEPS",
    "STATE_LABELS",
    "STEP_LABELS",
    "TOPICS",
    "VALIDITY_FIELDS",
    "VALIDITY_LABELS",
    "Article20Item",
    "CatalogueError",
    "Disclosure",
    "DocKind",
    "ItemData",
    "Problem",
    "ReviewState",
    "ReviewStep",
    "Validity",
    "code_problem",
    "doc_no_problem",
    "format_index",
    "kind_label",
    "next_state",
    "normalise_doc_no",
    "org_code_ok",
    "rule_problem",
    "uscc_ok",
    "validate_item",
]
