"""The statutory working-day calendar: bundled data, counting conventions, user year files."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import textwrap
from pathlib import Path

import chinese_calendar  # test-only: the independent cross-check (spec S6)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.errors import GongkaiError
from gongkai.workdays import (
    Calendar,
    CalendarError,
    YearData,
    bundled_year_files,
    default_calendar,
    install_user_file,
    load_year_file,
    user_data_dir,
)
from gongkai.workdays.calendar import load_bundled

D = dt.date
BUNDLED = default_calendar  # the cached calendar; tests that add user files use their own dir


@pytest.fixture(autouse=True)
def _isolated_user_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Never read or write the real ~/.local/share/gongkai from tests.
    data = tmp_path / "gongkai-data"
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(data))
    return data / "workdays"


def _days(year: int) -> list[dt.date]:
    d, out = D(year, 1, 1), []
    while d.year == year:
        out.append(d)
        d += dt.timedelta(days=1)
    return out


# --- the bundled data --------------------------------------------------------------------


def test_bundled_years_are_2019_through_2026_without_gaps() -> None:
    years = default_calendar().years
    assert years[0] == 2019
    assert years[-1] >= 2026  # chinese-calendar 1.11.0 carries the 2026 notice
    assert list(years) == list(range(years[0], years[-1] + 1))


@pytest.mark.parametrize("year", range(2019, 2027))
def test_every_day_agrees_with_chinese_calendar(year: int) -> None:
    cal = default_calendar()
    wrong = [d for d in _days(year) if cal.is_workday(d) != chinese_calendar.is_workday(d)]
    assert wrong == []


@pytest.mark.parametrize("year", range(2019, 2027))
def test_makeup_workdays_match_chinese_calendar_exactly(year: int) -> None:
    ours = default_calendar().year_data(year).makeup_workdays()
    theirs = {d for d in chinese_calendar.workdays if d.year == year}
    assert ours == theirs


@pytest.mark.parametrize("path", bundled_year_files(), ids=lambda p: p.name)
def test_bundled_file_cites_its_notice(path: Path) -> None:
    data = load_year_file(str(path))
    assert path.stem == str(data.year)
    first = data.notices[0]
    # The year's own notice comes first: 国办发明电〔Y-1〕N号, published in the year before.
    assert re.fullmatch(r"国办发明电〔\d{4}〕\d+号", first.number)
    assert f"{data.year}年" in first.title
    assert first.published.year == data.year - 1
    for notice in data.notices:
        assert notice.url and notice.url.startswith("http")
        if not notice.verified:
            assert notice.note, f"{notice.number} is unverified and must say why"
    for festival in data.festivals:
        assert festival.notice in {n.number for n in data.notices}


def test_known_citations() -> None:
    numbers = {y: [n.number for n in default_calendar().year_data(y).notices] for y in (2019, 2024)}
    assert numbers[2019] == ["国办发明电〔2018〕15号", "国办发明电〔2019〕3号"]
    assert numbers[2024] == ["国办发明电〔2023〕7号"]


def test_2019_labour_day_follows_the_adjusting_notice() -> None:
    # 国办发明电〔2019〕3号 turned a one-day 劳动节 into 5月1日至4日, with two Sundays worked.
    cal = default_calendar()
    assert not cal.is_workday(D(2019, 5, 2))
    assert cal.is_workday(D(2019, 4, 28)) and cal.is_workday(D(2019, 5, 5))
    assert cal.year_data(2019).festival_of(D(2019, 5, 2)).notice == "国办发明电〔2019〕3号"  # type: ignore[union-attr]


def test_2020_spring_festival_extension() -> None:
    # Saturday 1 February 2020 was to be worked; the extension to 2 February cancelled that.
    cal = default_calendar()
    assert not cal.is_workday(D(2020, 1, 31))
    assert not cal.is_workday(D(2020, 2, 1))
    assert cal.is_workday(D(2020, 2, 3))


def test_a_notice_reaching_into_the_previous_year() -> None:
    # The 2023 notice gives 2022-12-31 (a Saturday) off; it is listed in 2022.toml citing it.
    f = default_calendar().year_data(2022).festival_of(D(2022, 12, 31))
    assert f is not None and f.notice == "国办发明电〔2022〕16号"


# --- counting conventions ----------------------------------------------------------------


def test_national_day_2024() -> None:
    cal = default_calendar()
    assert cal.is_workday(D(2024, 9, 29))  # Sunday, worked
    assert not cal.is_workday(D(2024, 10, 1))
    assert not cal.is_workday(D(2024, 10, 7))  # Monday, off
    assert cal.is_workday(D(2024, 10, 12))  # Saturday, worked
    assert not cal.is_workday(D(2024, 10, 13))  # an ordinary Sunday
    # Day 1 is the first working day after the start: 10-08; day 5 is Saturday 10-12.
    assert cal.next_workday(D(2024, 9, 30)) == D(2024, 10, 8)
    assert cal.add_workdays(D(2024, 9, 30), 5) == D(2024, 10, 12)
    assert cal.add_workdays(D(2024, 9, 30), 20) == D(2024, 11, 1)


def test_add_workdays_zero_and_from_a_holiday() -> None:
    cal = default_calendar()
    assert cal.add_workdays(D(2024, 10, 3), 0) == D(2024, 10, 3)
    assert cal.add_workdays(D(2024, 10, 3), 1) == D(2024, 10, 8)
    with pytest.raises(ValueError):
        cal.add_workdays(D(2024, 10, 3), -1)


def test_workdays_between_is_half_open() -> None:
    cal = default_calendar()
    # (2024-09-30, 2024-10-08]: only 10-08 is worked; the start day is excluded, the end included.
    assert cal.workdays_between(D(2024, 9, 30), D(2024, 10, 8)) == 1
    assert cal.workdays_between(D(2024, 10, 8), D(2024, 10, 8)) == 0
    assert cal.workdays_between(D(2024, 10, 8), D(2024, 9, 30)) == -1
    assert cal.workdays_between(D(2023, 12, 31), D(2024, 12, 31)) == cal.workdays_in_year(2024)


def test_workdays_in_year() -> None:
    cal = default_calendar()
    for year in (2024, 2025):
        expected = sum(1 for d in _days(year) if chinese_calendar.is_workday(d))
        assert cal.workdays_in_year(year) == expected


@settings(max_examples=200, deadline=None)
@given(
    start=st.dates(min_value=D(2019, 1, 1), max_value=D(2026, 9, 30)),
    n=st.integers(min_value=0, max_value=40),
)
def test_add_and_between_are_inverse(start: dt.date, n: int) -> None:
    cal = default_calendar()
    end = cal.add_workdays(start, n)
    assert cal.workdays_between(start, end) == n
    if n:
        assert cal.is_workday(end)
        assert cal.workdays_between(start, end - dt.timedelta(days=1)) == n - 1


def test_datetime_is_taken_by_its_day() -> None:
    assert default_calendar().is_workday(dt.datetime(2024, 10, 12, 23, 59))


# --- uncovered years ---------------------------------------------------------------------

UNCOVERED = "2027年的节假日安排尚未收录：请在国务院办公厅公布后用 gongkai workdays add 添加"


def test_uncovered_year_is_a_clear_error_never_a_guess() -> None:
    cal = default_calendar()
    assert not cal.covers(2027)
    with pytest.raises(CalendarError) as info:
        cal.is_workday(D(2027, 1, 4))
    assert str(info.value) == UNCOVERED
    assert isinstance(info.value, GongkaiError)
    with pytest.raises(CalendarError, match="2027年"):
        cal.add_workdays(D(2026, 12, 15), 20)
    with pytest.raises(CalendarError, match="2018年"):
        cal.workdays_between(D(2018, 12, 1), D(2019, 1, 10))
    with pytest.raises(CalendarError, match="2027年"):
        cal.year_data(2027)


# --- year files: validation --------------------------------------------------------------

NOTICE = """
[[notices]]
number = "国办发明电〔2026〕99号"
title = "测试用：国务院办公厅关于2027年部分节假日安排的通知"
published = 2026-11-01
"""


def _write(tmp_path: Path, body: str, name: str = "2027.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


GOOD_2027 = (
    "year = 2027\n"
    + NOTICE
    + """
[[festivals]]
name = "国庆节"
start = 2027-10-01
end = 2027-10-07
makeup_workdays = [2027-09-26, 2027-10-09]
"""
)


def test_a_valid_user_file(tmp_path: Path) -> None:
    data = load_year_file(str(_write(tmp_path, GOOD_2027)))
    assert data.year == 2027
    assert data.festivals[0].notice == "国办发明电〔2026〕99号"  # defaults to the first notice
    cal = Calendar([data])
    assert cal.is_workday(D(2027, 9, 26))  # Sunday worked
    assert not cal.is_workday(D(2027, 10, 4))


@pytest.mark.parametrize(
    ("festival", "message"),
    [
        ("start = 2027-10-01\nend = 2028-01-01", "不在 2027 年内"),
        ("start = 2026-12-31\nend = 2027-01-01", "不在 2027 年内"),
        ("start = 2027-10-07\nend = 2027-10-01", "早于开始日"),
        (
            "start = 2027-10-01\nend = 2027-10-07\nmakeup_workdays = [2027-09-27]",
            "2027年9月27日 是星期一，调休上班日只能是星期六或星期日",
        ),
        (
            "start = 2027-10-01\nend = 2027-10-07\nmakeup_workdays = [2027-10-02]",
            "既是「国庆节」的放假日，又是「国庆节」的调休上班日",
        ),
        (
            "start = 2027-10-01\nend = 2027-10-07\nmakeup_workdays = [2027-10-09, 2027-10-09]",
            "重复列出",
        ),
        ("start = 2027-10-01\nend = 2027-10-07\nmakeup_workday = [2027-10-09]", "无法识别的字段"),
        ("start = 2027-10-01", "缺少字段 end"),
        ('start = "十月一日"\nend = 2027-10-07', "应为日期"),
        (
            'start = 2027-10-01\nend = 2027-10-07\nnotice = "国办发明电〔2026〕1号"',
            "未在 [[notices]] 中列出",
        ),
    ],
)
def test_invalid_festival_names_file_and_entry(tmp_path: Path, festival: str, message: str) -> None:
    body = f'year = 2027\n{NOTICE}\n[[festivals]]\nname = "国庆节"\n{festival}\n'
    with pytest.raises(CalendarError) as info:
        load_year_file(str(_write(tmp_path, body)), name="2027.toml")
    text = str(info.value)
    assert text.startswith("2027.toml ")
    assert message in text
    if "缺少" not in message and "无法识别" not in message:
        assert "「第1个节日 国庆节」：" in text


def test_overlapping_festivals_are_an_error(tmp_path: Path) -> None:
    body = GOOD_2027 + '\n[[festivals]]\nname = "中秋节"\nstart = 2027-10-07\nend = 2027-10-08\n'
    with pytest.raises(CalendarError, match="同时列在「国庆节」和「中秋节」的放假日期中"):
        load_year_file(str(_write(tmp_path, body)))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("year = 2027\n", "至少要引用一份国务院办公厅通知"),
        ('year = "2027"\n' + NOTICE, "缺少年份"),
        ("year = 1927\n" + NOTICE, "不在 2000–2100 之间"),
        ('year = 2027\n[[notices]]\nnumber = "x"\n', "缺少字段 title, published"),
        ("year = 2027\nyear_note = 1\n" + NOTICE, "无法识别的字段 year_note"),
        ("year = 2027\n[[festivals\n", "不是有效的 TOML"),
    ],
)
def test_invalid_file_level(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(CalendarError, match=re.escape(message)):
        load_year_file(str(_write(tmp_path, body)))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="文件不存在"):
        load_year_file(str(tmp_path / "nope.toml"))


# --- user year files ---------------------------------------------------------------------


def test_user_data_dir_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "a"))
    assert user_data_dir() == tmp_path / "a" / "workdays"
    monkeypatch.delenv("GONGKAI_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert user_data_dir() == tmp_path / "xdg" / "gongkai" / "workdays"
    monkeypatch.delenv("XDG_DATA_HOME")
    assert user_data_dir() == Path.home() / ".local" / "share" / "gongkai" / "workdays"


def test_install_a_new_year(tmp_path: Path, _isolated_user_dir: Path) -> None:
    assert not default_calendar().covers(2027)
    data, target = install_user_file(str(_write(tmp_path, GOOD_2027, "my-2027.toml")))
    assert target == _isolated_user_dir / "2027.toml"
    assert data.year == 2027
    cal = default_calendar()
    assert cal.covers(2027)
    # The year boundary is now crossable: 2026-12-31 + 1 working day.
    assert cal.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)


def test_install_refuses_to_replace_without_force(tmp_path: Path) -> None:
    install_user_file(str(_write(tmp_path, GOOD_2027)))
    install_user_file(str(_write(tmp_path, GOOD_2027)))  # the same bytes again: fine
    changed = _write(tmp_path, GOOD_2027.replace("2027-10-07", "2027-10-06"), "other.toml")
    with pytest.raises(CalendarError, match="--force"):
        install_user_file(str(changed))
    install_user_file(str(changed), force=True)
    assert default_calendar().is_workday(D(2027, 10, 7))


def _bundled_2024(tmp_path: Path) -> Path:
    src = next(p for p in bundled_year_files() if p.stem == "2024")
    target = tmp_path / "2024.toml"
    shutil.copyfile(src, target)
    return target


def test_user_file_for_a_bundled_year_is_accepted_when_it_agrees(tmp_path: Path) -> None:
    before = default_calendar().year_data(2024)
    install_user_file(str(_bundled_2024(tmp_path)))
    assert default_calendar().year_data(2024) == before  # the bundled data stays in charge


def test_user_file_contradicting_a_bundled_year_is_an_error(tmp_path: Path) -> None:
    path = _bundled_2024(tmp_path)
    text = path.read_text(encoding="utf-8").replace("[2024-09-29, 2024-10-12]", "[2024-09-29]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalendarError) as info:
        install_user_file(str(path))
    message = str(info.value)
    assert message.startswith("2024.toml：2024年已内置（依据国办发明电〔2023〕7号）")
    assert "2024年10月12日 内置为工作日，此文件为休息日" in message


def test_a_bad_file_in_the_user_dir_is_reported_not_skipped(_isolated_user_dir: Path) -> None:
    _isolated_user_dir.mkdir(parents=True)
    (_isolated_user_dir / "2027.toml").write_text("year = 2027\n", encoding="utf-8")
    with pytest.raises(CalendarError, match=r"2027\.toml"):
        default_calendar()


def test_a_misnamed_file_in_the_user_dir(_isolated_user_dir: Path) -> None:
    _isolated_user_dir.mkdir(parents=True)
    (_isolated_user_dir / "next.toml").write_text(GOOD_2027, encoding="utf-8")
    with pytest.raises(CalendarError, match=r"文件名应为 2027\.toml"):
        default_calendar()


def test_calendar_rejects_two_files_for_one_year() -> None:
    data = load_bundled()[0]
    with pytest.raises(CalendarError, match="重复"):
        Calendar([data, data])


def test_year_data_is_a_value_object() -> None:
    data = default_calendar().year_data(2024)
    assert isinstance(data, YearData)
    with pytest.raises(Exception):  # noqa: B017  (pydantic's frozen-instance error)
        data.year = 2025  # type: ignore[misc]
