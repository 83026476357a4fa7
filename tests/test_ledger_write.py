"""The register written back as a ledger (:mod:`gongkai.register.ledger_write`) reads back as
the same register; what the format cannot hold is said in the row's 备注."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from gongkai.register.annual import build_report
from gongkai.register.cases import Application, EventKind
from gongkai.register.ledger import read_ledger
from gongkai.register.ledger_write import application_cells, write_ledger
from tests.factories_cases import make_case, random_reviews, typical_register

D = dt.date


def shape(app: Application) -> tuple[object, ...]:
    return (
        app.id,
        app.channel,
        app.applicant,
        app.applicant_name,
        app.content,
        app.outcome,
        tuple((e.kind, e.on, e.days, e.until, e.amount) for e in app.events),
    )


def test_written_ledger_reads_back_as_the_same_register(tmp_path: Path) -> None:
    apps = typical_register(300, D(2024, 1, 1), D(2024, 12, 31), seed=4)
    apps += [
        make_case(
            "fee",
            D(2024, 3, 4),
            fee=(D(2024, 3, 6), Decimal("10.5"), D(2024, 3, 8)),
            outcome="disclosed",
            closed=D(2024, 3, 20),
        ),
        make_case(
            "unpaid",
            D(2024, 3, 4),
            fee=(D(2024, 3, 6), Decimal("100"), None),
            outcome="fee_unpaid",
            closed=D(2024, 4, 20),
        ),
        make_case("delay", D(2024, 3, 4), delay=(D(2024, 3, 8), D(2024, 5, 1))),
        make_case("open", D(2024, 12, 30), supplement=(D(2024, 12, 31), None)),
    ]
    reviews = random_reviews(40, D(2023, 6, 1), D(2024, 12, 31), seed=8)
    path = tmp_path / "register.xlsx"
    assert write_ledger(str(path), apps, reviews) == []
    ledger = read_ledger(str(path))
    assert ledger.errors == []
    assert [shape(a) for a in ledger.applications] == [shape(a) for a in apps]
    assert ledger.review_cases == reviews
    again = build_report(ledger.applications, ledger.review_cases, 2024, "A")
    assert again.tables == build_report(apps, reviews, 2024, "A").tables


def test_what_the_format_cannot_hold_is_in_the_note() -> None:
    app = make_case("two", D(2024, 3, 4), extension=(D(2024, 3, 20), 5))
    app.extend(D(2024, 3, 25), 10, by="李主任")
    app.notify_fee(D(2024, 3, 26), Decimal(20))
    app.fee_paid(D(2024, 3, 27))
    app.notify_fee(D(2024, 3, 28), Decimal(30))
    cells, lost = application_cells(app, "原备注")
    assert cells["extension_days"] == 15 and cells["extension_by"] == "张主任、李主任"
    assert cells["fee_notified"] == D(2024, 3, 26) and cells["fee_amount"] == Decimal(20)
    assert (
        len(lost) == 2 and "合并为一次" in lost[0] and "另有收费通知 2024年3月28日 30元" in lost[1]
    )
    assert cells["note"].startswith("原备注；台账格式未能容纳：")
    assert [e.kind for e in app.events][-1] is EventKind.FEE_NOTIFIED
