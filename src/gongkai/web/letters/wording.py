"""The wording of the letters: dated data in ``wording/*.toml``, loaded once and validated.

Every entry has a ``key`` — ``letter.<kind>`` (title, cited articles, paragraphs),
``ground.<outcome>`` (the decision sentence of a 答复书) or ``remedy.<route>`` (the 救济
sentence) —, a ``valid_from`` date and an optional ``valid_to`` (inclusive; absent = still in
force), and a ``source``. A letter takes, for each piece, the one entry of that key in force
on the letter's date; a date no entry covers is an error, never a fallback to the nearest
wording. Placeholders (``{received}``) name the facts of :data:`FACTS` and nothing else; they
are filled in Python, so no template syntax reaches the DOCX.

Pure Python (no Django): the loader and the checks run in the tests without a database.
"""

from __future__ import annotations

import datetime as dt
import itertools
import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from gongkai.errors import GongkaiError
from gongkai.formats import outcomes
from gongkai.workdays.datafile import format_date

from .kinds import LetterKind

WORDING_DIR = Path(__file__).with_name("wording")

# The facts a wording may name, with what they are (docs/web.md lists them too).
FACTS: dict[str, str] = {
    "org": "出具文书的机关名称",
    "number": "文号",
    "date": "文书日期（即事件日期）",
    "case_number": "登记号",
    "applicant": "申请人姓名或名称",
    "received": "收到申请之日（《条例》第三十一条）",
    "channel": "提交方式",
    "description": "所需信息的名称、文号或特征性描述",
    "form": "获取方式",
    "due": "答复期限（由 gongkai.register 计算）",
    "reply_days": "答复期限的工作日数（《条例》第三十三条）",
    "note": "事件的说明（补正事项、延期理由、负责机关等；空则留出填写横线）",
    "days": "延长的工作日数",
    "until": "告知的延迟答复期限（《条例》第三十五条）",
    "amount": "收费金额（元）",
    "fee_basis": "收费依据（国办函〔2020〕109号）",
    "payment_days": "缴费期限的工作日数",
    "payment": "缴费方式（文书设置）",
    "consult_days": "征求意见期限的工作日数（《条例》第三十二条、第三十四条）",
    "consult_due": "自征求意见书发出之日起算的征求意见期限届满日",
    "supplement_requested": "告知补正之日",
    "supplement_received": "收到补正之日",
    "article": "办理结果所依据的条款（gongkai.formats.outcomes）",
    "outcome": "办理结果",
    "ground": "答复理由（ground.<办理结果> 措辞）",
    "review_body": "行政复议机关（文书设置）",
    "superior_body": "上一级主管部门或上一级人民政府（文书设置）",
}

FAMILIES = ("letter", "ground", "remedy")
ROUTES = ("department", "vertical", "government")
_FIELDS = {"key", "valid_from", "valid_to", "source", "title", "articles", "paragraphs", "text"}
_NEEDS = {
    "letter": ("title", "articles", "paragraphs"),
    "ground": ("text",),
    "remedy": ("text",),
}


class WordingError(GongkaiError):
    """Wording data that cannot be used (malformed file, overlapping entries, a placeholder
    that names no fact) or a date no entry covers. The message is Chinese and names the place."""


@dataclass(frozen=True)
class Entry:
    key: str
    valid_from: dt.date
    valid_to: dt.date | None
    source: str
    where: str  # file and entry number, for messages
    title: str = ""
    articles: tuple[str, ...] = ()
    paragraphs: tuple[str, ...] = ()
    text: str = ""

    @property
    def id(self) -> str:
        """A stable name of this wording, stored with each letter that used it."""
        return f"{self.key}@{self.valid_from.isoformat()}"

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def span(self) -> str:
        end = format_date(self.valid_to) if self.valid_to else "现在"
        return f"{format_date(self.valid_from)}至{end}"


@dataclass(frozen=True)
class Wording:
    entries: dict[str, tuple[Entry, ...]] = field(default_factory=dict)

    def choose(self, key: str, day: dt.date) -> Entry:
        """The entry of ``key`` in force on ``day``; :class:`WordingError` if none is."""
        found = [e for e in self.entries.get(key, ()) if e.covers(day)]
        if not found:
            spans = "、".join(e.span() for e in self.entries.get(key, ())) or "无"
            raise WordingError(
                f"没有适用于{format_date(day)}的文书措辞「{key}」（现有措辞的适用期间：{spans}），"
                "未出具文书；请在 letters/wording/ 中补充该期间的措辞"
            )
        return found[0]  # validated: entries of one key never overlap

    def keys(self) -> list[str]:
        return sorted(self.entries)


def placeholders(text: str) -> list[str]:
    """The fact names a wording text uses."""
    names = []
    for _, name, spec, conv in string.Formatter().parse(text):
        if name is None:
            continue
        if spec or conv:
            raise ValueError(f"占位符「{{{name}}}」不能带格式或转换")
        names.append(name)
    return names


def fill(text: str, facts: Mapping[str, str]) -> str:
    """``text`` with its placeholders replaced by the facts (all validated to exist)."""
    return text.format_map(facts)


def _date(value: Any, where: str, name: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    raise WordingError(f"{where}：{name} 应为日期（如 2024-01-01，不加引号），得到 {value!r}")


def _text(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise WordingError(f"{where}：{name} 应为非空文字，得到 {value!r}")
    if "{{" in value or "}}" in value or "{%" in value:
        raise WordingError(f"{where}：{name} 不能含模板语法（{{{{、}}}}、{{%）")
    try:
        unknown = [n for n in placeholders(value) if n not in FACTS]
    except ValueError as e:
        raise WordingError(f"{where}：{name} {e}") from None
    if unknown:
        raise WordingError(
            f"{where}：{name} 中的占位符 {'、'.join('{' + n + '}' for n in unknown)} "
            "不是已知的事实（见 gongkai.web.letters.wording.FACTS）"
        )
    return value


def _texts(value: Any, where: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise WordingError(f"{where}：{name} 应为非空的文字列表")
    return tuple(_text(v, where, f"{name}[{i}]") for i, v in enumerate(value, 1))


def _valid_key(key: str, where: str) -> None:
    family, _, name = key.partition(".")
    known: Iterable[str]
    if family == "letter":
        known = [k.value for k in LetterKind]
    elif family == "ground":
        known = [o.key for o in outcomes.OUTCOMES if o.closes_by == "answer"]
    elif family == "remedy":
        known = ROUTES
    else:
        raise WordingError(f"{where}：key「{key}」应以 {'、'.join(FAMILIES)} 之一加“.”开头")
    if name not in known:
        raise WordingError(f"{where}：key「{key}」中的「{name}」不是已知的名称")


def entry(raw: Any, where: str) -> Entry:
    """One validated entry of a wording file."""
    if not isinstance(raw, dict):
        raise WordingError(f"{where}：应为一个表（[[entry]]）")
    extra = sorted(set(raw) - _FIELDS)
    if extra:
        raise WordingError(f"{where}：未知的字段 {'、'.join(extra)}")
    key = raw.get("key")
    if not isinstance(key, str):
        raise WordingError(f"{where}：缺少 key")
    where = f"{where}「{key}」"
    _valid_key(key, where)
    family = key.partition(".")[0]
    for name in _NEEDS[family]:
        if name not in raw:
            raise WordingError(f"{where}：缺少 {name}")
    start = _date(raw.get("valid_from"), where, "valid_from")
    end = _date(raw["valid_to"], where, "valid_to") if "valid_to" in raw else None
    if end is not None and end < start:
        raise WordingError(f"{where}：valid_to {end} 早于 valid_from {start}")
    kwargs: dict[str, Any] = {}
    if family == "letter":
        kwargs["title"] = _text(raw["title"], where, "title")
        kwargs["paragraphs"] = _texts(raw["paragraphs"], where, "paragraphs")
        kwargs["articles"] = _texts(raw["articles"], where, "articles")
        body = "".join(kwargs["paragraphs"])
        # The cited articles are metadata of the letter; each must be cited in its text.
        for a in kwargs["articles"]:
            if a.removeprefix("《条例》") not in body:
                raise WordingError(f"{where}：articles 中的「{a}」在正文中没有引用")
    else:
        kwargs["text"] = _text(raw["text"], where, "text")
    return Entry(
        key=key,
        valid_from=start,
        valid_to=end,
        source=_text(raw.get("source", ""), where, "source"),
        where=where,
        **kwargs,
    )


def load(directory: Path = WORDING_DIR) -> Wording:
    """Every ``*.toml`` in ``directory``, validated: well-formed entries, and the entries of
    one key never in force on the same day."""
    by_key: dict[str, list[Entry]] = {}
    files = sorted(directory.glob("*.toml"))
    if not files:
        raise WordingError(f"{directory}：没有措辞文件（*.toml）")
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            raise WordingError(f"{path.name}：不是有效的 TOML（{e}）") from None
        extra = sorted(set(data) - {"entry"})
        if extra:
            raise WordingError(f"{path.name}：未知的顶层字段 {'、'.join(extra)}（应为 [[entry]]）")
        for i, raw in enumerate(data.get("entry", []), 1):
            e = entry(raw, f"{path.name} 第{i}条")
            by_key.setdefault(e.key, []).append(e)
    for entries in by_key.values():
        entries.sort(key=lambda e: e.valid_from)
        for a, b in itertools.pairwise(entries):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                raise WordingError(
                    f"{b.where}：与{a.where}的适用期间重叠（{a.span()}；{b.span()}）"
                )
    return Wording({k: tuple(v) for k, v in by_key.items()})


@cache
def default() -> Wording:
    return load()


__all__ = ["FACTS", "Entry", "Wording", "WordingError", "default", "fill", "load", "placeholders"]
