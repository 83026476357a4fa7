"""The JSON API contract scripts rely on (issue 10 §10): shapes, status codes, Chinese errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.test import Client

from gongkai.register.cases import EventKind, State
from gongkai.web.cases.models import Case

from .conftest import RECEIVED

ITEM_FIELDS = {"id", "number", "state", "received", "due", "channel", "applicant"}


def post(client: Client, url: str, body: Any, **extra: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_list_shape_and_pagination(client_as: Callable[..., Client], case_a: Case) -> None:
    r = client_as("officer_a").get("/api/v1/cases?page=1")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert set(item) >= ITEM_FIELDS
    assert item["number"] == case_a.number and item["state"] == "processing"
    assert item["received"] == RECEIVED.isoformat() and item["due"] == case_a.due.isoformat()
    assert item["applicant_id"] == "3301**********1234"  # never the full number
    assert "330102199001011234" not in r.content.decode()
    assert client_as("officer_a").get("/api/v1/cases?page=2").json() == {"items": [], "count": 1}


def test_create_then_events_then_stale(client_as: Callable[..., Client], orgs: Any) -> None:
    c = client_as("officer_a")
    r = post(
        c,
        "/api/v1/cases",
        {
            "channel": "网络",
            "applicant": "natural",
            "received": "2025-03-03",
            "description": "预算",
        },
    )
    assert r.status_code == 201, r.content
    case = r.json()
    assert case["version"] == 1 and case["state"] == "processing"
    assert [e["kind"] for e in case["events"]] == ["received"]
    url = f"/api/v1/cases/{case['id']}/events"
    r = post(c, url, {"kind": "supplement_requested", "on": "2025-03-05", "version": 1})
    assert r.status_code == 201 and r.json()["state"] == "awaiting_supplement"
    assert r.json()["due"] is None
    r = post(c, url, {"kind": "supplement_received", "on": "2025-03-10", "version": 2})
    assert r.status_code == 201 and r.json()["due"] is not None
    r = post(
        c,
        url,
        {
            "kind": "extension_approved",
            "on": "2025-03-20",
            "version": 3,
            "days": 10,
            "by": "张主任",
        },
    )
    assert r.status_code == 201
    ext = r.json()["events"][-1]
    assert ext["days"] == 10 and ext["kind"] == "extension_approved"
    # A stale version: 409, Chinese, nothing written.
    r = post(c, url, {"kind": "answered", "on": "2025-03-25", "version": 3, "outcome": "disclosed"})
    assert r.status_code == 409
    assert "已被他人修改" in r.json()["detail"]
    assert c.get(f"/api/v1/cases/{case['id']}").json()["version"] == 4
    r = post(c, url, {"kind": "answered", "on": "2025-03-25", "version": 4, "outcome": "disclosed"})
    assert r.status_code == 201
    done = r.json()
    assert done["state"] == State.CLOSED.value and done["outcome"] == "disclosed"
    assert done["events"][-1]["outcome"] == "disclosed" and done["allowed"] == []


def test_transition_not_allowed_is_422_with_the_registers_reason(
    client_as: Callable[..., Client], case_a: Case
) -> None:
    r = post(
        client_as("officer_a"),
        f"/api/v1/cases/{case_a.pk}/events",
        {"kind": "fee_paid", "on": "2025-03-04", "version": 1},
    )
    assert r.status_code == 422
    assert "不能记录「缴纳费用」" in r.json()["detail"]
    assert Case.objects.get(pk=case_a.pk).version == 1


def test_bad_input_is_422_in_chinese(client_as: Callable[..., Client], case_a: Case) -> None:
    c = client_as("officer_a")
    r = post(
        c, "/api/v1/cases", {"channel": "飞鸽", "applicant": "natural", "received": "2025-13-01"}
    )
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert "channel" in detail and "取值不在可选范围内" in detail
    assert "received" in detail and "日期" in detail and "description" in detail
    r = post(
        c,
        f"/api/v1/cases/{case_a.pk}/events",
        {"kind": "answered", "on": "2025-03-04", "version": 1, "outcome": "nonsense"},
    )
    assert r.status_code == 422 and "未知的办理结果" in r.json()["detail"]
    r = c.post("/api/v1/cases", "{not json", content_type="application/json")
    assert r.status_code in (400, 422)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in r.json()["detail"])


def test_other_org_refused(client_as: Callable[..., Client], case_a: Case) -> None:
    b = client_as("officer_b")
    assert b.get(f"/api/v1/cases/{case_a.pk}").status_code == 404
    r = post(
        b,
        f"/api/v1/cases/{case_a.pk}/events",
        {"kind": "withdrawn", "on": "2025-03-04", "version": 1},
    )
    assert r.status_code == 404
    assert b.get("/api/v1/cases").json()["count"] == 0
    assert Case.objects.get(pk=case_a.pk).version == 1


def test_supervisor_reads_but_cannot_write(client_as: Callable[..., Client], case_a: Case) -> None:
    s = client_as("supervisor")
    assert s.get(f"/api/v1/cases/{case_a.pk}").status_code == 200
    r = post(
        s,
        f"/api/v1/cases/{case_a.pk}/events",
        {"kind": "withdrawn", "on": "2025-03-04", "version": 1},
    )
    assert r.status_code == 403 and "不能修改" in r.json()["detail"]
    r = post(
        s,
        "/api/v1/cases",
        {"channel": "网络", "applicant": "natural", "received": "2025-03-03", "description": "x"},
    )
    assert r.status_code == 403


def test_anonymous_401_and_token_auth(
    client_as: Callable[..., Client], case_a: Case, capsys: Any
) -> None:
    anon = client_as(None)
    r = anon.get("/api/v1/cases")
    assert r.status_code == 401 and "请先登录" in r.json()["detail"]
    call_command("gongkai_token", "officer_a")
    key = capsys.readouterr().out.strip()
    r = anon.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert r.status_code == 200 and r.json()["count"] == 1
    r = post(
        anon,
        f"/api/v1/cases/{case_a.pk}/events",
        {"kind": "withdrawn", "on": "2025-03-04", "version": 1},
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert r.status_code == 201  # tokens need no CSRF token
    assert anon.get("/api/v1/cases", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_session_post_needs_csrf(user: Callable[[str], Any], orgs: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user("officer_a"))
    r = post(
        c,
        "/api/v1/cases",
        {"channel": "网络", "applicant": "natural", "received": "2025-03-03", "description": "x"},
    )
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]
    assert not Case.objects.exists()


def test_overdue_filter(client_as: Callable[..., Client], case_a: Case) -> None:
    # case_a was received in March 2025 and never answered: overdue now.
    assert case_a.due is not None and case_a.due < dt.date.today()
    c = client_as("officer_a")
    assert c.get("/api/v1/cases?overdue=true").json()["count"] == 1
    post(
        c,
        f"/api/v1/cases/{case_a.pk}/events",
        {"kind": EventKind.ANSWERED.value, "on": "2025-04-30", "version": 1, "outcome": "not_held"},
    )
    assert c.get("/api/v1/cases?overdue=true").json()["count"] == 0


def test_openapi_json_served(client_as: Callable[..., Client]) -> None:
    r = client_as("officer_a").get("/api/v1/openapi.json")
    assert r.status_code == 200
    assert "/api/v1/cases/{case_id}/events" in r.json()["paths"]


def test_healthz(client_as: Callable[..., Client], orgs: Any) -> None:
    assert client_as(None).get("/healthz").status_code == 200


def test_json_is_utf8_not_escaped(client_as: Callable[..., Client], case_a: Case) -> None:
    r = client_as("officer_a").get(f"/api/v1/cases/{case_a.pk}")
    assert "会议纪要".encode() in r.content and b"\\u" not in r.content
