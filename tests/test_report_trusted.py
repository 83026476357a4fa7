"""report.trusted builds the same value objects as validation does, from the reader's values."""

from __future__ import annotations

from decimal import Decimal

from gongkai.report import Cell, CellKind, Location, trusted


def test_location_equals_the_validated_one() -> None:
    fast = trusted(Location, file="a.txt", line=3)
    slow = Location(file="a.txt", line=3)
    assert fast == slow and hash(fast) == hash(slow)
    assert fast.model_dump_json() == slow.model_dump_json() == '{"file":"a.txt","line":3}'
    assert fast.model_fields_set == slow.model_fields_set == {"file", "line"}
    assert fast.with_(table="t3") == slow.with_(table="t3")


def test_cell_equals_the_validated_one() -> None:
    loc = Location(file="a.txt", line=7)
    values = dict(
        column="c1", raw="1.5", value=Decimal("1.5"), kind=CellKind.NUMBER, unit="万元",
        inferred=True, location=loc,
    )  # fmt: skip
    fast, slow = trusted(Cell, **values), Cell(**values)  # type: ignore[arg-type]
    assert fast == slow
    assert fast.model_dump_json() == slow.model_dump_json()
    assert fast.number == Decimal("1.5")
    assert Cell.model_validate_json(fast.model_dump_json()) == slow


def test_defaults_fill_what_is_not_given() -> None:
    fast = trusted(Cell, column="c1", raw="", kind=CellKind.BLANK)
    assert fast == Cell(column="c1", raw="", kind=CellKind.BLANK)
    assert fast.value is None and fast.unit is None and fast.inferred is False
