"""One year of China's statutory working-day calendar, as a TOML file that cites its notice.

A year file says which days the 国务院办公厅 holiday notice (关于XXXX年部分节假日安排的通知)
turned into days off and which weekend days it turned into working days. Everything else
follows the ordinary week: Monday to Friday work, Saturday and Sunday rest. The format
(documented with an example in ``docs/workdays.md``)::

    year = 2024

    [[notices]]
    number = "国办发明电〔2023〕7号"                     # 文号
    title = "国务院办公厅关于2024年部分节假日安排的通知"
    published = 2023-10-25                               # 发布日期
    issued = 2023-10-25                                  # 成文日期 (optional)
    url = "https://www.gov.cn/..."                       # optional
    verified = true                                      # 文号与日期已核对原文 (optional)

    [[festivals]]
    name = "国庆节"
    start = 2024-10-01                                   # first day off
    end = 2024-10-07                                     # last day off (inclusive)
    makeup_workdays = [2024-09-29, 2024-10-12]           # 调休上班 (Saturdays/Sundays)
    notice = "国办发明电〔2023〕7号"                     # optional: defaults to the first notice

A file holds only the days of its own year. A notice that reaches into the previous year (the
2023 notice gives 2022-12-31 off) is listed in that year's file too, citing the notice.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict

from .errors import CalendarError, bad_file

WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")

# Any year a user could sensibly add; it only guards against typos such as 224 or 20244.
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_FILE_BYTES = 256 * 1024  # a year file is about 3 KB

_TOP_KEYS = {"year", "notices", "festivals"}
_NOTICE_KEYS = {"number", "title", "published", "issued", "url", "verified", "note"}
_NOTICE_REQUIRED = ("number", "title", "published")
_FESTIVAL_KEYS = {"name", "start", "end", "makeup_workdays", "notice", "note"}
_FESTIVAL_REQUIRED = ("name", "start", "end")


def format_date(d: dt.date) -> str:
    """``2024年10月1日`` — the way dates are shown to users."""
    return f"{d.year}年{d.month}月{d.day}日"


class Notice(BaseModel):
    """A 国务院办公厅 notice that set (part of) a year's holidays."""

    model_config = ConfigDict(frozen=True)

    number: str  # 文号, e.g. 国办发明电〔2023〕7号
    title: str
    published: dt.date
    issued: dt.date | None = None  # 成文日期, when it differs or is known
    url: str | None = None
    verified: bool = False  # the 文号 and dates were checked against the text of the notice
    note: str | None = None


class Festival(BaseModel):
    """One block of days off, with the weekend days worked to make up for it."""

    model_config = ConfigDict(frozen=True)

    name: str
    start: dt.date
    end: dt.date  # inclusive
    makeup_workdays: tuple[dt.date, ...] = ()
    notice: str  # the 文号 of the notice that set this block
    note: str | None = None

    def days_off(self) -> Iterator[dt.date]:
        d = self.start
        while d <= self.end:
            yield d
            d += dt.timedelta(days=1)


class YearData(BaseModel):
    """The holiday arrangement of one calendar year, as the notices set it."""

    model_config = ConfigDict(frozen=True)

    year: int
    notices: tuple[Notice, ...]
    festivals: tuple[Festival, ...] = ()
    source: str = ""  # where it was loaded from, for messages

    def days_off(self) -> frozenset[dt.date]:
        return frozenset(d for f in self.festivals for d in f.days_off())

    def makeup_workdays(self) -> frozenset[dt.date]:
        return frozenset(d for f in self.festivals for d in f.makeup_workdays)

    def is_workday(self, d: dt.date) -> bool:
        # A make-up day is worked although it is a weekend; a day off is not worked although it
        # may be a weekday; every other day follows the week.
        if d in self.makeup_workdays():
            return True
        return d.weekday() < 5 and d not in self.days_off()

    def festival_of(self, d: dt.date) -> Festival | None:
        """The festival whose days off or make-up days include ``d``."""
        for f in self.festivals:
            if f.start <= d <= f.end or d in f.makeup_workdays:
                return f
        return None


# --- reading and validating -------------------------------------------------------------


def load_year_file(path: str, *, name: str | None = None) -> YearData:
    """Read and validate a year file. Errors name the file and the entry, in Chinese."""
    shown = name or path
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise bad_file(shown, "文件不存在") from None
    except OSError as e:
        raise bad_file(shown, f"无法读取文件：{e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise bad_file(shown, f"文件过大，超过节假日安排文件的上限{MAX_FILE_BYTES // 1024} KB")
    if b"\x00" in data:
        raise bad_file(shown, "不是文本文件（含有二进制内容），不是节假日安排的 TOML 文件")
    try:
        text = data.decode("utf-8-sig")  # Notepad's UTF-8 starts with a BOM; TOML has none
    except UnicodeDecodeError as e:
        raise bad_file(
            shown, f"不是 UTF-8 编码的文本文件（TOML 文件须为 UTF-8），第{e.start + 1}字节无法解码"
        ) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise bad_file(
            shown, f"不是有效的 TOML 文件：{_toml_place(str(e))}不符合 TOML 语法"
        ) from None
    return parse_year(raw, source=shown)


_TOML_PLACE = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml_place(message: str) -> str:
    """Where tomllib stopped, in Chinese (its messages are English: only the place is kept)."""
    m = _TOML_PLACE.search(message)
    if m:
        return f"第{m.group(1)}行第{m.group(2)}列"
    return "文件末尾" if "end of document" in message else ""


def parse_year(raw: Mapping[str, Any], *, source: str) -> YearData:
    """Validate the parsed TOML of a year file and build its :class:`YearData`."""
    _no_unknown_keys(raw, _TOP_KEYS, source, None)
    year = raw.get("year")
    if isinstance(year, bool) or not isinstance(year, int):
        raise bad_file(source, "缺少年份：请写 year = 2027 这样的整数")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise bad_file(source, f"年份 {year} 不在 {MIN_YEAR}–{MAX_YEAR} 之间")

    notices = tuple(
        _parse_notice(n, i, source) for i, n in enumerate(_tables(raw, "notices", source), 1)
    )
    if not notices:
        raise bad_file(
            source, "至少要引用一份国务院办公厅通知（[[notices]]，含文号、标题、发布日期）"
        )
    numbers = [n.number for n in notices]
    for number in numbers:
        if numbers.count(number) > 1:
            raise bad_file(source, f"通知「{number}」重复出现", "notices")

    festivals = tuple(
        _parse_festival(f, i, year, numbers, source)
        for i, f in enumerate(_tables(raw, "festivals", source), 1)
    )
    _check_year_consistency(festivals, source)
    return YearData(year=year, notices=notices, festivals=festivals, source=source)


def _tables(raw: Mapping[str, Any], key: str, source: str) -> list[Mapping[str, Any]]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise bad_file(source, f"「{key}」应写成 [[{key}]] 表格数组")
    return value


def _no_unknown_keys(
    table: Mapping[str, Any], allowed: set[str], source: str, entry: str | None
) -> None:
    # A misspelt key (makeup_workday) would otherwise silently drop data.
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise bad_file(
            source,
            f"无法识别的字段 {', '.join(unknown)}（可用字段：{', '.join(sorted(allowed))}）",
            entry,
        )


def _require(table: Mapping[str, Any], keys: tuple[str, ...], source: str, entry: str) -> None:
    missing = [k for k in keys if k not in table]
    if missing:
        raise bad_file(source, f"缺少字段 {', '.join(missing)}", entry)


def _text(value: Any, key: str, source: str, entry: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad_file(source, f"「{key}」应为非空文本", entry)
    return value.strip()


def _date(value: Any, key: str, source: str, entry: str) -> dt.date:
    # TOML's bare dates arrive as date; a quoted "2027-10-01" is accepted too, because users
    # copy dates from web pages. A date-time is refused: a day is a day.
    if isinstance(value, dt.datetime):
        raise bad_file(source, f"「{key}」应为日期（如 2027-10-01），不含时间", entry)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise bad_file(source, f"「{key}」应为日期（如 2027-10-01），得到 {value!r}", entry)


def _parse_notice(table: Mapping[str, Any], index: int, source: str) -> Notice:
    entry = f"第{index}份通知"
    _no_unknown_keys(table, _NOTICE_KEYS, source, entry)
    _require(table, _NOTICE_REQUIRED, source, entry)
    number = _text(table["number"], "number", source, entry)
    entry = f"通知 {number}"
    verified = table.get("verified", False)
    if not isinstance(verified, bool):
        raise bad_file(source, "「verified」应为 true 或 false", entry)
    return Notice(
        number=number,
        title=_text(table["title"], "title", source, entry),
        published=_date(table["published"], "published", source, entry),
        issued=_date(table["issued"], "issued", source, entry) if "issued" in table else None,
        url=_text(table["url"], "url", source, entry) if "url" in table else None,
        verified=verified,
        note=_text(table["note"], "note", source, entry) if "note" in table else None,
    )


def _parse_festival(
    table: Mapping[str, Any], index: int, year: int, notices: list[str], source: str
) -> Festival:
    entry = f"第{index}个节日"
    _no_unknown_keys(table, _FESTIVAL_KEYS, source, entry)
    _require(table, _FESTIVAL_REQUIRED, source, entry)
    name = _text(table["name"], "name", source, entry)
    entry = f"第{index}个节日 {name}"
    start = _date(table["start"], "start", source, entry)
    end = _date(table["end"], "end", source, entry)
    if end < start:
        raise bad_file(
            source, f"放假结束日 {format_date(end)} 早于开始日 {format_date(start)}", entry
        )
    for key, d in (("start", start), ("end", end)):
        if d.year != year:
            raise bad_file(
                source,
                f"「{key}」{format_date(d)} 不在 {year} 年内（每个文件只收录本年的日期，"
                "跨年的假期请拆到相邻年份的文件里）",
                entry,
            )

    raw_makeup = table.get("makeup_workdays", [])
    if not isinstance(raw_makeup, list):
        raise bad_file(
            source, "「makeup_workdays」应为日期列表，如 [2027-09-26, 2027-10-09]", entry
        )
    makeup: list[dt.date] = []
    for value in raw_makeup:
        d = _date(value, "makeup_workdays", source, entry)
        if d.year != year:
            raise bad_file(source, f"调休上班日 {format_date(d)} 不在 {year} 年内", entry)
        if d.weekday() < 5:
            raise bad_file(
                source,
                f"调休上班日 {format_date(d)} 是{WEEKDAYS_ZH[d.weekday()]}，"
                "调休上班日只能是星期六或星期日",
                entry,
            )
        if d in makeup:
            raise bad_file(source, f"调休上班日 {format_date(d)} 重复列出", entry)
        makeup.append(d)

    notice = table.get("notice", notices[0])
    notice = _text(notice, "notice", source, entry)
    if notice not in notices:
        raise bad_file(
            source,
            f"引用的通知「{notice}」未在 [[notices]] 中列出（已列出：{'、'.join(notices)}）",
            entry,
        )
    note = _text(table["note"], "note", source, entry) if "note" in table else None
    return Festival(
        name=name,
        start=start,
        end=end,
        makeup_workdays=tuple(makeup),
        notice=notice,
        note=note,
    )


def _check_year_consistency(festivals: tuple[Festival, ...], source: str) -> None:
    """No day off twice, no make-up day twice, no day both off and worked."""
    off: dict[dt.date, str] = {}
    worked: dict[dt.date, tuple[str, str]] = {}  # day -> (festival name, entry label)
    for i, f in enumerate(festivals, 1):
        entry = f"第{i}个节日 {f.name}"
        for d in f.days_off():
            if d in off:
                raise bad_file(
                    source,
                    f"{format_date(d)} 同时列在「{off[d]}」和「{f.name}」的放假日期中",
                    entry,
                )
            off[d] = f.name
        for d in f.makeup_workdays:
            if d in worked:
                raise bad_file(
                    source,
                    f"调休上班日 {format_date(d)} 同时列在「{worked[d][0]}」和「{f.name}」中",
                    entry,
                )
            worked[d] = (f.name, entry)
    for d, (name, entry) in worked.items():
        if d in off:
            raise bad_file(
                source,
                f"{format_date(d)} 既是「{off[d]}」的放假日，又是「{name}」的调休上班日",
                entry,
            )


def disagreements(a: YearData, b: YearData) -> list[dt.date]:
    """The days of the year on which ``a`` and ``b`` disagree about working or resting."""
    out: list[dt.date] = []
    d = dt.date(a.year, 1, 1)
    while d.year == a.year:
        if a.is_workday(d) != b.is_workday(d):
            out.append(d)
        d += dt.timedelta(days=1)
    return out


__all__ = [
    "WEEKDAYS_ZH",
    "CalendarError",
    "Festival",
    "Notice",
    "YearData",
    "disagreements",
    "format_date",
    "load_year_file",
    "parse_year",
]
