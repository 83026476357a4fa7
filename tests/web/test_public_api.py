"""The public API without login (issue 11 §4): agencies, an application with exactly the five
fields of the issue, tracking by code and phone; rate limit, idempotency, no CSRF needed."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client, override_settings
from django.utils import timezone

from gongkai.web import demo
from gongkai.web.cases.models import Case
from gongkai.web.public import intake
from gongkai.web.public.models import OnlineApplication

FIVE = {
    "applicant": "natural",
    "name": "欧阳明远",
    "phone": "13800135790",
    "description": "示范区2025年城市更新专项资金分配方案",
}


def post(client: Client, url: str, body: Any, **extra: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_agencies_list(public_a: demo.DemoOrgs) -> None:
    r = Client().get("/api/v1/public/agencies")
    assert r.status_code == 200
    data = r.json()
    assert data["count"] == 2
    items = {i["id"]: i for i in data["items"]}
    assert set(items) == {public_a.agency_a.pk, public_a.agency_b.pk}  # not the 公开办
    a = items[public_a.agency_a.pk]
    assert a["name"] == "示范区人民政府办公室" and a["accepts_online"] is True
    assert a["guide_updated"] == timezone.localdate().isoformat()


def test_apply_with_the_five_fields_then_track(
    public_a: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    # No session, no CSRF token: the anonymous API is not session-authenticated.
    c = Client(enforce_csrf_checks=True)
    r = post(c, "/api/v1/public/applications", {"agency": public_a.agency_a.pk, **FIVE})
    assert r.status_code == 201, r.content
    code = r.json()["tracking_code"]
    assert len(code) == 12 and r.json()["state"] == "pending"
    app = OnlineApplication.objects.get(tracking_code=code)
    assert app.via == "api" and app.case is None and app.requested_form == "email"

    r = c.get(f"/api/v1/public/applications/{code}?phone=138-0013-5790")
    assert r.status_code == 200
    s = r.json()
    assert s["state"] == "pending" and s["state_label"] == "待机关确认"
    assert s["phone"] == "138****5790" and s["confirmed"] is None and s["events"] == []
    assert "欧阳明远" not in r.content.decode()

    # Wrong phone, wrong code: the same 404.
    wrong = [
        c.get(f"/api/v1/public/applications/{code}?phone=13800135791"),
        c.get("/api/v1/public/applications/ABCDEFGHJKMN?phone=13800135790"),
        c.get(f"/api/v1/public/applications/{code}"),
    ]
    assert {w.status_code for w in wrong} == {404}
    assert len({w.content for w in wrong}) == 1

    intake.confirm(app.pk, timezone.localdate(), user("officer_a"))
    s = c.get(f"/api/v1/public/applications/{code.lower()}?phone=13800135790").json()
    case = Case.objects.get(online_application__tracking_code=code)
    assert s["state"] == "processing" and s["confirmed"] == timezone.localdate().isoformat()
    assert s["number"] == case.number and s["due"] == (case.due.isoformat() if case.due else None)
    assert [e["kind"] for e in s["events"]] == ["received"]
    assert set(s["events"][0]) == {"kind", "label", "on"}  # no note, no 经办人


def test_bad_requests_are_422_in_chinese(public_a: demo.DemoOrgs, orgs: demo.DemoOrgs) -> None:
    url = "/api/v1/public/applications"
    a = public_a.agency_a.pk
    r = post(Client(), url, {"agency": a, **FIVE, "applicant": "citizen"})
    assert r.status_code == 422 and "applicant" in r.json()["detail"]
    r = post(Client(), url, {"agency": a, "applicant": "natural"})
    assert r.status_code == 422 and "缺少此项" in r.json()["detail"]
    r = post(Client(), url, {"agency": a, **FIVE, "phone": "12"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "phone"
    r = post(Client(), url, {"agency": a, **FIVE, "description": "  "})
    assert r.status_code == 422 and "第二十九条" in r.json()["detail"]
    r = post(Client(), url, {"agency": a, **FIVE, "uscc": "91330106MA2B3C4D5E"})
    assert r.status_code == 422 and "校验位" in r.json()["detail"]
    r = post(Client(), url, {"agency": orgs.office.pk, **FIVE})  # no guide: not on the public side
    assert r.status_code == 422 and "没有该机关" in r.json()["detail"]
    r = Client().post(url, "not json", content_type="application/json")
    assert r.status_code in (400, 422) and "detail" in r.json()
    assert OnlineApplication.objects.filter(name="欧阳明远").count() == 0


def test_repeat_and_idempotency_key(public_a: demo.DemoOrgs) -> None:
    url = "/api/v1/public/applications"
    body = {"agency": public_a.agency_a.pk, **FIVE}
    first = post(Client(), url, body)
    again = post(Client(), url, body)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["tracking_code"] == again.json()["tracking_code"]
    k1 = post(Client(), url, {**body, "description": "甲"}, HTTP_IDEMPOTENCY_KEY="k-1")
    k2 = post(Client(), url, {**body, "description": "乙"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert k1.status_code == 201 and k2.status_code == 200
    assert k1.json()["tracking_code"] == k2.json()["tracking_code"]
    assert OnlineApplication.objects.filter(name="欧阳明远").count() == 2


@override_settings(PUBLIC_RATE_LIMITS={"apply": (3, 3600), "track": (2, 600)})
def test_rate_limit_429(public_a: demo.DemoOrgs) -> None:
    c = Client()
    url = "/api/v1/public/applications"
    for i in range(3):
        r = post(c, url, {"agency": public_a.agency_a.pk, **FIVE, "description": f"第{i}项"})
        assert r.status_code == 201
    r = post(c, url, {"agency": public_a.agency_a.pk, **FIVE, "description": "第4项"})
    assert r.status_code == 429 and "请求过于频繁" in r.json()["detail"]
    assert int(r["Retry-After"]) > 0
    assert not OnlineApplication.objects.filter(description="第4项").exists()
    code = OnlineApplication.objects.filter(name="欧阳明远").first().tracking_code  # type: ignore[union-attr]
    assert c.get(f"/api/v1/public/applications/{code}?phone=13800135790").status_code == 200
    assert c.get(f"/api/v1/public/applications/{code}?phone=1").status_code == 404
    r = c.get(f"/api/v1/public/applications/{code}?phone=13800135790")
    assert r.status_code == 429  # the right phone too, once over the limit: no guessing spree


def test_schema_lists_the_public_operations(
    public_a: demo.DemoOrgs, client_as: Callable[..., Client]
) -> None:
    paths = client_as("officer_a").get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/public/agencies",
        "/api/v1/public/applications",
        "/api/v1/public/applications/{code}",
    } <= set(paths)
    # The public operations need no authentication; the register's still do.
    assert not paths["/api/v1/public/agencies"]["get"].get("security")
    assert paths["/api/v1/cases"]["get"].get("security")
    assert Client().get("/api/v1/cases").status_code == 401


def test_demo_online_applications(public_a: demo.DemoOrgs) -> None:
    from gongkai.web.public.demo import load_public

    states = sorted(OnlineApplication.objects.values_list("state", flat=True))
    assert states == ["confirmed", "pending", "pending"]
    load_public(public_a)  # idempotent
    assert OnlineApplication.objects.count() == 3
    confirmed = OnlineApplication.objects.get(state="confirmed")
    assert confirmed.case is not None and confirmed.case.channel == "网络"
    assert confirmed.case.received == confirmed.confirmed_on == timezone.localdate()
