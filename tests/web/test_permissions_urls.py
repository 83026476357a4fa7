"""A permission test generated from the URL configuration: every URL pattern must have an
entry here saying how to build its arguments and what it protects, and for every one an
anonymous user and a user of another organisation are refused. A new URL without an entry
fails :func:`test_every_url_has_a_rule`."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.web.cases.models import Case


@dataclass(frozen=True)
class Rule:
    kwargs: Callable[[Case], dict[str, Any]]
    # "public": anyone; "login": any logged-in user, no other body's data shown; "case": one
    # case of agency A, refused (404) to agency B.
    scope: str
    methods: tuple[str, ...] = ("get",)
    body: dict[str, Any] | None = None  # a valid request body for POST, so that only the
    # permission can refuse it (JSON for the API, form fields for the pages)


NO_ARGS: Callable[[Case], dict[str, Any]] = lambda case: {}  # noqa: E731
CASE = lambda case: {"pk": case.pk}  # noqa: E731
API_CASE = lambda case: {"case_id": case.pk}  # noqa: E731


def _report(case: Case) -> int:
    """The annual report of the case's body and year (started on first use)."""
    from gongkai.web.reports import service

    return service.start(case.organisation, case.received.year, None).pk


REPORT = lambda case: {"pk": _report(case)}  # noqa: E731
API_REPORT = lambda case: {"report_id": _report(case)}  # noqa: E731

RULES: dict[str, Rule] = {
    "home": Rule(NO_ARGS, "public"),
    "healthz": Rule(NO_ARGS, "public"),
    "login": Rule(NO_ARGS, "public"),
    "logout": Rule(NO_ARGS, "public", ("post",)),
    "cases:list": Rule(NO_ARGS, "login"),
    "cases:new": Rule(NO_ARGS, "login", ("get", "post")),
    "cases:detail": Rule(CASE, "case"),
    "cases:event": Rule(
        CASE,
        "case",
        ("post",),
        {
            "kind": "withdrawn",
            "withdrawn-kind": "withdrawn",
            "withdrawn-version": "1",
            "withdrawn-on": "2025-03-04",
        },
    ),
    "api:api-root": Rule(NO_ARGS, "public"),
    "api:openapi-json": Rule(NO_ARGS, "login"),
    "api:cases": Rule(NO_ARGS, "login", ("get", "post")),
    "api:create_case": Rule(NO_ARGS, "login", ("get", "post")),
    "api:case": Rule(API_CASE, "case"),
    "api:case_events": Rule(
        API_CASE, "case", ("post",), {"kind": "withdrawn", "on": "2025-03-04", "version": 1}
    ),
    # Annual reports ("case" scope: agency A's report, refused to agency B).
    "reports:dashboard": Rule(NO_ARGS, "login"),
    "reports:start": Rule(NO_ARGS, "login", ("post",)),
    "reports:calendar": Rule(NO_ARGS, "login", ("get", "post")),
    "reports:detail": Rule(REPORT, "case"),
    "reports:save": Rule(REPORT, "case", ("post",), {"version": "1", "section_1": "改"}),
    "reports:transition": Rule(REPORT, "case", ("post",), {"action": "submit"}),
    "reports:export": Rule(lambda case: {**REPORT(case), "kind": "docx"}, "case"),
    "reports:public": Rule(REPORT, "public"),
    "reports:public_docx": Rule(REPORT, "public"),
    "api:reports": Rule(NO_ARGS, "login", ("get", "post")),
    "api:start_report": Rule(NO_ARGS, "login", ("get", "post")),
    "api:report": Rule(API_REPORT, "case"),
    "api:report_export": Rule(API_REPORT, "case"),
    "api:report_sections": Rule(
        API_REPORT, "case", ("post",), {"version": 1, "sections": {"1": "改"}}
    ),
    "api:report_transitions": Rule(API_REPORT, "case", ("post",), {"action": "submit"}),
}


def _names(patterns: list[Any], ns: str = "") -> Iterator[str]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _names(p.url_patterns, f"{ns}{p.namespace}:" if p.namespace else ns)
        elif isinstance(p, URLPattern):
            yield f"{ns}{p.name}" if p.name else f"<unnamed {p.pattern}>"


NAMES = sorted(set(_names(get_resolver().url_patterns)))


def test_every_url_has_a_rule() -> None:
    missing = [n for n in NAMES if n not in RULES]
    assert not missing, f"URLs without a permission rule in {__name__}.RULES: {missing}"
    assert not set(RULES) - set(NAMES), "rules for URLs that no longer exist"


def _call(client: Client, method: str, url: str, rule: Rule) -> Any:
    if method == "post" and rule.body is not None:
        if url.startswith("/api/"):
            return client.post(url, json.dumps(rule.body), content_type="application/json")
        return client.post(url, rule.body)
    return getattr(client, method)(url)


def _refused_anonymous(r: Any) -> bool:
    if r.status_code == 302:
        return str(r["Location"]).startswith("/accounts/login/")
    return r.status_code in (401, 403)


@pytest.mark.parametrize("name", [n for n in NAMES if n in RULES])
def test_url_refuses_anonymous_and_other_org(
    name: str, client_as: Callable[..., Client], case_a: Case
) -> None:
    rule = RULES[name]
    url = reverse(name, kwargs=rule.kwargs(case_a))
    version = case_a.version
    for method in rule.methods:
        anon = _call(client_as(None), method, url, rule)
        other = _call(client_as("officer_b"), method, url, rule)
        if rule.scope == "public":
            assert anon.status_code < 500 and other.status_code < 500
            continue
        assert _refused_anonymous(anon), (name, method, anon.status_code)
        if rule.scope == "case":
            assert other.status_code in (403, 404), (name, method, other.status_code)
        else:  # a list or a form: allowed, but nothing of agency A shows
            assert other.status_code < 500
            assert case_a.number not in other.content.decode(), (name, method)
    case_a.refresh_from_db()
    assert case_a.version == version  # nobody refused changed anything
