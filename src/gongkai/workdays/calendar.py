"""China's statutory working-day calendar: the bundled year files plus the user's own.

Counting conventions (the same everywhere in gongkai, see ``docs/workdays.md``):

* ``add_workdays(d, n)``: the starting day is not counted. Day 1 is the first working day
  after ``d``; the result is the n-th such day, so it is always a working day (for n ≥ 1) even
  when ``d`` itself is a holiday. ``add_workdays(d, 0)`` is ``d``.
* ``workdays_between(a, b)``: the number of working days ``w`` with ``a < w ≤ b`` — the
  half-open interval (a, b]. Hence ``workdays_between(d, add_workdays(d, n)) == n``.

A date in a year with no year file raises :class:`CalendarError`; the calendar never falls
back to "weekends only", because a wrong deadline is worse than no deadline.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import os
import shutil
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from .datafile import YearData, disagreements, format_date, load_year_file
from .errors import CalendarError, bad_file, uncovered_year

_ONE_DAY = dt.timedelta(days=1)


class Calendar:
    """Working days for the years it holds, each year from a validated :class:`YearData`."""

    def __init__(self, years: Iterable[YearData]) -> None:
        self._years: dict[int, YearData] = {}
        # Precomputed per year: walking a 40-working-day deadline asks about ~60 days.
        self._off: dict[int, frozenset[dt.date]] = {}
        self._worked: dict[int, frozenset[dt.date]] = {}
        for data in years:
            if data.year in self._years:
                first = self._years[data.year].source
                raise CalendarError(f"{data.year}年的节假日安排重复：{first} 与 {data.source}")
            self._years[data.year] = data
            self._off[data.year] = data.days_off()
            self._worked[data.year] = data.makeup_workdays()
        # Every working day of the covered years, sorted: deadlines for 100 000 cases need
        # add_workdays by bisection, not a walk of ~60 days each.
        self._index: list[dt.date] = sorted(
            d for year in self._years for d in _days_of(year) if self.is_workday(d)
        )

    def __repr__(self) -> str:
        return f"Calendar(years={list(self.years)})"

    @property
    def years(self) -> tuple[int, ...]:
        """The covered years, in order."""
        return tuple(sorted(self._years))

    def covers(self, year: int) -> bool:
        return year in self._years

    def year_data(self, year: int) -> YearData:
        """The arrangement of ``year`` (notices, festivals); :class:`CalendarError` if absent."""
        try:
            return self._years[year]
        except KeyError:
            raise uncovered_year(year) from None

    def is_workday(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day under the State Council's arrangement for its year."""
        if isinstance(d, dt.datetime):  # a datetime is a date subclass; the day is what counts
            d = d.date()
        if d.year not in self._years:
            raise uncovered_year(d.year)
        if d in self._worked[d.year]:
            return True  # 调休上班: a Saturday or Sunday worked
        return d.weekday() < 5 and d not in self._off[d.year]

    def next_workday(self, d: dt.date) -> dt.date:
        """The first working day after ``d`` (``d`` itself is never returned)."""
        return self.add_workdays(d, 1)

    def add_workdays(self, d: dt.date, n: int) -> dt.date:
        """The n-th working day after ``d``; the starting day is not counted.

        ``add_workdays(d, 0)`` returns ``d`` unchanged. ``n`` must not be negative.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            return d
        j = bisect.bisect_right(self._index, d) + n - 1
        if j < len(self._index) and self._covers_span(d + _ONE_DAY, self._index[j]):
            return self._index[j]
        # Past the covered years: the walk raises CalendarError naming the first missing year.
        current = d
        remaining = n
        while remaining:
            current = _day_after(current)
            if self.is_workday(current):
                remaining -= 1
        return current

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """The number of working days in (a, b]: after ``a``, up to and including ``b``.

        If ``b`` is before ``a`` the result is ``-workdays_between(b, a)``; if they are equal it
        is 0.
        """
        if b < a:
            return -self.workdays_between(b, a)
        if a == b:
            return 0
        if self._covers_span(a + _ONE_DAY, b):
            return bisect.bisect_right(self._index, b) - bisect.bisect_right(self._index, a)
        count = 0
        current = a
        while current < b:
            current = _day_after(current)
            if self.is_workday(current):
                count += 1
        return count

    def _covers_span(self, first: dt.date, last: dt.date) -> bool:
        """Whether every year from ``first`` to ``last`` has data (no silent gap year)."""
        return all(y in self._years for y in range(first.year, last.year + 1))

    def workdays_in_year(self, year: int) -> int:
        """How many working days ``year`` has (for ``gongkai workdays show``)."""
        return sum(1 for d in _days_of(year) if self.is_workday(d))


def _day_after(d: dt.date) -> dt.date:
    # 9999-12-31 has no next day: say which year is missing instead of an OverflowError.
    if d == dt.date.max:
        raise uncovered_year(d.year)
    return d + _ONE_DAY


def _days_of(year: int) -> Iterable[dt.date]:
    d = dt.date(year, 1, 1)
    while d.year == year:
        yield d
        d += _ONE_DAY


# --- where the data lives ---------------------------------------------------------------


def bundled_year_files() -> list[Path]:
    """The year files shipped with gongkai (``gongkai/workdays/data/YYYY.toml``)."""
    root = resources.files(__package__) / "data"
    return sorted(
        Path(str(p)) for p in root.iterdir() if p.name.endswith(".toml") and p.name[:4].isdigit()
    )


def user_data_dir() -> Path:
    """Where ``gongkai workdays add`` puts user year files.

    ``$GONGKAI_DATA_DIR/workdays`` if that variable is set, else
    ``$XDG_DATA_HOME/gongkai/workdays``, else ``~/.local/share/gongkai/workdays``.
    """
    base = os.environ.get("GONGKAI_DATA_DIR")
    if base:
        return Path(base).expanduser() / "workdays"
    xdg = os.environ.get("XDG_DATA_HOME")
    root = Path(xdg).expanduser() if xdg else Path.home() / ".local" / "share"
    return root / "gongkai" / "workdays"


def load_bundled() -> list[YearData]:
    out = []
    for path in bundled_year_files():
        data = load_year_file(str(path), name=f"内置 {path.name}")
        _check_file_name(path, data)
        out.append(data)
    return out


def _check_file_name(path: Path, data: YearData) -> None:
    if path.stem != str(data.year):
        raise bad_file(str(path), f"文件名应为 {data.year}.toml（文件内 year = {data.year}）")


def merge_user_year(bundled: dict[int, YearData], user: YearData) -> YearData:
    """Decide what a user file for ``user.year`` means next to the bundled data.

    A year gongkai does not ship is taken from the user file. A year it does ship is kept as
    shipped; the user file is accepted only if it agrees on every day, so it can add nothing
    and contradict nothing (a contradiction is an error, never a silent override).
    """
    shipped = bundled.get(user.year)
    if shipped is None:
        return user
    diff = disagreements(shipped, user)
    if diff:
        shown = "；".join(
            f"{format_date(d)} 内置为{'工作日' if shipped.is_workday(d) else '休息日'}，"
            f"此文件为{'工作日' if user.is_workday(d) else '休息日'}"
            for d in diff[:5]
        )
        more = f"（共{len(diff)}处）" if len(diff) > 5 else ""
        cited = "、".join(n.number for n in shipped.notices)
        raise bad_file(
            user.source,
            f"{user.year}年已内置（依据{cited}），此文件与内置数据不一致：{shown}{more}。"
            "内置数据不能被覆盖；如认为内置数据有误，请向 gongkai 报告",
        )
    return shipped


def load_user_years(directory: Path, bundled: dict[int, YearData]) -> list[YearData]:
    """The user's year files in ``directory`` that add a year (agreeing ones add nothing)."""
    if not directory.is_dir():
        return []
    added = []
    for path in sorted(directory.glob("*.toml")):
        data = load_year_file(str(path))
        _check_file_name(path, data)
        if merge_user_year(bundled, data) is data:
            added.append(data)
    return added


@functools.lru_cache(maxsize=4)
def _load_default(user_dir: str) -> Calendar:
    bundled = {d.year: d for d in load_bundled()}
    user = load_user_years(Path(user_dir), bundled)
    return Calendar([*bundled.values(), *user])


def default_calendar() -> Calendar:
    """The bundled years plus the user's year files; loaded once and cached.

    The cache is keyed by the user data directory, so changing ``$GONGKAI_DATA_DIR`` gives a
    fresh calendar; :func:`install_user_file` clears it.
    """
    return _load_default(str(user_data_dir()))


def install_user_file(path: str, *, force: bool = False) -> tuple[YearData, Path]:
    """Validate a user year file and copy it to :func:`user_data_dir` as ``YYYY.toml``.

    Returns the year's data and where it was saved. The file is checked exactly as the
    calendar will read it, including agreement with a bundled year.
    """
    data = load_year_file(path, name=os.path.basename(path))
    bundled = {d.year: d for d in load_bundled()}
    merge_user_year(bundled, data)
    target_dir = user_data_dir()
    target = target_dir / f"{data.year}.toml"
    if target.exists() and not force:
        if target.read_bytes() == Path(path).read_bytes():
            return data, target
        raise CalendarError(
            f"{target} 已存在{data.year}年的用户数据；如需替换，请加 --force",
        )
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    except OSError as e:
        raise CalendarError(f"无法写入 {target}：{e.strerror or e}") from None
    _load_default.cache_clear()
    return data, target
