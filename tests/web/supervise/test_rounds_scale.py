"""The round page's queries do not grow with its members or its uploads: 8 members and 6
files, or 120 members and 300 files (some of each assigned, with gongkai reports and their
events), cost the same number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from gongkai.web import demo
from gongkai.web.orgs.models import Level, Organisation
from gongkai.web.reports import service
from gongkai.web.supervise.demo import load_rounds
from gongkai.web.supervise.models import FileStatus, IngestedReport, IngestJob, Round, RoundMember

# Session, user, the 公开办 check, the round, members, reports, events, jobs, the files'
# counts and page, and the menu's 公开办 flag.
MOST = 11


def _grow(orgs: demo.DemoOrgs, r: Round, user: Any, members: int, files: int) -> None:
    orgs_ = [
        Organisation.objects.create(
            name=f"示范区第{i}局", level=Level.DEPARTMENT, parent=orgs.district
        )
        for i in range(members)
    ]
    RoundMember.objects.bulk_create(RoundMember(round=r, organisation=o) for o in orgs_)
    job = IngestJob.objects.create(
        supervisor=r.supervisor, round=r, created_by=user, total=files, done=files
    )
    IngestedReport.objects.bulk_create(
        IngestedReport(
            job=job,
            supervisor=r.supervisor,
            round=r,
            file=f"{i}.txt",
            stored="x",
            agency=f"示范区第{i}局",
            year=2025,
            status=FileStatus.OK if i % 7 else FileStatus.ERROR,
            organisation=orgs_[i] if i < members and i % 2 else None,
            match="auto" if i < members and i % 2 else "",
        )
        for i in range(files)
    )
    for i, m in enumerate(RoundMember.objects.filter(round=r, organisation__in=orgs_[:members:2])):
        m.submitted_at = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)
        m.returned_at = dt.datetime(2026, 1, 12, tzinfo=dt.UTC) if i % 3 == 0 else None
        m.save()
    for o in orgs_[:5]:  # some bodies prepare their report in gongkai
        rep = service.start(o, 2025, user)
        service.transition(rep.pk, "submit", "", user)


@pytest.mark.parametrize(("members", "files"), [(5, 6), (117, 300)])
def test_round_page_queries_are_bounded(
    orgs: demo.DemoOrgs,
    user: Callable[[str], Any],
    client_as: Callable[[str | None], Client],
    django_assert_max_num_queries: Any,
    members: int,
    files: int,
) -> None:
    r = load_rounds(orgs)
    assert r is not None
    _grow(orgs, r, user("supervisor"), members, files)
    c = client_as("supervisor")
    for url in (
        f"/supervise/rounds/{r.pk}/",
        f"/supervise/rounds/{r.pk}/?status=overdue&files=pending&page=2",
    ):
        with django_assert_max_num_queries(MOST):
            page = c.get(url)
        assert page.status_code == 200
    page = c.get(f"/supervise/rounds/{r.pk}/")
    assert page.context["n_members"] == members + 3
    assert len(page.context["file_rows"]) == min(files, 50)
    assert sum(n for _, _, n in page.context["counts"]) == members + 3
