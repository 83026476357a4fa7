"""The findings browser (/supervise/reports/) and the report page of an uploaded file."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.web import demo
from gongkai.web.orgs.models import Level, Membership, Organisation, Role
from gongkai.web.reports.present import cell_id
from gongkai.web.supervise import review
from gongkai.web.supervise.models import (
    IngestedFinding,
    IngestedReport,
    Review,
    Round,
    RoundMember,
)

Reports = dict[str, IngestedReport]


class _Marked(HTMLParser):
    """Elements whose class names a highlight (``hl`` on cells, ``hl-…`` on sentences)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[str, str] = {}  # id → class of a highlighted table cell
        self.marks: list[str] = []  # text of each <mark>
        self._in_mark = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        if tag == "td" and "hl" in classes:
            self.cells[a.get("id") or ""] = " ".join(classes)
        if tag == "mark":
            self._in_mark += 1
            self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._in_mark -= 1

    def handle_data(self, data: str) -> None:
        if self._in_mark:
            self.marks[-1] += data


def marked(html: str) -> _Marked:
    p = _Marked()
    p.feed(html)
    return p


def page(client: Client, report: IngestedReport) -> str:
    r = client.get(reverse("supervise:report", kwargs={"pk": report.pk}))
    assert r.status_code == 200
    return r.content.decode()


def grid_cells(report: IngestedReport) -> set[str]:
    """The ids of the cells named by the report's findings that the layout draws (an extra
    cell beyond the header, T0-1's, has no place in the official layout)."""
    out = set()
    for f in report.findings.all():
        for c in json.loads(f.cells) if f.cells else []:
            if c["column"] != "extra":
                out.add(cell_id((c["table"], c["row"], c["column"])))
    return out


def test_seed_000_x9_sentence_is_marked(ingested: Reports, client_as: Callable[..., Client]):
    report = ingested["000"]
    html = page(client_as("supervisor"), report)
    x9 = report.findings.get(rule="X-9")
    found = marked(html)
    assert any("我局主动公开信息233条" in m for m in found.marks), found.marks
    n = list(report.findings.order_by("pk").values_list("pk", flat=True)).index(x9.pk) + 1
    assert f'<li id="finding-{n}" class="finding sev-warning">' in html
    assert x9.message in html
    # The cells highlighted are exactly the findings' cells that the layout draws.
    assert set(found.cells) == grid_cells(report)
    # The rule's source and its entry on the rules page (offline: no link to GitHub).
    assert "文字自身的算术" in html
    assert f"{reverse('supervise:rules')}#rule-X-9" in html
    assert "github.com" not in html


def test_seed_004_x4_cell_is_highlighted(ingested: Reports, client_as: Callable[..., Client]):
    report = ingested["004"]
    html = page(client_as("supervisor"), report)
    found = marked(html)
    x4 = cell_id(("t4", "cases", "review_corrected"))
    assert x4 in found.cells and "hl-warning" in found.cells[x4]
    assert set(found.cells) == grid_cells(report)
    assert f'href="#{x4}"' in html  # the finding links to its cell


def test_rules_page_lists_every_rule_with_its_source(
    ingested: Reports, client_as: Callable[..., Client]
):
    html = client_as("supervisor").get(reverse("supervise:rules")).content.decode()
    for rule in ("X-9", "T3-1", "T3-6", "DUP-1"):
        assert f'id="rule-{rule}"' in html
    assert "国办公开办函〔2021〕30号" in html  # DUP-1's source


def test_a_broken_file_shows_its_error_and_no_render(
    ingested: Reports, client_as: Callable[..., Client]
):
    bad = ingested["bad"]
    html = page(client_as("supervisor"), bad)
    assert bad.error and bad.error in html
    assert "坏文件.docx" in html
    assert "report-table" not in html and "review-return" not in html


def _list(client: Client, **params: Any) -> str:
    r = client.get(reverse("supervise:reports"), params)
    assert r.status_code == 200
    return r.content.decode()


def _files(html: str) -> set[str]:
    return set(re.findall(r'<a href="/supervise/reports/\d+/">([^<]+)</a>', html))


def test_list_shows_every_report_and_the_broken_files_error(
    ingested: Reports, client_as: Callable[..., Client]
):
    html = _list(client_as("supervisor"))
    assert _files(html) == {r.file for r in ingested.values()}
    assert ingested["bad"].error in html


def test_filters_narrow_the_list(
    ingested: Reports, orgs: demo.DemoOrgs, client_as: Callable[..., Client]
):
    c = client_as("supervisor")
    everything = {r.file for r in ingested.values()}
    by_rule = _files(_list(c, rule="X-9"))
    assert by_rule == {r.file for r in ingested.values() if r.findings.filter(rule="X-9").exists()}
    assert ingested["000"].file in by_rule and by_rule < everything
    errors = _files(_list(c, severity="error"))
    assert errors == {r.file for r in ingested.values() if r.n_error}
    a = _files(_list(c, organisation=orgs.agency_a.pk))
    assert a == {ingested[k].file for k in ("000", "002", "004")}
    assert _files(_list(c, status="error")) == {ingested["bad"].file}
    under = _files(_list(c, under=orgs.district.pk))
    assert under == everything - {ingested["bad"].file}  # the broken file matched no body
    Organisation.objects.filter(pk=orgs.agency_b.pk).update(
        level=Level.TOWNSHIP, region_code="330112"
    )
    b = {ingested[k].file for k in ("001", "003")}
    assert _files(_list(c, level=Level.TOWNSHIP)) == b
    assert _files(_list(c, region="330100")) == b  # 杭州市 holds 330112
    assert _files(_list(c, region="110000")) == set()
    review.accept(ingested["001"], None)
    assert _files(_list(c, review="accepted")) == {ingested["001"].file}
    assert ingested["001"].file not in _files(_list(c, review="none"))


def test_sort_by_errors(ingested: Reports, client_as: Callable[..., Client]):
    # The seeds have no error-level findings: give two of them counts.
    IngestedReport.objects.filter(pk=ingested["003"].pk).update(n_error=2)
    IngestedReport.objects.filter(pk=ingested["001"].pk).update(n_error=1)
    html = _list(client_as("supervisor"), sort="errors")
    order = re.findall(r'<a href="/supervise/reports/(\d+)/">', html)
    counts = [IngestedReport.objects.get(pk=int(pk)).n_error for pk in order]
    assert counts == sorted(counts, reverse=True) and counts[:2] == [2, 1]


def test_round_filter_and_xlsx_export(
    ingested: Reports, orgs: demo.DemoOrgs, user: Any, client_as: Callable[..., Client]
):
    import datetime as dt

    rnd = Round.objects.create(
        supervisor=orgs.district,
        year=2020,
        submit_by=dt.date(2021, 1, 31),
        created_by=user("supervisor"),
    )
    IngestedReport.objects.filter(pk=ingested["002"].pk).update(round=rnd)
    c = client_as("supervisor")
    assert _files(_list(c, round=rnd.pk)) == {ingested["002"].file}
    r = c.get(reverse("supervise:reports_xlsx"), {"organisation": orgs.agency_a.pk})
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:2] == ("编号", "文件名")
    assert {row[1] for row in rows[1:]} == {ingested[k].file for k in ("000", "002", "004")}


# --- review ---------------------------------------------------------------------------------


def _member(report: IngestedReport, org: Organisation, user: Any) -> RoundMember:
    import datetime as dt

    rnd = Round.objects.create(
        supervisor=report.supervisor, year=2020, submit_by=dt.date(2021, 1, 31), created_by=user
    )
    return RoundMember.objects.create(round=rnd, organisation=org, ingested=report)


def test_return_with_selected_findings_then_accept(
    ingested: Reports, orgs: demo.DemoOrgs, user: Any, client_as: Callable[..., Client]
):
    report = ingested["004"]
    member = _member(report, orgs.agency_a, user("supervisor"))
    x4 = report.findings.get(rule="X-4")
    other = ingested["000"].findings.first()  # another report's finding: ignored
    assert other is not None
    c = client_as("supervisor")
    url = reverse("supervise:report_review", kwargs={"pk": report.pk})
    r = c.post(url, {"action": "return", "finding": [x4.pk, other.pk], "note": "请更正表四"})
    assert r.status_code == 302
    report.refresh_from_db()
    member.refresh_from_db()
    assert report.review == Review.RETURNED
    assert report.review_note == f"1. [X-4] {x4.message}\n请更正表四"
    assert report.reviewed_by == user("supervisor") and report.reviewed_at is not None
    assert member.returned_at is not None and member.note == report.review_note
    html = page(c, report)
    assert "已退回" in html and x4.message in html

    assert c.post(url, {"action": "accept"}).status_code == 302
    report.refresh_from_db()
    member.refresh_from_db()
    assert report.review == Review.ACCEPTED and report.review_note == ""
    assert member.accepted_at is not None


def test_a_return_needs_a_finding_or_a_note(ingested: Reports, user: Any):
    with pytest.raises(review.ReviewError, match="退回须"):
        review.return_report(ingested["000"], user("supervisor"), "  ", [])


def test_review_refuses_a_file_that_could_not_be_read(
    ingested: Reports, client_as: Callable[..., Client]
):
    bad = ingested["bad"]
    c = client_as("supervisor")
    r = c.post(
        reverse("supervise:report_review", kwargs={"pk": bad.pk}), {"action": "accept"}, follow=True
    )
    assert "无法读取" in r.content.decode() and "不能接收或退回" in r.content.decode()
    bad.refresh_from_db()
    assert bad.review == "" and bad.reviewed_at is None


def test_review_is_post_only_and_csrf_checked(ingested: Reports, user: Any):
    url = reverse("supervise:report_review", kwargs={"pk": ingested["000"].pk})
    c = Client(enforce_csrf_checks=True)
    c.force_login(user("supervisor"))
    assert c.get(url).status_code == 405
    assert c.post(url, {"action": "accept"}).status_code == 403
    ingested["000"].refresh_from_db()
    assert ingested["000"].review == ""


# --- who sees what --------------------------------------------------------------------------


def test_another_districts_supervisor_gets_404(ingested: Reports, orgs: demo.DemoOrgs):
    other = Organisation.objects.create(name="另一区人民政府", level=Level.COUNTY)
    person = get_user_model().objects.create_user("supervisor_2", password="x")
    Membership.objects.create(user=person, organisation=other, role=Role.SUPERVISOR)
    c = Client()
    c.force_login(person)
    report = ingested["000"]
    for name in ("supervise:report",):
        assert c.get(reverse(name, kwargs={"pk": report.pk})).status_code == 404
    assert (
        c.post(
            reverse("supervise:report_review", kwargs={"pk": report.pk}), {"action": "accept"}
        ).status_code
        == 404
    )
    assert _files(_list(c)) == set()  # their list is empty
    report.refresh_from_db()
    assert report.review == ""


@pytest.mark.parametrize("name", ["officer_a", "reviewer_a", "officer_b"])
def test_officers_get_403(ingested: Reports, client_as: Callable[..., Client], name: str):
    c = client_as(name)
    pk = ingested["000"].pk
    assert c.get(reverse("supervise:reports")).status_code == 403
    assert c.get(reverse("supervise:report", kwargs={"pk": pk})).status_code == 403
    assert c.get(reverse("supervise:reports_xlsx")).status_code == 403


# --- query counts ---------------------------------------------------------------------------


def test_query_counts_do_not_grow_with_rows(
    ingested: Reports,
    orgs: demo.DemoOrgs,
    user: Any,
    client_as: Callable[..., Client],
    django_assert_max_num_queries: Any,
):
    """The list of 55 reports (a full page of 50) and a report page with its findings."""
    from gongkai.web.supervise.models import IngestJob

    job = IngestJob.objects.create(supervisor=orgs.district, created_by=user("supervisor"))
    proto = ingested["000"]
    IngestedReport.objects.bulk_create(
        IngestedReport(
            job=job,
            supervisor=orgs.district,
            file=f"复制{i}.txt",
            stored="",
            status="ok",
            year=2020,
            n_error=i % 3,
            organisation=orgs.agency_a if i % 2 else orgs.agency_b,
        )
        for i in range(50)
    )
    c = client_as("supervisor")
    for params in ({}, {"rule": "X-9", "severity": "warning"}, {"sort": "errors", "page": "2"}):
        with django_assert_max_num_queries(12):
            r = c.get(reverse("supervise:reports"), params)
        assert r.status_code == 200
    assert len(re.findall(r'href="/supervise/reports/\d+/"', _list(c))) == 50
    with django_assert_max_num_queries(12):
        page(c, proto)
    assert IngestedFinding.objects.filter(report=proto).count() >= 2
