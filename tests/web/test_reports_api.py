"""The annual reports in the JSON API: the stable shapes scripts rely on, every action × every
role (403), every state (409), another body's report (404), exports."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gongkai.report import Report
from gongkai.web.orgs.models import Token
from gongkai.web.reports import states
from gongkai.web.reports.models import AnnualReport

from .reports_helpers import YEAR

pytestmark = pytest.mark.django_db
BASE = "/api/v1/reports"


def _post(c: Client, url: str, body: dict[str, Any]) -> Any:
    return c.post(url, json.dumps(body), content_type="application/json")


def test_list_and_detail_shapes(
    report: AnnualReport, client_as: Callable[[str | None], Client]
) -> None:
    c = client_as("officer_a")
    items = c.get(BASE).json()["items"]
    assert items == [
        {
            "id": report.pk,
            "organisation": report.organisation_id,
            "organisation_name": "示范区人民政府办公室",
            "year": YEAR,
            "state": "draft",
            "version": 2,
            "format": "2021",
        }
    ]
    d = c.get(f"{BASE}/{report.pk}").json()
    for key in ("agency", "year", "format", "tables", "sections", "state", "version", "findings"):
        assert key in d
    assert (d["agency"], d["year"], d["format"], d["state"], d["version"]) == (
        "示范区人民政府办公室",
        YEAR,
        "2021",
        "draft",
        2,
    )
    # The same JSON schema as `gongkai parse --format json`: it loads as a Report.
    back = Report.model_validate({k: d[k] for k in Report.model_fields if k in d})
    assert back.tables["t3"] == Report.from_json(report.latest().data).tables["t3"]  # type: ignore[union-attr]
    assert {"rule", "severity", "message", "cells"} <= set(d["findings"][0])
    assert any(f["rule"] == "X-1" for f in d["findings"])


def test_anonymous_401_agency_b_404(
    report: AnnualReport, client_as: Callable[[str | None], Client]
) -> None:
    assert client_as(None).get(BASE).status_code == 401
    b = client_as("officer_b")
    assert b.get(BASE).json() == {"items": []}
    for url in (f"{BASE}/{report.pk}", f"{BASE}/{report.pk}/export?to=docx"):
        r = b.get(url)
        assert r.status_code == 404 and "找不到该年度报告" in r.json()["detail"]
    r = _post(b, f"{BASE}/{report.pk}/transitions", {"action": "submit"})
    assert r.status_code == 404
    report.refresh_from_db()
    assert report.state == "draft"


def test_export_files(report: AnnualReport, client_as: Callable[[str | None], Client]) -> None:
    import docx

    c = client_as("reviewer_a")
    r = c.get(f"{BASE}/{report.pk}/export?to=docx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    assert docx.Document(io.BytesIO(r.content)).tables
    for kind, word in (("html", "<table"), ("md", "|"), ("txt", "一、总体情况")):
        r = c.get(f"{BASE}/{report.pk}/export?to={kind}")
        assert r.status_code == 200 and word in r.content.decode()
    assert c.get(f"{BASE}/{report.pk}/export?to=pdf").status_code == 422
    old = c.get(f"{BASE}/{report.pk}/export?to=txt&version=1").content.decode()
    assert "全年共收到政府信息公开申请5件" not in old  # version 1 had no text yet


# The state each action is allowed from, and the roles that may take it.
FROM = {a: s for (s, a) in states.TRANSITIONS}
MAY = {
    "submit": {"reviewer_a"},
    "publish": {"reviewer_a"},
    "correct": {"reviewer_a"},
    "return": {"supervisor"},
    "accept": {"supervisor"},
}
ROLES = ("officer_a", "reviewer_a", "supervisor", "officer_b", "admin")


@pytest.mark.parametrize("action", [a.value for a in states.Action])
@pytest.mark.parametrize("who", ROLES)
def test_every_action_by_every_role(
    blank_report: AnnualReport, client_as: Callable[[str | None], Client], action: str, who: str
) -> None:
    state = FROM[states.Action(action)]
    AnnualReport.objects.filter(pk=blank_report.pk).update(state=state.value)
    r = _post(
        client_as(who), f"{BASE}/{blank_report.pk}/transitions", {"action": action, "note": "意见"}
    )
    blank_report.refresh_from_db()
    if who in MAY[action]:
        assert r.status_code == 200, r.content
        assert r.json()["state"] == states.TRANSITIONS[(state, states.Action(action))].value
        assert blank_report.events.get().by.username == who
    else:
        assert r.status_code == (404 if who == "officer_b" else 403), (who, action, r.content)
        assert blank_report.state == state.value and not blank_report.events.exists()


@pytest.mark.parametrize("action", [a.value for a in states.Action])
@pytest.mark.parametrize("state", [s.value for s in states.State])
def test_every_action_in_every_state(
    blank_report: AnnualReport, client_as: Callable[[str | None], Client], action: str, state: str
) -> None:
    AnnualReport.objects.filter(pk=blank_report.pk).update(state=state)
    who = next(iter(MAY[action]))
    r = _post(
        client_as(who), f"{BASE}/{blank_report.pk}/transitions", {"action": action, "note": "意见"}
    )
    expected = states.target(state, action)
    if expected is None:
        assert r.status_code == 409 and "不能" in r.json()["detail"]
    else:
        assert r.status_code == 200 and r.json()["state"] == expected.value


def test_bad_action_is_422(report: AnnualReport, client_as: Callable[[str | None], Client]) -> None:
    r = _post(client_as("reviewer_a"), f"{BASE}/{report.pk}/transitions", {"action": "approve"})
    assert r.status_code == 422 and "取值不在可选范围内" in r.json()["detail"]


def test_the_path_over_the_api_with_a_token(ledger: Any, user: Callable[[str], Any]) -> None:
    def client(name: str) -> Client:
        _, key = Token.issue(user(name))
        return Client(HTTP_AUTHORIZATION=f"Bearer {key}")

    officer, reviewer, supervisor = client("officer_a"), client("reviewer_a"), client("supervisor")
    r = _post(officer, BASE, {"year": YEAR})
    assert r.status_code == 201
    rid, version = r.json()["id"], r.json()["version"]
    assert _post(officer, BASE, {"year": YEAR}).status_code == 200  # the same report again
    r = _post(
        officer,
        f"{BASE}/{rid}/sections",
        {"version": version, "sections": {"1": "全年共收到政府信息公开申请4件。"}},
    )
    assert r.status_code == 200 and r.json()["version"] == version + 1
    assert not [f for f in r.json()["findings"] if f["rule"] == "X-1"]
    assert (
        _post(
            officer, f"{BASE}/{rid}/sections", {"version": version, "sections": {"1": "x"}}
        ).status_code
        == 409
    )
    assert (
        _post(
            officer, f"{BASE}/{rid}/sections", {"version": version + 1, "sections": {"9": "x"}}
        ).status_code
        == 422
    )
    assert _post(officer, f"{BASE}/{rid}/transitions", {"action": "submit"}).status_code == 403
    for c, action, note in (
        (reviewer, "submit", ""),
        (supervisor, "return", "请补充第五部分"),
        (reviewer, "submit", ""),
        (supervisor, "accept", ""),
        (reviewer, "publish", ""),
    ):
        r = _post(c, f"{BASE}/{rid}/transitions", {"action": action, "note": note})
        assert r.status_code == 200, (action, r.content)
    assert Client().get(f"/public/reports/{rid}/").status_code == 200
    assert (
        _post(
            supervisor, f"{BASE}/{rid}/transitions", {"action": "return", "note": "x"}
        ).status_code
        == 409
    )
    # Published: the text can no longer be changed.
    v = officer.get(f"{BASE}/{rid}").json()["version"]
    assert (
        _post(officer, f"{BASE}/{rid}/sections", {"version": v, "sections": {"1": "x"}}).status_code
        == 409
    )
