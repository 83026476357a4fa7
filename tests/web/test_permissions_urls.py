"""A permission test generated from the URL configuration: every URL pattern must have an
entry here saying how to build its arguments and what it protects, and for every one an
anonymous user and a user of another organisation are refused. A new URL without an entry
fails :func:`test_every_url_has_a_rule`."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from gongkai.web.appeals import service as appeal_service
from gongkai.web.appeals.models import Appeal
from gongkai.web.cases.models import Case
from gongkai.web.catalogue.models import CatalogueItem
from gongkai.web.orgs.models import Membership
from gongkai.web.public.models import Guide, OnlineApplication

from .catalogue_factories import FORM, one_published


@dataclass(frozen=True)
class Rule:
    kwargs: Callable[[Case], dict[str, Any]]
    # "public": anyone; "login": any logged-in user, no other body's data shown; "case": one
    # object of agency A (a case, an online application, its 指南's editor), refused (404) to
    # agency B; "superuser": the Django admin, refused (403) to everyone but a superuser;
    # "supervisor": the 公开办's side, refused (403/404) to every account that is not a 公开办
    # member (officers of both agencies, the superuser), open to the demo supervisor.
    scope: str
    methods: tuple[str, ...] = ("get",)
    body: dict[str, Any] | None = None  # a valid request body for POST, so that only the
    # permission can refuse it (JSON for the API, form fields for the pages)
    # For "login": what of agency A must not show to agency B (default: the case's number).
    secret: Callable[[Case], str] | None = None
    url: Callable[[Case], str] | None = None  # for an unnamed pattern, which cannot be reversed


NO_ARGS: Callable[[Case], dict[str, Any]] = lambda case: {}  # noqa: E731
CASE = lambda case: {"pk": case.pk}  # noqa: E731
API_CASE = lambda case: {"case_id": case.pk}  # noqa: E731
AGENCY = lambda case: {"pk": case.organisation_id}  # noqa: E731


def _online(case: Case) -> OnlineApplication:
    """A pending online application of agency A (the public demo loads some)."""
    found = OnlineApplication.objects.filter(organisation_id=case.organisation_id, state="pending")
    return found.order_by("pk").first()  # type: ignore[return-value]


ONLINE = lambda case: {"pk": _online(case).pk}  # noqa: E731
GUIDE_FORM = {
    "classification": "分类",
    "arrangement": "编排",
    "access": "获取",
    "office_name": "办公室",
    "address": "地址",
    "hours": "工作日",
    "phone": "0571-1",
}


def _letter(case: Case) -> Any:
    """A letter of the case (its 登记回执), issued by agency A's officer."""
    from gongkai.web.letters import service
    from gongkai.web.letters.models import LetterSettings

    LetterSettings.objects.get_or_create(
        organisation=case.organisation,
        defaults={"number_prefix": "示范区政办公复", "review_body": "示范区人民政府"},
    )
    return service.issue(case, 1, "receipt", None)[0]


LETTER = lambda case: {"pk": _letter(case).pk}  # noqa: E731
API_LETTER = lambda case: {"case_id": case.pk, "letter_id": _letter(case).pk}  # noqa: E731
ISSUE = {"event": 1, "kind": "receipt"}
# The catalogue: one published item of agency A (the case's body), made on first use.
ITEM = lambda case: {"pk": one_published(case.organisation).pk}  # noqa: E731
ORG = lambda case: {"org": case.organisation_id}  # noqa: E731
ORG_YEAR = lambda case: {"org": case.organisation_id, "year": 2025}  # noqa: E731
PUBLIC_ITEM = lambda case: {  # noqa: E731
    "org": case.organisation_id,
    "pk": one_published(case.organisation).pk,
}
API_ITEM = lambda case: {"item_id": one_published(case.organisation).pk}  # noqa: E731


def _appeal(case: Case) -> Appeal:
    """An appeal of agency A about ``case`` (made once per test)."""
    found = Appeal.objects.filter(case=case).first()
    if found is not None:
        return found
    data = appeal_service.AppealData("示复〔2025〕1号", "review", dt.date(2025, 5, 6), case=case)
    return appeal_service.create(case.organisation, data, None)


APPEAL = lambda case: {"pk": _appeal(case).pk}  # noqa: E731
API_APPEAL = lambda case: {"appeal_id": _appeal(case).pk}  # noqa: E731
PREVIEW = lambda case: {"org": case.organisation_id, "sha": "0" * 64}  # noqa: E731


def _report(case: Case) -> int:
    """The annual report of the case's body and year (started on first use)."""
    from gongkai.web.reports import service

    return service.start(case.organisation, case.received.year, None).pk


REPORT = lambda case: {"pk": _report(case)}  # noqa: E731
API_REPORT = lambda case: {"report_id": _report(case)}  # noqa: E731


def _ingested(case: Case) -> int:
    """Seed 000 uploaded by the demo supervisor's office (read in-process, once per test)."""
    from pathlib import Path

    from gongkai.web.supervise.ingest import Upload, create_job, run_job
    from gongkai.web.supervise.models import IngestedReport

    seed = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("000_*.txt"))[0]
    found = IngestedReport.objects.filter(file=seed.name).first()
    if found is not None:
        return found.pk
    office = Membership.objects.get(user__username="supervisor").organisation
    job = create_job(
        [Upload(seed.name, [seed.read_bytes()])],
        supervisor=office,
        user=office.memberships.first().user,
    )
    run_job(job.pk)
    return IngestedReport.objects.get(job=job).pk


INGESTED = lambda case: {"pk": _ingested(case)}  # noqa: E731


def _round(case: Case) -> Any:
    """The demo supervisor's 2025 round (made on first use)."""
    from gongkai.web import demo
    from gongkai.web.supervise.demo import load_rounds

    return load_rounds(demo.load_orgs())


def _round_file(case: Case) -> dict[str, int]:
    """One uploaded (not yet read) file of the demo round."""
    from gongkai.web.supervise.ingest import Upload, create_job
    from gongkai.web.supervise.models import IngestedReport

    r = _round(case)
    found = IngestedReport.objects.filter(round=r).first()
    if found is None:
        job = create_job(
            [Upload("年报.txt", [b"x"])], supervisor=r.supervisor, user=r.created_by, round=r
        )
        found = job.reports.get()
    return {"pk": r.pk, "report": found.pk}


ROUND = lambda case: {"pk": _round(case).pk}  # noqa: E731
ROUND_FORM = {"supervisor": "1", "year": "2024", "submit_by": "2025-01-31"}


def _job_file(case: Case) -> Any:
    """One upload of the demo supervisor (its district's 公开办), with one file row."""
    from gongkai.web.orgs.models import Organisation, Role
    from gongkai.web.supervise.models import IngestedReport, IngestJob

    m = Membership.objects.filter(role=Role.SUPERVISOR, user__username="supervisor").first()
    assert m is not None
    office: Organisation = m.organisation
    job = IngestJob.objects.filter(supervisor=office).first()
    if job is None:
        job = IngestJob.objects.create(supervisor=office, created_by=m.user, total=1)
        IngestedReport.objects.create(job=job, supervisor=office, file="x.txt", stored="x")
    return job.reports.first()


API_JOB = lambda case: {"job_id": _job_file(case).job_id}  # noqa: E731
API_INGESTED = lambda case: {"report_id": _job_file(case).pk}  # noqa: E731

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
    "api:openapi-view": Rule(NO_ARGS, "login"),
    "api:cases": Rule(NO_ARGS, "login", ("get", "post")),
    "api:create_case": Rule(NO_ARGS, "login", ("get", "post")),
    "api:case": Rule(API_CASE, "case"),
    "api:case_events": Rule(
        API_CASE, "case", ("post",), {"kind": "withdrawn", "on": "2025-03-04", "version": 1}
    ),
    "letters:issue": Rule(CASE, "case", ("post",), ISSUE),
    "letters:download": Rule(LETTER, "case"),
    "letters:settings": Rule(
        lambda case: {"org_id": case.organisation_id},
        "case",
        ("get", "post"),
        {"number_prefix": "他机关改的", "review_route": "department", "review_body": "某政府"},
    ),
    "api:case_letters": Rule(API_CASE, "case", ("get", "post"), ISSUE),
    "api:issue_letter": Rule(API_CASE, "case", ("get", "post"), ISSUE),
    "api:letter_file": Rule(API_LETTER, "case"),
    # The public side: pages and API without login; the office's queue and 指南 editor.
    "public:index": Rule(NO_ARGS, "public"),
    "public:agency": Rule(AGENCY, "public"),
    "public:guide": Rule(AGENCY, "public"),
    "public:guide_versions": Rule(AGENCY, "public"),
    "public:guide_version": Rule(lambda case: {**AGENCY(case), "version": 1}, "public"),
    "public:apply": Rule(AGENCY, "public", ("get", "post")),
    "public:track": Rule(NO_ARGS, "public", ("get", "post")),
    "public:guide_edit": Rule(AGENCY, "case", ("get", "post"), GUIDE_FORM),
    "public:queue": Rule(NO_ARGS, "login", secret=lambda case: _online(case).tracking_code),
    "public:queue_detail": Rule(ONLINE, "case"),
    "public:confirm": Rule(ONLINE, "case", ("post",), {"on": "2025-03-04"}),
    "public:reject": Rule(ONLINE, "case", ("post",), {"reason": "信访"}),
    "api:public_agencies": Rule(NO_ARGS, "public"),
    "api:public_apply": Rule(NO_ARGS, "public", ("post",)),
    "api:public_track": Rule(lambda case: {"code": _online(case).tracking_code}, "public"),
    "catalogue:list": Rule(NO_ARGS, "login"),
    "catalogue:new": Rule(NO_ARGS, "login", ("get", "post"), FORM),
    "catalogue:detail": Rule(ITEM, "case"),
    "catalogue:edit": Rule(ITEM, "case", ("get", "post"), {**FORM, "version": "4"}),
    "catalogue:review": Rule(ITEM, "case", ("post",), {"step": "content", "version": "4"}),
    "catalogue:import": Rule(NO_ARGS, "login", ("get", "post")),
    "catalogue:import_confirm": Rule(NO_ARGS, "login", ("post",), {"sha": "0" * 64}),
    "catalogue:template": Rule(NO_ARGS, "login"),
    "catalogue:settings": Rule(
        ORG, "case", ("get", "post"), {"code": "11330100000000001L", "rule": "{year}-{serial}"}
    ),
    "catalogue:table_two_home": Rule(NO_ARGS, "login"),
    "catalogue:table_two": Rule(ORG_YEAR, "case", ("get", "post"), {"version": "0"}),
    "public_catalogue:list": Rule(ORG, "public"),
    "public_catalogue:detail": Rule(PUBLIC_ITEM, "public"),
    "public_catalogue:download": Rule(ORG, "public"),
    "api:catalogue": Rule(NO_ARGS, "login"),
    "api:catalogue_item": Rule(API_ITEM, "case"),
    "appeals:list": Rule(NO_ARGS, "login"),
    "appeals:new": Rule(NO_ARGS, "login", ("get", "post")),
    "appeals:detail": Rule(
        APPEAL,
        "case",
        ("get", "post"),
        {
            "organisation": "0",
            "number": "x",
            "kind": "review",
            "filed": "2025-05-06",
            "result": "pending",
            "version": "1",
        },
    ),
    "api:appeals": Rule(NO_ARGS, "login", ("get", "post")),
    "api:create_appeal": Rule(NO_ARGS, "login", ("get", "post")),
    "api:appeal": Rule(API_APPEAL, "case"),
    "api:appeal_patch": Rule(API_APPEAL, "case", ("patch",), {"version": 1, "note": "改"}),
    "transfer:import": Rule(NO_ARGS, "login", ("get", "post")),
    "transfer:import_preview": Rule(PREVIEW, "case", ("get", "post"), {"digest": "x"}),
    "transfer:cases_xlsx": Rule(NO_ARGS, "login"),
    "transfer:appeals_xlsx": Rule(NO_ARGS, "login"),
    "transfer:ledger_xlsx": Rule(NO_ARGS, "login"),
    # Annual reports ("case" scope: agency A's report, refused to agency B).
    "reports:dashboard": Rule(NO_ARGS, "login"),
    # The supervisor's side (supervise/): 公开办 members only.
    "supervise:dashboard": Rule(NO_ARGS, "supervisor"),
    "supervise:reports": Rule(NO_ARGS, "supervisor"),
    "supervise:reports_xlsx": Rule(NO_ARGS, "supervisor"),
    "supervise:rules": Rule(NO_ARGS, "supervisor"),
    "supervise:report": Rule(INGESTED, "supervisor"),
    "supervise:report_review": Rule(
        INGESTED, "supervisor", ("post",), {"action": "return", "note": "请更正"}
    ),
    "supervise:rounds": Rule(NO_ARGS, "supervisor"),
    "supervise:round_new": Rule(NO_ARGS, "supervisor", ("get", "post"), ROUND_FORM),
    "supervise:round": Rule(ROUND, "supervisor"),
    "supervise:round_members": Rule(ROUND, "supervisor", ("get", "post"), {"members": []}),
    "supervise:round_upload": Rule(ROUND, "supervisor", ("post",), {}),
    "supervise:round_progress": Rule(ROUND, "supervisor"),
    "supervise:round_assign": Rule(_round_file, "supervisor", ("get", "post"), {"member": ""}),
    "supervise:dashboard_data": Rule(NO_ARGS, "supervisor"),
    "supervise:rollup_xlsx": Rule(NO_ARGS, "supervisor"),
    "supervise:timeliness_xlsx": Rule(NO_ARGS, "supervisor"),
    "supervise:dataset": Rule(lambda case: {"kind": "sqlite"}, "supervisor"),
    "api:stats": Rule(NO_ARGS, "supervisor"),
    "api:stats_timeliness": Rule(NO_ARGS, "supervisor"),
    "api:ingest": Rule(NO_ARGS, "supervisor", ("post",)),
    "api:ingest_job": Rule(API_JOB, "supervisor"),
    "api:ingest_reports": Rule(API_JOB, "supervisor"),
    "api:ingested": Rule(API_INGESTED, "supervisor"),
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


def _admin_rules() -> dict[str, Rule]:
    """The admin's URLs (``/admin/``, superusers only). A model newly registered in the admin
    needs its entry in ``objects`` (how to find one of its rows), or the suite fails."""
    su = "superuser"
    rules = {
        f"admin:{n}": Rule(NO_ARGS, su)
        for n in ("index", "login", "password_change", "password_change_done", "autocomplete")
    }
    rules["admin:jsi18n"] = Rule(NO_ARGS, su)
    rules["admin:logout"] = Rule(NO_ARGS, su, ("post",))
    rules["admin:app_list"] = Rule(lambda case: {"app_label": "cases"}, su)
    rules["admin:view_on_site"] = Rule(
        lambda case: {
            "content_type_id": ContentType.objects.get_for_model(Case).pk,
            "object_id": case.pk,
        },
        su,
    )
    objects: dict[str, Callable[[Case], Any]] = {
        "cases_case": lambda case: case.pk,
        "orgs_organisation": lambda case: case.organisation_id,
        "orgs_membership": lambda case: Membership.objects.filter(
            organisation=case.organisation
        ).values_list("pk", flat=True)[0],
        "orgs_token": lambda case: 1,
        "auth_user": lambda case: case.created_by_id,
        "auth_group": lambda case: 1,
        # The background queue's results (django-tasks-db), for a superuser to look into.
        "django_tasks_database_dbtaskresult": lambda case: "00000000-0000-0000-0000-000000000000",
    }
    for model, pk in objects.items():
        rules[f"admin:{model}_changelist"] = Rule(NO_ARGS, su, ("get", "post"))
        rules[f"admin:{model}_add"] = Rule(NO_ARGS, su, ("get", "post"))
        for action in ("change", "delete", "history"):
            rules[f"admin:{model}_{action}"] = Rule(
                lambda case, pk=pk: {"object_id": pk(case)}, su, ("get", "post")
            )
    rules["admin:auth_user_password_change"] = Rule(
        lambda case: {"id": case.created_by_id}, su, ("get", "post")
    )
    # Each model's old-style URL redirects to its change page (unnamed, inside the admin).
    rules["<unnamed <path:object_id>/>"] = Rule(
        NO_ARGS, su, url=lambda case: f"/admin/cases/case/{case.pk}/"
    )
    return rules


RULES.update(_admin_rules())


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
    if method in ("post", "patch") and rule.body is not None:
        if url.startswith("/api/"):
            send = getattr(client, method)
            return send(url, json.dumps(rule.body), content_type="application/json")
        return client.post(url, rule.body)
    return getattr(client, method)(url)


def _text(r: Any) -> str:
    """What a response shows: its body, or every cell of a downloaded workbook."""
    data = b"".join(r.streaming_content) if r.streaming else r.content
    if not data.startswith(b"PK"):
        return data.decode()
    book = load_workbook(io.BytesIO(data), read_only=True)
    return "\n".join(
        str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row
    )


def _refused_anonymous(r: Any) -> bool:
    if r.status_code == 302:
        return str(r["Location"]).startswith("/accounts/login/")
    return r.status_code in (401, 403)


def _state(case: Case) -> tuple[Any, ...]:
    case.refresh_from_db()
    online = sorted(OnlineApplication.objects.values_list("pk", "state", "case_id"))
    items = sorted(CatalogueItem.objects.values_list("pk", "version"))
    return case.version, Case.objects.count(), online, Guide.objects.count(), items


@pytest.mark.parametrize("name", [n for n in NAMES if n in RULES])
def test_url_refuses_anonymous_and_other_org(
    name: str, client_as: Callable[..., Client], case_a: Case, public_a: Any
) -> None:
    rule = RULES[name]
    appeal = _appeal(case_a)  # so that every list has agency A's appeal too
    url = rule.url(case_a) if rule.url else reverse(name, kwargs=rule.kwargs(case_a))
    before = _state(case_a)
    secret = rule.secret(case_a) if rule.secret else case_a.number
    for method in rule.methods:
        anon = _call(client_as(None), method, url, rule)
        other = _call(client_as("officer_b"), method, url, rule)
        if rule.scope == "public":
            assert anon.status_code < 500 and other.status_code < 500
            continue
        assert _refused_anonymous(anon), (name, method, anon.status_code)
        if rule.scope == "case":
            assert other.status_code in (403, 404), (name, method, other.status_code)
        elif rule.scope == "supervisor":
            for name_ in ("officer_a", "officer_b", "reviewer_a", "admin"):
                r = _call(client_as(name_), method, url, rule)
                assert r.status_code in (403, 404), (name, method, name_, r.status_code)
            if method == "get":
                ok = _call(client_as("supervisor"), method, url, rule)
                assert ok.status_code < 400, (name, ok.status_code)
        elif rule.scope == "superuser":
            assert other.status_code == 403, (name, method, other.status_code)
            officer = _call(client_as("officer_a"), method, url, rule)  # same body as the case
            assert officer.status_code == 403, (name, method, officer.status_code)
        else:  # a list or a form: allowed, but nothing of agency A shows
            assert other.status_code < 500
            shown = _text(other)
            assert secret not in shown and appeal.number not in shown, (name, method)
    if rule.scope != "public":
        assert _state(case_a) == before  # nobody refused changed anything
    for appeal in Appeal.objects.filter(organisation=case_a.organisation):
        assert appeal.version == 1 and appeal.events.count() == 1
