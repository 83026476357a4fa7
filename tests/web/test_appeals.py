"""Reconsideration and litigation cases (表四): pages, history, stale edits, the API, and table
四 from the web data equal to the library's from the same data."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gongkai.register.annual import build_report
from gongkai.register.cases import Application
from gongkai.register.reviews import ReviewCase, ReviewKind, ReviewResult
from gongkai.web.appeals import service
from gongkai.web.appeals.models import Appeal, AppealEvent
from gongkai.web.cases import register
from gongkai.web.cases.models import Case
from tests.factories_cases import random_register, random_reviews

D = dt.date


def form(org: Any, **over: Any) -> dict[str, Any]:
    return {
        "organisation": org.pk,
        "number": "示复〔2025〕3号",
        "kind": "review",
        "filed": "2025-04-01",
        "authority": "示范区人民政府",
        "result": "pending",
        "concluded": "",
        "note": "",
        **over,
    }


def patch(client: Client, url: str, body: Any) -> Any:
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_new_appeal_from_the_case_page(
    client_as: Callable[..., Client], case_a: Case, orgs: Any
) -> None:
    c = client_as("officer_a")
    page = c.get(f"/cases/{case_a.pk}/").content.decode()
    assert "行政复议和行政诉讼" in page and f"/appeals/new/?case={case_a.pk}" in page
    r = c.get(f"/appeals/new/?case={case_a.pk}")
    assert r.status_code == 200 and f'value="{case_a.number}"' in r.content.decode()
    r = c.post("/appeals/new/", form(orgs.agency_a, case_number=case_a.number))
    assert r.status_code == 302, r.content.decode()
    appeal = Appeal.objects.get()
    assert (appeal.case, appeal.kind, appeal.result, appeal.version) == (
        case_a,
        "review",
        "pending",
        1,
    )
    first = appeal.events.get()
    assert first.kind == "filed" and first.on == D(2025, 4, 1)
    assert first.recorded_by is not None and first.recorded_by.username == "officer_a"
    page = c.get(f"/cases/{case_a.pk}/").content.decode()
    assert appeal.number in page and "尚未审结" in page
    # The supervisor sees it on the case page but may not add one.
    page = client_as("supervisor").get(f"/cases/{case_a.pk}/").content.decode()
    assert appeal.number in page and "/appeals/new/" not in page


@pytest.mark.parametrize(
    ("over", "field_text"),
    [
        ({"result": "upheld"}, "审结日期和审结结果须同时填写"),  # decided without a date
        ({"concluded": "2025-05-01"}, "审结日期和审结结果须同时填写"),  # a date, still pending
        ({"result": "upheld", "concluded": "2025-03-01"}, "早于收案日期"),
        ({"case_number": "2099-00001"}, "本机关没有登记号为「2099-00001」的申请"),
        ({"kind": "appeal"}, "选择一个有效的选项"),
        ({"filed": "2007-01-01"}, "早于《政府信息公开条例》施行之日"),
        ({"filed": "2999-01-01"}, "收案日期 2999年1月1日 晚于今天"),
    ],
)
def test_bad_appeal_is_refused_in_chinese(
    client_as: Callable[..., Client], orgs: Any, over: dict[str, str], field_text: str
) -> None:
    r = client_as("officer_a").post("/appeals/new/", form(orgs.agency_a, **over))
    assert r.status_code == 200
    assert field_text in r.content.decode()
    assert not Appeal.objects.exists() and not AppealEvent.objects.exists()


def test_duplicate_number_and_other_body_refused(
    client_as: Callable[..., Client], orgs: Any, case_a: Case
) -> None:
    c = client_as("officer_a")
    assert c.post("/appeals/new/", form(orgs.agency_a)).status_code == 302
    r = c.post("/appeals/new/", form(orgs.agency_a))
    assert "已被使用" in r.content.decode() and Appeal.objects.count() == 1
    # Agency B's officer cannot register in A, nor link a case of A.
    b = client_as("officer_b")
    r = b.post("/appeals/new/", form(orgs.agency_a, number="x"))
    assert r.status_code == 200 and Appeal.objects.count() == 1
    r = b.post("/appeals/new/", form(orgs.agency_b, number="x", case_number=case_a.number))
    assert "本机关没有登记号" in r.content.decode() and Appeal.objects.count() == 1


def test_edit_writes_history_and_stale_edit_is_409(
    client_as: Callable[..., Client], orgs: Any, user: Callable[[str], Any]
) -> None:
    appeal = service.create(
        orgs.agency_a,
        service.AppealData("示复〔2025〕3号", "review", D(2025, 4, 1), authority="示范区人民政府"),
        user("officer_a"),
    )
    a, r2 = client_as("officer_a"), client_as("reviewer_a")
    url = f"/appeals/{appeal.pk}/"
    concluded = form(orgs.agency_a, result="corrected", concluded="2025-06-30", version="1")
    r = a.post(url, concluded)
    assert r.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.result, appeal.concluded, appeal.version) == ("corrected", D(2025, 6, 30), 2)
    ev = appeal.events.order_by("seq").last()
    assert ev is not None and ev.kind == "concluded" and ev.on == D(2025, 6, 30)
    assert ev.changes == {"result": ["pending", "corrected"], "concluded": [None, "2025-06-30"]}
    assert "结果纠正" in a.get(url).content.decode()
    # The reviewer's form was read at version 1: refused, nothing overwritten.
    r = r2.post(url, form(orgs.agency_a, authority="别的机关", version="1"))
    assert r.status_code == 409
    assert "已被他人修改" in r.content.decode() and "别的机关" in r.content.decode()
    appeal.refresh_from_db()
    assert appeal.authority == "示范区人民政府" and appeal.version == 2
    assert appeal.events.count() == 2
    # Read-only roles may not post.
    assert client_as("supervisor").post(url, concluded).status_code == 403
    assert client_as("officer_b").get(url).status_code == 404


def test_list_filters_and_pagination(
    client_as: Callable[..., Client], orgs: Any, user: Callable[[str], Any], settings: Any
) -> None:
    settings.PAGE_SIZE = 2
    who = user("officer_a")
    for i, (kind, filed, result, concluded) in enumerate(
        [
            ("review", D(2024, 3, 1), "upheld", D(2024, 5, 1)),
            ("direct", D(2025, 1, 9), "pending", None),
            ("after", D(2025, 2, 9), "other", D(2025, 8, 1)),
        ]
    ):
        service.create(
            orgs.agency_a,
            service.AppealData(f"A-{i}", kind, filed, result, concluded),
            who,
        )
    service.create(orgs.agency_b, service.AppealData("B-0", "review", D(2025, 1, 1)), who)
    c = client_as("officer_a")
    page = c.get("/appeals/").content.decode()
    assert "共 3 件" in page and "A-2" in page and "A-1" in page and "A-0" not in page
    assert "B-0" not in page
    assert "A-0" in c.get("/appeals/?page=2").content.decode()
    only = c.get("/appeals/?kind=direct").content.decode()
    assert "A-1" in only and "A-2" not in only
    assert "共 1 件" in c.get("/appeals/?result=upheld").content.decode()
    year = c.get("/appeals/?year=2025").content.decode()
    assert "共 2 件" in year and "A-0" not in year
    assert "B-0" not in client_as("supervisor").get("/appeals/?q=A-").content.decode()
    assert "共 4 件" in client_as("supervisor").get("/appeals/").content.decode()


# --- the API -------------------------------------------------------------------------------


def test_api_create_get_patch_stale(
    client_as: Callable[..., Client], case_a: Case, orgs: Any
) -> None:
    c = client_as("officer_a")
    body = {"number": "示复〔2025〕9号", "kind": "direct", "filed": "2025-04-02", "case": case_a.pk}
    r = c.post("/api/v1/appeals", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    a = r.json()
    assert a["result"] == "pending" and a["result_label"] == "尚未审结"
    assert a["kind_label"] == "行政诉讼（未经复议直接起诉）"
    assert a["application_number"] == case_a.number and a["version"] == 1
    url = f"/api/v1/appeals/{a['id']}"
    assert c.get(url).json()["events"][0]["kind"] == "filed"
    r = patch(c, url, {"version": 1, "result": "upheld", "concluded": "2025-09-01"})
    assert r.status_code == 200, r.content
    assert r.json()["version"] == 2 and r.json()["events"][-1]["kind"] == "concluded"
    r = patch(c, url, {"version": 1, "note": "旧版本"})
    assert r.status_code == 409 and "已被他人修改" in r.json()["detail"]
    assert c.get(url).json()["note"] == ""
    r = patch(c, url, {"version": 2, "concluded": "2025-01-01"})
    assert r.status_code == 422 and "早于收案日期" in r.json()["detail"]
    r = patch(c, url, {"version": 2, "result": "pending"})
    assert r.status_code == 422 and "同时填写" in r.json()["detail"]
    r = patch(c, url, {"version": 2, "result": "pending", "concluded": None})
    assert r.status_code == 200 and r.json()["events"][-1]["kind"] == "reopened"
    assert c.get("/api/v1/appeals?kind=direct").json()["count"] == 1
    assert c.get("/api/v1/appeals?kind=review").json()["count"] == 0
    r = c.get("/api/v1/appeals?kind=nonsense")
    assert r.status_code == 422 and "取值不在可选范围内" in r.json()["detail"]
    # Agency B: not found, not listed, cannot change it; the supervisor reads, not writes.
    b = client_as("officer_b")
    assert b.get(url).status_code == 404 and b.get("/api/v1/appeals").json()["count"] == 0
    assert patch(b, url, {"version": 3, "note": "x"}).status_code == 404
    s = client_as("supervisor")
    assert s.get(url).status_code == 200
    assert patch(s, url, {"version": 3, "note": "x"}).status_code == 403
    r = b.post(
        "/api/v1/appeals",
        json.dumps({**body, "number": "B1"}),
        content_type="application/json",
    )
    assert r.status_code == 422 and "本机关没有该申请" in r.json()["detail"]
    assert Appeal.objects.count() == 1 and Appeal.objects.get().version == 3


# --- table 四 from the web data --------------------------------------------------------------


def _store_cases(org: Any, apps: list[Application], who: Any) -> None:
    for app in apps:
        assert app.received is not None
        register.import_case(
            org,
            register.Intake(app.channel.value, app.applicant.value, app.received, app.content),
            list(app.events),
            who,
        )


def _store_reviews(org: Any, reviews: list[ReviewCase], who: Any) -> None:
    for r in reviews:
        service.create(
            org,
            service.AppealData(
                r.id,
                r.kind.value,
                r.filed,
                r.result.value if r.result else "pending",
                r.decided,
            ),
            who,
        )


def test_table_four_from_the_web_equals_build_report(orgs: Any, user: Callable[[str], Any]) -> None:
    who = user("officer_a")
    apps = random_register(60, D(2023, 6, 1), D(2025, 6, 30), seed=7)
    reviews = random_reviews(80, D(2022, 6, 1), D(2025, 6, 30), seed=11)
    _store_cases(orgs.agency_a, apps, who)
    _store_reviews(orgs.agency_a, reviews, who)
    # Agency B's cases never count in A's report.
    _store_reviews(orgs.agency_b, random_reviews(10, D(2023, 1, 1), D(2024, 12, 31), seed=2), who)
    for year in (2023, 2024, 2025):
        web = build_report(*service.report_input(orgs.agency_a, year), year, "A")
        lib = build_report(apps, reviews, year, "A")
        t4 = {c.column: c.value for c in web.tables["t4"].rows[0].cells}
        assert t4 == {c.column: c.value for c in lib.tables["t4"].rows[0].cells}
        assert t4["review_total"] + t4["direct_total"] + t4["after_total"] > 0
        assert web.tables["t3"] == lib.tables["t3"]
    # The input is the library's own objects, filed by the end of the year only.
    got = service.table4_input(orgs.agency_a, 2023)
    assert all(isinstance(r, ReviewCase) and r.filed <= D(2023, 12, 31) for r in got)
    assert {r.id for r in got} == {r.id for r in reviews if r.filed.year <= 2023}


def test_table_four_counts_a_pending_case_in_both_years(
    orgs: Any, user: Callable[[str], Any]
) -> None:
    who = user("officer_a")
    a = service.create(orgs.agency_a, service.AppealData("R1", "after", D(2024, 11, 5)), who)
    t4 = build_report([], service.table4_input(orgs.agency_a, 2024), 2024, "A").tables["t4"]
    cells = {c.column: c.value for c in t4.rows[0].cells}
    assert cells["after_pending"] == 1 and cells["after_total"] == 1
    service.update(
        a.pk, 1, {"result": ReviewResult.CORRECTED.value, "concluded": D(2025, 3, 1)}, who
    )
    t4 = build_report([], service.table4_input(orgs.agency_a, 2025), 2025, "A").tables["t4"]
    cells = {c.column: c.value for c in t4.rows[0].cells}
    assert cells["after_corrected"] == 1 and cells["after_pending"] == 0
    assert ReviewKind("after") is ReviewKind.SUIT_AFTER_REVIEW


def test_appeal_predicates_by_role(orgs: Any, user: Callable[[str], Any], case_a: Case) -> None:
    from django.contrib.auth.models import AnonymousUser

    from gongkai.web import permissions

    a = service.create(orgs.agency_a, service.AppealData("A1", "review", D(2025, 4, 1)), None)
    b = service.create(orgs.agency_b, service.AppealData("B1", "review", D(2025, 4, 1)), None)

    def seen(name: str) -> set[str]:
        return set(permissions.appeals_visible_to(user(name)).values_list("number", flat=True))

    assert seen("officer_a") == seen("reviewer_a") == {"A1"} and seen("officer_b") == {"B1"}
    assert seen("supervisor") == seen("admin") == {"A1", "B1"}
    assert not permissions.appeals_visible_to(AnonymousUser()).exists()
    assert permissions.can_edit_appeal(user("officer_a"), a)
    assert permissions.can_edit_appeal(user("reviewer_a"), a)
    assert not permissions.can_edit_appeal(user("officer_a"), b)
    for name in ("supervisor", "admin"):  # read, never write
        assert not permissions.can_edit_appeal(user(name), a)
        assert not permissions.can_import_into(user(name), orgs.agency_a)
    assert permissions.can_import_into(user("officer_a"), orgs.agency_a)
    assert not permissions.can_import_into(user("officer_b"), orgs.agency_a)
