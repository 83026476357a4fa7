"""Shared fixtures of the annual-report tests: a small register of agency A over two years,
built through the register's one write path, and the report of 2024."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from gongkai.register.cases import Event, EventKind
from gongkai.web import demo
from gongkai.web.cases import register
from gongkai.web.cases.models import Case
from gongkai.web.orgs.models import Membership, Role
from gongkai.web.reports import service
from gongkai.web.reports.models import AnnualReport

YEAR = 2024


def add_case(
    org: Any,
    user: Any,
    received: dt.date,
    *,
    applicant: str = "natural",
    answered: dt.date | None = None,
    outcome: str = "disclosed",
) -> Case:
    case = register.create_case(
        org,
        register.Intake(
            channel="当面",
            applicant_type=applicant,
            received=received,
            description="申请公开某项政府信息",
            applicant_name="测试申请人",
        ),
        user,
    )
    if answered is not None:
        case = register.record(
            case.pk, case.version, Event(EventKind.ANSWERED, answered, outcome=outcome), user
        )
    return case


@pytest.fixture
def supervised(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> demo.DemoOrgs:
    """The demo supervisor also holds the 公开办 role in agency A's supervising office."""
    Membership.objects.get_or_create(
        user=user("supervisor"), organisation=orgs.office, role=Role.SUPERVISOR
    )
    return orgs


@pytest.fixture
def ledger(supervised: demo.DemoOrgs, user: Callable[[str], Any]) -> list[Case]:
    """Agency A: cases carried over from 2023, received and answered in 2024, still open at
    the end of 2024, and one of 2025; plus one case of agency B."""
    a, officer = supervised.agency_a, user("officer_a")
    return [
        add_case(a, officer, dt.date(2023, 12, 20), answered=dt.date(2024, 1, 10)),  # r2 → a
        add_case(a, officer, dt.date(2023, 6, 1), answered=dt.date(2023, 6, 20)),  # not in 2024
        add_case(a, officer, dt.date(2023, 12, 27)),  # r2 → still open: r4
        add_case(a, officer, dt.date(2024, 3, 4), answered=dt.date(2024, 3, 20)),
        add_case(
            a,
            officer,
            dt.date(2024, 4, 8),
            applicant="commercial",
            answered=dt.date(2024, 4, 30),
            outcome="not_held",
        ),
        add_case(a, officer, dt.date(2024, 5, 6), answered=dt.date(2024, 5, 20), outcome="partial"),
        add_case(a, officer, dt.date(2024, 12, 30)),  # r1 → r4
        add_case(a, officer, dt.date(2025, 1, 6)),  # not in 2024
        add_case(supervised.agency_b, user("officer_b"), dt.date(2024, 3, 5)),
    ]


SECTIONS = {
    1: "本年度，本机关认真贯彻落实《条例》，全年共收到政府信息公开申请5件，依法按时答复。",
    2: "本机关通过门户网站主动公开政府信息。",
    3: "本年度新收政府信息公开申请5件，上年结转2件。",
    4: "本年度未发生政府信息公开行政复议、行政诉讼案件。",
    5: "存在的主要问题是公开内容还不够全面，下一步将加强培训。",
    6: "本年度未收取信息处理费。",
}


@pytest.fixture
def report(ledger: list[Case], user: Callable[[str], Any]) -> AnnualReport:
    r = service.start(ledger[0].organisation, YEAR, user("officer_a"))
    r, _ = service.save_text(r.pk, r.version, r.preamble, SECTIONS, user("officer_a"))
    return r


@pytest.fixture
def blank_report(supervised: demo.DemoOrgs, user: Callable[[str], Any]) -> AnnualReport:
    """Agency A's 2024 report over an empty register (for the role × state matrices)."""
    return service.start(supervised.agency_a, YEAR, user("officer_a"))
