"""The Django admin: superusers only, the derived fields and the history read-only, no case
added or deleted there (the register is the one way in)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.test import Client

from gongkai.register.cases import Event, EventKind
from gongkai.web.cases import register
from gongkai.web.cases.models import Case, CaseEvent


def test_superuser_lists_and_searches(client_as: Callable[..., Client], case_a: Case) -> None:
    c = client_as("admin")
    for url in (
        "/admin/",
        "/admin/cases/case/",
        "/admin/orgs/organisation/",
        "/admin/orgs/membership/",
        "/admin/orgs/token/",
        "/admin/auth/user/",
    ):
        assert c.get(url).status_code == 200, url
    page = c.get("/admin/cases/case/?q=王伟").content.decode()
    assert case_a.number in page and "3301**********1234" in page
    assert "330102199001011234" not in page  # the list masks the ID number
    assert case_a.number not in c.get("/admin/cases/case/?q=不存在的人").content.decode()
    assert case_a.number in c.get(f"/admin/cases/case/?state={case_a.state}").content.decode()
    assert case_a.number not in c.get("/admin/cases/case/?state=closed").content.decode()


def test_staff_who_is_not_superuser_is_refused(
    client_as: Callable[..., Client], user: Callable[[str], Any]
) -> None:
    officer = user("officer_a")
    officer.is_staff = True
    officer.save()
    assert client_as("officer_a").get("/admin/").status_code == 403
    r = Client().get("/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")
    r = Client().get("/admin/login/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_case_admin_cannot_change_derived_fields_or_history(
    client_as: Callable[..., Client], case_a: Case, user: Callable[[str], Any]
) -> None:
    case = register.record(
        case_a.pk, case_a.version, Event(EventKind.SUPPLEMENT_REQUESTED, dt.date(2025, 3, 5)), None
    )
    events_before = list(CaseEvent.objects.filter(case=case).values())
    c = client_as("admin")
    url = f"/admin/cases/case/{case.pk}/change/"
    page = c.get(url).content.decode()
    assert 'name="applicant_name"' in page  # an intake detail may be corrected
    for derived in ("state", "due", "closed", "outcome", "version", "received", "channel"):
        assert f'name="{derived}"' not in page, derived
    assert 'name="events-0-kind"' not in page and "events-0-DELETE" not in page
    r = c.post(
        url,
        {
            "applicant_name": "王伟（更正）",
            "applicant_contact": "",
            "applicant_id_number": case.applicant_id_number,
            "description": case.description,
            "requested_form": case.requested_form,
            "state": "closed",
            "version": "99",
            "received": "2020-01-01",
            "events-TOTAL_FORMS": "1",
            "events-INITIAL_FORMS": "1",
            "events-0-id": str(events_before[0]["id"]),
            "events-0-kind": "withdrawn",
            "events-0-DELETE": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    after = Case.objects.get(pk=case.pk)
    assert after.applicant_name == "王伟（更正）"
    assert (after.state, after.version, after.received, after.due) == (
        case.state,
        case.version,
        case.received,
        case.due,
    )
    assert list(CaseEvent.objects.filter(case=case).values()) == events_before
    assert c.get("/admin/cases/case/add/").status_code == 403
    assert c.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Case.objects.filter(pk=case.pk).exists()
