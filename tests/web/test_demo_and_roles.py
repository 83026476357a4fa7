"""The demo data (what ``serve --demo`` loads) and the roles of the permission module."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.web import demo, permissions
from gongkai.web.cases import register
from gongkai.web.cases.models import Case, CaseEvent
from gongkai.web.orgs.models import Membership, Role


def test_demo_load_is_legal_and_idempotent(orgs: demo.DemoOrgs) -> None:
    today = dt.date(2026, 6, 30)
    assert demo.load_cases(orgs, 120, today=today, batch=50) == 120
    assert demo.load_cases(orgs, 120, today=today) == 0  # idempotent
    demo.load_orgs()
    demo.load_accounts(orgs)
    assert Case.objects.count() == 120
    assert {c.organisation_id for c in Case.objects.all()} == {orgs.agency_a.pk, orgs.agency_b.pk}
    assert {c.year for c in Case.objects.all()} == {2025, 2026}
    for case in Case.objects.all():
        app = register.application(case)  # replays through the register: legal by construction
        assert app.state.value == case.state
        assert case.version == case.events.count()
        assert case.due == register.derived(app)["due"]
    # New rows after the explicit ids of the bulk load still get fresh ids.
    new = register.create_case(orgs.agency_a, register.Intake("网络", "natural", today, "x"), None)
    assert new.pk > max(c.pk for c in Case.objects.exclude(pk=new.pk))
    assert CaseEvent.objects.filter(case=new).count() == 1


def test_demo_password_detected(orgs: demo.DemoOrgs) -> None:
    assert set(demo.demo_accounts_with_demo_password()) == {a[0] for a in demo.ACCOUNTS}
    u = get_user_model().objects.get(username="officer_a")
    u.set_password("another-long-password-123")
    u.save()
    assert "officer_a" not in demo.demo_accounts_with_demo_password()


def test_roles(orgs: demo.DemoOrgs, user: Callable[[str], Any], case_a: Case) -> None:
    assert permissions.can_edit_case(user("officer_a"), case_a)
    assert permissions.can_edit_case(user("reviewer_a"), case_a)
    assert not permissions.can_view_case(user("officer_b"), case_a)
    sup = user("supervisor")
    assert permissions.can_view_case(sup, case_a) and not permissions.can_edit_case(sup, case_a)
    admin = user("admin")
    assert permissions.can_view_case(admin, case_a) and not permissions.can_edit_case(admin, case_a)
    # A 公开办 membership of the office itself reaches the bodies that name it supervisor.
    clerk = get_user_model().objects.create(username="clerk")
    Membership.objects.create(user=clerk, organisation=orgs.office, role=Role.SUPERVISOR)
    assert permissions.can_view_case(clerk, case_a)
    reader = get_user_model().objects.create(username="reader")
    Membership.objects.create(user=reader, organisation=orgs.agency_b, role=Role.READONLY)
    assert not permissions.can_view_case(reader, case_a)
    assert not permissions.orgs_writable_by(reader).exists()
    assert list(permissions.cases_visible_to(user("officer_b"))) == []


def test_demo_appeals_are_legal_idempotent_and_reach_table_four(orgs: demo.DemoOrgs) -> None:
    from gongkai.register.annual import build_report
    from gongkai.web.appeals.demo import load_appeals
    from gongkai.web.appeals.models import Appeal
    from gongkai.web.appeals.service import report_input

    today = dt.date(2026, 6, 30)
    demo.load_cases(orgs, 600, today=today)
    made = load_appeals(orgs, today=today)
    assert made > 0 and load_appeals(orgs, today=today) == 0
    rows = list(Appeal.objects.filter(organisation=orgs.agency_a))
    assert {a.kind for a in rows} == {"review", "direct", "after"}
    for a in rows:  # about an answer the agency gave, filed after it, never in the future
        assert a.case is not None and a.case.closed is not None
        assert a.case.closed < a.filed <= today
        assert (a.concluded is None) == (a.result == "pending")
    t4 = build_report(*report_input(orgs.agency_a, 2025), 2025, orgs.agency_a.name).tables["t4"]
    assert sum(c.value or 0 for r in t4.rows for c in r.cells) > 0


def test_demo_loads_as_of_a_past_day(db: Any) -> None:
    """``load(today=…)`` in the past (tests, a demo of last year's work) loads every part."""
    _, inserted = demo.load(200, today=dt.date(2026, 6, 30))
    assert inserted == 200
    from gongkai.web.public.models import OnlineApplication

    assert OnlineApplication.objects.filter(case__isnull=False).count() == 1
