"""Report JSON round-trips losslessly; blank, 0 and "/" stay distinct."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

import gongkai
from gongkai.report import Cell, CellKind, Location, Report, Row, Table

from .conftest import CORPUS

SEEDS = sorted(CORPUS.glob("*.txt"))


def test_seed_reports_round_trip() -> None:
    for path in SEEDS:
        report = gongkai.parse(path)
        again = Report.from_json(report.to_json())
        assert again == report, path.name
        assert again.to_json() == report.to_json()


def test_blank_zero_and_slash_are_distinct_in_json() -> None:
    cells = [
        Cell(column="natural", raw="", kind=CellKind.BLANK),
        Cell(column="commercial", raw="0", value=0, kind=CellKind.NUMBER),
        Cell(column="research", raw="/", kind=CellKind.SLASH),
        Cell(
            column="other", raw="1.68万元", value=Decimal("1.68"), kind=CellKind.NUMBER, unit="万元"
        ),
    ]
    report = Report(
        agency="某局",
        year=2021,
        format="2021",
        tables={"t3": Table(key="t3", rows=[Row(key="r1", label="x", cells=cells)])},
    )
    back = Report.from_json(report.to_json())
    got = back.tables["t3"].rows[0].cells
    assert [(c.kind, c.value) for c in got] == [
        (CellKind.BLANK, None),
        (CellKind.NUMBER, 0),
        (CellKind.SLASH, None),
        (CellKind.NUMBER, Decimal("1.68")),
    ]
    assert isinstance(got[1].value, int) and isinstance(got[3].value, Decimal)


values = st.one_of(
    st.none(),
    st.integers(min_value=-(10**9), max_value=10**12),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**6), max_value=10**9
    ),
)
cells = st.builds(
    Cell,
    column=st.sampled_from(["natural", "total", "fee_amount", "extra"]),
    raw=st.text(max_size=12),
    value=values,
    kind=st.sampled_from(list(CellKind)),
    unit=st.none() | st.sampled_from(["万元", "元", "件"]),
    inferred=st.booleans(),
    location=st.none()
    | st.builds(
        Location,
        file=st.none() | st.text(max_size=8),
        line=st.none() | st.integers(1, 10**6),
        page=st.none() | st.integers(1, 5000),
    ),
)


@given(st.lists(cells, max_size=20), st.text(max_size=30), st.integers(2019, 2030))
def test_any_report_round_trips(cell_list: list[Cell], agency: str, year: int) -> None:
    report = Report(
        agency=agency,
        year=year,
        format="2021",
        tables={
            "t3": Table(key="t3", rows=[Row(key="a", label="（一）予以公开", cells=cell_list)])
        },
    )
    assert Report.from_json(report.to_json()) == report
