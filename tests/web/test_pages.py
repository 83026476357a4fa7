"""The register's pages: login, list with filters, intake, the case page with exactly the
actions the transition table allows, stale edits refused with a Chinese message."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.test import Client

from gongkai.register.cases import EVENT_LABELS, TRANSITIONS, State
from gongkai.web.cases import queries, register
from gongkai.web.cases.models import Case

from .conftest import RECEIVED


def test_login_form(orgs: Any) -> None:
    c = Client()
    r = c.get("/accounts/login/")
    assert r.status_code == 200 and "用户名" in r.content.decode()
    r = c.post("/accounts/login/", {"username": "officer_a", "password": "gongkai-demo"})
    assert r.status_code == 302 and r["Location"] == "/cases/"
    assert c.get("/cases/").status_code == 200
    r = Client().post("/accounts/login/", {"username": "officer_a", "password": "wrong"})
    assert r.status_code == 200 and "请输入一个正确的" in r.content.decode()


def test_list_filters_and_masks(client_as: Callable[..., Client], case_a: Case, orgs: Any) -> None:
    other = register.create_case(
        orgs.agency_a,
        register.Intake("邮寄", "legal_services", dt.date(2024, 5, 6), "学区划分"),
        None,
    )
    c = client_as("officer_a")
    page = c.get("/cases/").content.decode()
    assert case_a.number in page and other.number in page
    assert "3301**********1234" in page and "330102199001011234" not in page
    assert other.number not in c.get("/cases/?year=2025").content.decode()
    assert case_a.number not in c.get("/cases/?channel=邮寄").content.decode()
    assert case_a.number not in c.get("/cases/?applicant=legal_services").content.decode()
    found = c.get("/cases/?q=会议纪要").content.decode()
    assert case_a.number in found and other.number not in found
    assert case_a.number in c.get("/cases/?overdue=1").content.decode()
    assert case_a.number not in c.get("/cases/?state=closed").content.decode()


def test_intake_form_takes_the_receipt_date_of_article_31(
    client_as: Callable[..., Client], orgs: Any
) -> None:
    c = client_as("officer_a")
    assert "《条例》第三十一条" in c.get("/cases/new/").content.decode()
    base = {
        "organisation": orgs.agency_a.pk,
        "applicant_type": "research",
        "applicant_name": "示范研究院",
        "description": "科研经费",
        "requested_form": "email",
    }
    # 邮寄: the day the agency signed for it, not the day it was posted.
    r = c.post(
        "/cases/new/",
        {**base, "channel": "邮寄", "submitted": "2025-06-03", "signed_for": "2025-06-05"},
    )
    assert r.status_code == 302
    case = Case.objects.get()
    assert (case.organisation, case.channel, case.received) == (
        orgs.agency_a,
        "邮寄",
        dt.date(2025, 6, 5),
    )
    # 网络 without the confirmation date: refused with the register's reason, nothing saved.
    r = c.post("/cases/new/", {**base, "channel": "网络", "submitted": "2025-06-03"})
    assert r.status_code == 200 and "双方确认之日" in r.content.decode()
    r = c.post(
        "/cases/new/",
        {**base, "organisation": orgs.agency_b.pk, "channel": "当面", "submitted": "2025-06-03"},
    )
    assert r.status_code == 200  # not a body officer_a writes for
    assert Case.objects.count() == 1


def _actions(html: str) -> set[str]:
    return set(re.findall(r'name="kind" value="([a-z_]+)"', html))


def test_case_page_offers_exactly_the_allowed_actions(
    client_as: Callable[..., Client], case_a: Case
) -> None:
    c = client_as("officer_a")
    html = c.get(f"/cases/{case_a.pk}/").content.decode()
    assert _actions(html) == {k.value for k in TRANSITIONS[State.PROCESSING]}
    assert "《条例》第三十三条第二款" in html and case_a.due.isoformat() in html
    r = c.post(
        f"/cases/{case_a.pk}/events/",
        {
            "kind": "supplement_requested",
            "supplement_requested-kind": "supplement_requested",
            "supplement_requested-version": "1",
            "supplement_requested-on": "2025-03-05",
        },
    )
    assert r.status_code == 302
    html = c.get(f"/cases/{case_a.pk}/").content.decode()
    assert _actions(html) == {k.value for k in TRANSITIONS[State.AWAITING_SUPPLEMENT]}
    assert EVENT_LABELS[next(iter(TRANSITIONS[State.AWAITING_SUPPLEMENT]))] in html
    assert "《条例》第三十条" in html


def test_stale_form_refused_in_chinese(client_as: Callable[..., Client], case_a: Case) -> None:
    c = client_as("officer_a")
    form = {
        "kind": "withdrawn",
        "withdrawn-kind": "withdrawn",
        "withdrawn-version": "1",
        "withdrawn-on": "2025-03-05",
    }
    register.record(
        case_a.pk, 1, register.Event(register.EventKind.CONSULTATION_STARTED, RECEIVED), None
    )
    r = c.post(f"/cases/{case_a.pk}/events/", form, follow=True)
    assert "已被他人修改" in r.content.decode()
    assert Case.objects.get(pk=case_a.pk).state == State.CONSULTING.value


def test_register_refusal_shown(client_as: Callable[..., Client], case_a: Case) -> None:
    c = client_as("officer_a")
    r = c.post(
        f"/cases/{case_a.pk}/events/",
        {
            "kind": "extension_approved",
            "extension_approved-kind": "extension_approved",
            "extension_approved-version": "1",
            "extension_approved-on": "2025-03-05",
            "extension_approved-days": "20",
            "extension_approved-by": " ",
        },
        follow=True,
    )
    assert "请写明批准人" in r.content.decode()
    assert Case.objects.get(pk=case_a.pk).version == 1


def test_other_org_and_anonymous_refused(client_as: Callable[..., Client], case_a: Case) -> None:
    assert client_as("officer_b").get(f"/cases/{case_a.pk}/").status_code == 404
    assert case_a.number not in client_as("officer_b").get("/cases/").content.decode()
    r = client_as(None).get(f"/cases/{case_a.pk}/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_security_headers(client_as: Callable[..., Client], orgs: Any) -> None:
    r = client_as(None).get("/accounts/login/")
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"
    # Scripts only from the application's own static files (vendored htmx): none inline.
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", r.content.decode(), re.S)
    tags = re.findall(r"<script\b[^>]*>", r.content.decode())
    assert tags and all(re.search(r'src="/static/', t) for t in tags), tags
    assert all(not body.strip() for body in scripts), scripts
    r = Client().post("/accounts/login/", {"username": "officer_a", "password": "gongkai-demo"})
    cookie = r.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_login_throttled_after_repeated_failures(orgs: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    c = Client()
    for _ in range(5):
        assert (
            c.post("/accounts/login/", {"username": "officer_a", "password": "x"}).status_code
            == 200
        )
    r = c.post("/accounts/login/", {"username": "officer_a", "password": "gongkai-demo"})
    assert r.status_code == 429 and "登录失败次数过多" in r.content.decode()
    assert "_auth_user_id" not in c.session
    cache.clear()


def test_case_page_says_how_late(client_as: Callable[..., Client], case_a: Case) -> None:
    # case_a was received in March 2025 and is still open: overdue, counted in working days.
    html = client_as("officer_a").get(f"/cases/{case_a.pk}/").content.decode()
    assert re.search(r"已超期 \d+ 个工作日", html)


def test_due_within_and_outcome_filters(
    client_as: Callable[..., Client], case_a: Case, orgs: Any
) -> None:
    done = register.create_case(
        orgs.agency_a, register.Intake("网络", "natural", RECEIVED, "旧"), None
    )
    register.record(
        done.pk, 1, register.Event(register.EventKind.ANSWERED, RECEIVED, outcome="not_held"), None
    )
    everything = Case.objects.all()
    # On the day of receipt, case_a is due in 20 working days: inside 25, outside 3.
    assert list(queries.due_within(everything, RECEIVED, 25)) == [case_a]
    assert list(queries.due_within(everything, RECEIVED, 3)) == []
    assert list(queries.overdue(everything, case_a.due + dt.timedelta(days=1))) == [case_a]
    c = client_as("officer_a")
    held = c.get("/cases/?outcome=not_held").content.decode()
    assert done.number in held and case_a.number not in held
    assert [i["number"] for i in c.get("/api/v1/cases?outcome=not_held").json()["items"]] == [
        done.number
    ]
    assert c.get("/api/v1/cases?channel=飞鸽").status_code == 422
    assert c.get("/api/v1/cases?due_within=x").status_code == 422
    # case_a was registered by officer_a, `done` by nobody in particular.
    mine = c.get("/cases/?mine=1").content.decode()
    assert case_a.number in mine and done.number not in mine
    assert c.get("/api/v1/cases?mine=true").json()["count"] == 1


def test_home_sends_staff_to_the_register_and_everyone_else_to_the_public_side(
    client_as: Any,
) -> None:
    anon = client_as(None).get("/")
    assert anon.status_code == 302 and anon["Location"] == "/public/"
    page = client_as(None).get("/public/").content.decode()
    assert 'href="/accounts/login/"' in page  # staff can still find the login
    staff = client_as("officer_a").get("/")
    assert staff.status_code == 302 and staff["Location"] == "/cases/"
