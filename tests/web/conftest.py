"""Fixtures of the web tests: the demo organisations and accounts (the same code as
``gongkai serve --demo``), one case of agency A, and clients logged in as each account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from gongkai.web import demo
from gongkai.web.cases import register
from gongkai.web.cases.models import Case

RECEIVED = dt.date(2025, 3, 3)  # a Monday


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Rate-limit and login-failure counters live in the cache: each test starts at zero."""
    cache.clear()


@pytest.fixture
def orgs(db: Any) -> demo.DemoOrgs:
    o = demo.load_orgs()
    demo.load_accounts(o)
    return o


@pytest.fixture
def user(orgs: demo.DemoOrgs) -> Callable[[str], Any]:
    return lambda name: get_user_model().objects.get(username=name)


@pytest.fixture
def case_a(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> Case:
    return register.create_case(
        orgs.agency_a,
        register.Intake(
            channel="网络",
            applicant_type="natural",
            received=RECEIVED,
            description="申请公开2024年区政府常务会议纪要",
            applicant_name="王伟",
            applicant_id_number="330102199001011234",
        ),
        user("officer_a"),
    )


@pytest.fixture
def public_a(orgs: demo.DemoOrgs) -> demo.DemoOrgs:
    """The public side's demo: guides of agencies A and B, online applications to A."""
    from gongkai.web.public.demo import load_public

    load_public(orgs)
    return orgs


@pytest.fixture
def client_as(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> Callable[[str | None], Client]:
    def make(name: str | None) -> Client:
        c = Client()
        if name is not None:
            c.force_login(user(name))
        return c

    return make


# The annual reports' fixtures (a small register of agency A, its 2024 report).
from .reports_helpers import blank_report, ledger, report, supervised  # noqa: E402, F401
