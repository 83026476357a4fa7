"""The catalogue's rows and service: 索引号 issued per organisation and year, unique and
immutable; the review steps in order with who and when; the history; stale versions; table 二
from the catalogue; the demo catalogue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction

import gongkai
from gongkai.register import annual
from gongkai.register.catalogue import CatalogueError, ReviewState, ReviewStep, Validity
from gongkai.report import CellKind
from gongkai.web import demo, permissions
from gongkai.web.catalogue import service
from gongkai.web.catalogue.models import CatalogueItem, DecisionCount, IndexCounter, ItemEvent
from gongkai.web.catalogue.table_two import table_two
from gongkai.web.orgs.models import Membership, Role

from . import catalogue_factories as f

D = dt.date


def test_index_numbers_sequential_per_org_and_year(orgs: demo.DemoOrgs) -> None:
    a = [f.item(orgs.agency_a, written=D(2025, m, 1)) for m in (1, 2, 3)]
    a24 = f.item(orgs.agency_a, written=D(2024, 12, 31))
    b = f.item(orgs.agency_b, written=D(2025, 1, 1))
    assert [i.index_no for i in a] == [
        f"{f.CODES[orgs.agency_a.pk % 2]}/2025-0000{n}" for n in (1, 2, 3)
    ]
    assert a24.index_no.endswith("/2024-00001")
    assert b.index_no.endswith("/2025-00001") and b.index_no != a[0].index_no
    assert IndexCounter.objects.get(organisation=orgs.agency_a, year=2025).last == 3


def test_index_numbers_unique_in_the_database(orgs: demo.DemoOrgs) -> None:
    first = f.item(orgs.agency_a)
    other = CatalogueItem.objects.get(pk=first.pk)
    other.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_index_number_immutable(orgs: demo.DemoOrgs) -> None:
    row = f.item(orgs.agency_a)
    issued = row.index_no
    row.index_no = "something-else"
    with pytest.raises(CatalogueError, match="不得更改"):
        row.save()
    # An edit through the service has no way to name it, and leaves it alone.
    edited = service.edit_item(row.pk, 1, f.data(title="新名称"), None)
    assert edited.index_no == issued and edited.title == "新名称"


def test_a_taken_number_is_skipped_and_a_rule_change_keeps_issued_numbers(
    orgs: demo.DemoOrgs,
) -> None:
    f.configure(orgs.agency_a)
    code = f.CODES[orgs.agency_a.pk % 2]
    imported = f.data(title="旧系统迁移的条目")
    from gongkai.register.catalogue_sheet import SheetRow

    service.import_rows(orgs.agency_a, [SheetRow("s", 2, f"{code}/2025-00001", imported)], None)
    fresh = f.item(orgs.agency_a)
    assert fresh.index_no == f"{code}/2025-00002"  # the imported number is never reissued
    service.save_settings(orgs.agency_a, code, "{code}/{year}{month:02d}-{serial:05d}", 1, None)
    later = f.item(orgs.agency_a)
    assert later.index_no == f"{code}/202503-00003"
    fresh.refresh_from_db()
    assert fresh.index_no == f"{code}/2025-00002"


def test_no_rule_no_item(orgs: demo.DemoOrgs) -> None:
    with pytest.raises(CatalogueError, match="尚未设置索引号规则"):
        service.create_item(orgs.agency_b, f.data(), None)
    assert not CatalogueItem.objects.exists()


def test_settings_validated_and_versioned(orgs: demo.DemoOrgs) -> None:
    with pytest.raises(CatalogueError, match="校验位"):
        service.save_settings(orgs.agency_a, "11330100000000001X", "{year}-{serial}", 0, None)
    with pytest.raises(CatalogueError, match="year"):
        service.save_settings(orgs.agency_a, f.CODES[0], "{code}-{serial}", 0, None)
    service.save_settings(orgs.agency_a, f.CODES[0], "{year}-{serial}", 0, None)
    with pytest.raises(service.StaleVersion):
        service.save_settings(orgs.agency_a, f.CODES[0], "{year}-{serial:04d}", 0, None)


def test_review_in_order_with_who_and_when(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> None:
    officer, reviewer = user("officer_a"), user("reviewer_a")
    row = f.item(orgs.agency_a, officer)
    with pytest.raises(CatalogueError, match="未完成内容审核和保密审查，不能发布"):
        service.review(row.pk, row.version, ReviewStep.PUBLISH, reviewer)
    with pytest.raises(CatalogueError, match="不能进行保密审查"):
        service.review(row.pk, row.version, ReviewStep.SECRECY, reviewer)
    row = service.review(row.pk, row.version, ReviewStep.CONTENT, reviewer)
    with pytest.raises(CatalogueError, match="未完成保密审查"):
        service.review(row.pk, row.version, ReviewStep.PUBLISH, reviewer)
    row = service.review(row.pk, row.version, ReviewStep.SECRECY, officer)
    row = service.review(row.pk, row.version, ReviewStep.PUBLISH, reviewer)
    assert row.state == ReviewState.PUBLISHED.value
    assert row.content_reviewed_by == reviewer and row.secrecy_reviewed_by == officer
    assert row.content_reviewed_at <= row.secrecy_reviewed_at <= row.published_at
    assert row.published is not None  # no 发布日期 given: the day it was published
    kinds = list(row.events.order_by("seq").values_list("kind", flat=True))
    assert kinds == ["created", "content", "secrecy", "publish"]
    assert all(e.by is not None for e in row.events.all())


def test_not_proactive_never_published(orgs: demo.DemoOrgs) -> None:
    row = f.item(
        orgs.agency_a,
        steps=2,
        kind="other",
        article20="i7",
        validity=None,
        disclosure="on_request",
    )
    with pytest.raises(CatalogueError, match="依申请公开"):
        service.review(row.pk, row.version, ReviewStep.PUBLISH, None)


def test_edit_history_and_reopen(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> None:
    officer = user("officer_a")
    row = f.item(orgs.agency_a, officer, steps=2)
    assert row.state == ReviewState.SECRECY_OK.value
    row = service.edit_item(row.pk, row.version, f.data(title="改过的名称"), officer)
    assert row.state == ReviewState.DRAFT.value and row.content_reviewed_at is None
    event = row.events.order_by("-seq").first()
    assert event is not None and event.kind == "edited" and event.by == officer
    assert event.changes == {"title": ["示范区行政规范性文件管理办法", "改过的名称"]}
    assert "退回待审核" in event.note


def test_published_item_only_changes_validity(orgs: demo.DemoOrgs) -> None:
    row = f.published(orgs.agency_a)
    with pytest.raises(CatalogueError, match="只能更新有效性"):
        service.edit_item(row.pk, row.version, f.data(title="另一个名称"), None)
    repealed = f.data(validity=Validity.REPEALED, ended=D(2025, 9, 1))
    row = service.edit_item(row.pk, row.version, repealed, None)
    assert row.state == ReviewState.PUBLISHED.value and row.validity == "repealed"
    assert row.events.order_by("-seq").first().changes["ended"] == [None, "2025-09-01"]  # type: ignore[union-attr]


def test_inconsistent_validity_refused(orgs: demo.DemoOrgs) -> None:
    row = f.item(orgs.agency_a)
    with pytest.raises(service.InvalidItem) as e:
        service.edit_item(row.pk, row.version, f.data(validity=Validity.EXPIRED), None)
    assert [p.field for p in e.value.problems] == ["ended"]
    row.refresh_from_db()
    assert row.version == 1 and row.events.count() == 1  # nothing written


def test_stale_version_refused(orgs: demo.DemoOrgs) -> None:
    row = f.item(orgs.agency_a)
    service.edit_item(row.pk, 1, f.data(title="第一次"), None)
    with pytest.raises(service.StaleVersion, match="已被他人修改"):
        service.edit_item(row.pk, 1, f.data(title="第二次"), None)
    with pytest.raises(service.StaleVersion):
        service.review(row.pk, 1, ReviewStep.CONTENT, None)
    row.refresh_from_db()
    assert row.title == "第一次" and row.state == "draft"


def test_import_rolls_back_on_failure(orgs: demo.DemoOrgs) -> None:
    from gongkai.register.catalogue_sheet import SheetRow

    f.configure(orgs.agency_a)
    taken = f.item(orgs.agency_a).index_no
    rows = [
        SheetRow("目录", 2, "", f.data(title="一")),
        SheetRow("目录", 3, "", f.data(title="二")),
        SheetRow("目录", 4, taken, f.data(title="三")),  # taken since the preview
    ]
    with pytest.raises(CatalogueError, match=r"第4行.*已被使用"):
        service.import_rows(orgs.agency_a, rows, None)
    assert CatalogueItem.objects.count() == 1
    assert ItemEvent.objects.count() == 1
    assert IndexCounter.objects.get(organisation=orgs.agency_a, year=2025).last == 1


# --- table 二 -------------------------------------------------------------------------------


def _fixture(org: Any) -> None:
    """The hand-counted catalogue of tests/test_catalogue.py, stored; plus rows that must
    not count (a draft, an item of another body)."""
    N, R = "normative", "rules"
    for kind, written, published, validity, ended in (
        (N, D(2023, 5, 1), D(2023, 5, 10), "in_force", None),
        (N, D(2024, 3, 1), D(2024, 3, 5), "repealed", D(2025, 6, 30)),
        (N, D(2025, 2, 1), D(2025, 2, 10), "in_force", None),
        (N, D(2025, 4, 1), D(2025, 4, 3), "expired", D(2025, 11, 30)),
        (N, D(2025, 12, 28), D(2026, 1, 5), "in_force", None),
        (N, D(2024, 9, 1), D(2024, 9, 10), "repealed", D(2026, 3, 1)),
        (N, D(2026, 1, 10), D(2026, 1, 12), "in_force", None),
        (N, D(2022, 1, 1), D(2022, 1, 5), "amended", None),
        (R, D(2024, 7, 1), D(2024, 7, 2), "in_force", None),
        (R, D(2025, 8, 1), D(2025, 8, 2), "repealed", D(2025, 12, 31)),
    ):
        f.published(
            org,
            kind=kind,
            written=written,
            published=published,
            validity=Validity(validity),
            ended=ended,
        )
    f.item(org, steps=2, written=D(2025, 5, 1))  # in review: not counted
    f.published(org, kind="other", article20="i7", validity=None, written=D(2025, 1, 5))


def test_table_two_counts_by_hand(orgs: demo.DemoOrgs) -> None:
    _fixture(orgs.agency_a)
    f.published(orgs.agency_b, written=D(2025, 6, 1))  # another body's
    t = table_two(orgs.agency_a, 2025)
    values = {r.key: {c.column: c.value for c in r.cells} for r in t.rows}
    assert values["normative"] == {"issued": 3, "repealed": 2, "in_force": 5}
    assert values["rules"] == {"issued": 1, "repealed": 1, "in_force": 1}
    assert values["licensing"] == {"decisions": None}  # not entered: blank
    prev = table_two(orgs.agency_a, 2024)
    assert {c.column: c.value for c in prev.rows[1].cells} == {
        "issued": 2,
        "repealed": 0,
        "in_force": 4,
    }


def test_table_two_2019_format_counts(orgs: demo.DemoOrgs) -> None:
    f.published(orgs.agency_a, written=D(2019, 6, 1), published=D(2019, 6, 5))
    f.published(orgs.agency_a, written=D(2020, 12, 30), published=D(2021, 1, 4))
    f.published(
        orgs.agency_a,
        written=D(2020, 2, 1),
        published=D(2020, 2, 3),
        validity=Validity.REPEALED,
        ended=D(2020, 10, 1),
    )
    t = table_two(orgs.agency_a, 2020)
    row = t.row("normative")
    assert row is not None and row.label == "规范性文件"  # the 2019 label, from the format
    assert {c.column: c.value for c in row.cells} == {
        "new_made": 2,
        "new_published": 1,
        "total_published": 2,
    }
    assert [r.key for r in t.rows][-1] == "procurement"


def test_table_two_with_entered_counts_passes_the_checker(orgs: demo.DemoOrgs) -> None:
    _fixture(orgs.agency_a)
    service.save_decisions(
        orgs.agency_a,
        2025,
        {
            "licensing": {"decisions": "41"},
            "penalty": {"decisions": "7"},
            "coercion": {"decisions": "0"},
            "fees": {"fee_amount": "12.5"},
        },
        "执法台账",
        0,
        None,
    )
    t = table_two(orgs.agency_a, 2025)
    fees = t.row("fees")
    assert fees is not None and fees.cells[0].value == Decimal("12.5")
    assert fees.cells[0].kind is CellKind.NUMBER
    report = annual.build_report([], [], 2025, orgs.agency_a.name)
    report.tables["t2"] = t
    findings = gongkai.check(report)
    assert [x for x in findings if x.severity == "error"] == []
    assert not any(c.table == "t2" for x in findings for c in x.cells)


def test_decisions_validated_by_cell_type_and_versioned(orgs: demo.DemoOrgs) -> None:
    with pytest.raises(CatalogueError, match="件数不能为负数"):
        service.save_decisions(orgs.agency_a, 2025, {"licensing": {"decisions": "-1"}}, "", 0, None)
    with pytest.raises(CatalogueError, match="4位小数"):
        service.save_decisions(
            orgs.agency_a, 2025, {"fees": {"fee_amount": "1.00001"}}, "", 0, None
        )
    service.save_decisions(orgs.agency_a, 2025, {"fees": {"fee_amount": "1.0001"}}, "", 0, None)
    with pytest.raises(service.StaleVersion):
        service.save_decisions(orgs.agency_a, 2025, {}, "", 0, None)
    row = DecisionCount.objects.get(organisation=orgs.agency_a, year=2025)
    assert row.format == "2021" and row.values["fees"] == {"fee_amount": "1.0001"}
    assert not DecisionCount.objects.filter(year=2025, values__licensing__decisions="-1").exists()
    with pytest.raises(CatalogueError, match="2019年度起"):
        table_two(orgs.agency_a, 2017)


def test_demo_catalogue(orgs: demo.DemoOrgs) -> None:
    today = D(2026, 6, 30)
    n = demo.load_catalogue(orgs, today=today)
    assert 60 <= n <= 160
    assert demo.load_catalogue(orgs, today=today) == 0  # idempotent
    items = CatalogueItem.objects.all()
    assert {i.organisation_id for i in items} == {orgs.agency_a.pk, orgs.agency_b.pk}
    assert items.filter(validity__in=["repealed", "expired"], kind="normative").exists()
    assert items.exclude(state="published").exists()
    t = table_two(orgs.agency_a, 2025)
    report = annual.build_report([], [], 2025, orgs.agency_a.name)
    report.tables["t2"] = t
    assert [x for x in gongkai.check(report) if x.severity == "error"] == []
    cells = [c for r in t.rows for c in r.cells]
    assert all(c.kind is CellKind.NUMBER for c in cells)  # agency A's last year is complete
    normative = t.row("normative")
    assert normative is not None and normative.cells[0].value > 0  # type: ignore[operator]
    for i in items:  # every demo item is valid by the library's rules
        assert gongkai.register.catalogue.validate_item(service.item_data(i)) == []


def test_permission_predicates(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> None:
    a, b = orgs.agency_a, orgs.agency_b
    mine = f.published(a)
    draft = f.item(a)
    for name in ("officer_a", "reviewer_a"):
        assert permissions.can_edit_catalogue(user(name), a)
        assert not permissions.can_edit_catalogue(user(name), b)
    sup = user("supervisor")
    assert not permissions.can_edit_catalogue(sup, a)
    assert set(permissions.catalogue_visible_to(sup)) == {mine, draft}
    assert not permissions.catalogue_visible_to(user("officer_b")).exists()
    reader = get_user_model().objects.create(username="reader")
    Membership.objects.create(user=reader, organisation=a, role=Role.READONLY)
    assert permissions.catalogue_visible_to(reader).count() == 2
    assert not permissions.can_edit_catalogue(reader, a)
    assert permissions.can_configure_catalogue(user("reviewer_a"), a)
    assert not permissions.can_configure_catalogue(user("officer_a"), a)
    assert not permissions.can_configure_catalogue(sup, a)
    assert list(permissions.public_catalogue(a)) == [mine]
    assert not permissions.public_catalogue(b).exists()
