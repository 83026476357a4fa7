"""Collection rounds through their pages: opening a round with its members preselected,
another district's office seeing nothing of it, uploads landing on the round page and being
assigned to members, and reports submitted through gongkai arriving in the round."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from gongkai.web import demo
from gongkai.web.orgs.models import Level, Membership, Organisation, Role
from gongkai.web.reports import service
from gongkai.web.reports.models import ReportingCalendar
from gongkai.web.supervise.demo import load_rounds
from gongkai.web.supervise.ingest import Upload, create_job, run_job
from gongkai.web.supervise.models import IngestedReport, Match, Round, RoundMember

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = sorted(CORPUS.glob("0*.txt"))
BROKEN = ("坏文件.docx", b"PK\x03\x04 not a zip at all")


@pytest.fixture
def other(orgs: demo.DemoOrgs) -> dict[str, Any]:
    """A second district with its own 公开办 account (supervisor2) and one body."""
    district = Organisation.objects.create(
        name="另一区", level=Level.COUNTY, parent=orgs.district.parent
    )
    body = Organisation.objects.create(name="另一区教育局", level=Level.DEPARTMENT, parent=district)
    user = get_user_model().objects.create(username="supervisor2")
    Membership.objects.create(user=user, organisation=district, role=Role.SUPERVISOR)
    c = Client()
    c.force_login(user)
    return {"district": district, "body": body, "user": user, "client": c}


def _round_form(office: Organisation, members: list[Organisation], **extra: Any) -> dict[str, Any]:
    return {"supervisor": office.pk, "year": 2025, "members": [m.pk for m in members], **extra}


def test_new_round_preselects_the_office_bodies(
    client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs, other: dict[str, Any]
) -> None:
    r = client_as("supervisor").get("/supervise/rounds/new/")
    assert r.status_code == 200
    tree = r.context["form"].tree()
    assert {o.name for o, _, checked in tree if checked} == {
        "示范区政务公开办",
        "示范区人民政府办公室",
        "示范区教育局",
    }
    assert "另一区教育局" not in r.content.decode()


def test_creating_a_round_with_the_default_due_date(
    client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs
) -> None:
    c = client_as("supervisor")
    r = c.post("/supervise/rounds/new/", _round_form(orgs.district, [orgs.agency_a, orgs.agency_b]))
    made = Round.objects.get(supervisor=orgs.district, year=2025)
    assert r.status_code == 302 and r["Location"] == f"/supervise/rounds/{made.pk}/"
    assert made.submit_by == dt.date(2026, 1, 31)  # 条例第四十九条: 1月31日 of the next year
    assert set(made.members.values_list("organisation__name", flat=True)) == {
        "示范区人民政府办公室",
        "示范区教育局",
    }
    # The same office and year again: a form error, nothing created.
    again = c.post("/supervise/rounds/new/", _round_form(orgs.district, [orgs.agency_a]))
    assert again.status_code == 200 and "已有2025年度的报送轮次" in again.content.decode()
    assert Round.objects.count() == 1


def test_the_reporting_calendar_sets_the_default_due_date(
    client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs
) -> None:
    ReportingCalendar.objects.create(
        supervisor=orgs.district,
        year=2024,
        submit_by=dt.date(2025, 1, 26),
        publish_by=dt.date(2025, 1, 28),
    )
    c = client_as("supervisor")
    c.post("/supervise/rounds/new/", {**_round_form(orgs.district, []), "year": 2024})
    made = Round.objects.get(year=2024)
    assert (made.submit_by, made.publish_by) == (dt.date(2025, 1, 26), dt.date(2025, 1, 28))


def test_a_body_outside_the_office_cannot_be_a_member(
    client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs, other: dict[str, Any]
) -> None:
    c = client_as("supervisor")
    r = c.post("/supervise/rounds/new/", _round_form(orgs.district, [orgs.agency_a, other["body"]]))
    assert r.status_code == 200
    assert "不是本公开办所监督的机关" in r.content.decode()
    assert not Round.objects.exists()
    made = load_rounds(orgs)
    assert made is not None
    r = c.post(f"/supervise/rounds/{made.pk}/members/", {"members": [other["body"].pk]})
    assert r.status_code == 200 and "不是本公开办所监督的机关" in r.content.decode()
    assert made.members.count() == 3


def test_editing_members(client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs) -> None:
    made = load_rounds(orgs)
    assert made is not None
    r = client_as("supervisor").post(
        f"/supervise/rounds/{made.pk}/members/", {"members": [orgs.agency_a.pk]}
    )
    assert r.status_code == 302
    assert list(made.members.values_list("organisation", flat=True)) == [orgs.agency_a.pk]


def test_two_offices_never_see_each_other(
    client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs, other: dict[str, Any]
) -> None:
    mine = load_rounds(orgs)
    assert mine is not None
    theirs = Round.objects.create(
        supervisor=other["district"],
        year=2025,
        submit_by=dt.date(2026, 1, 31),
        created_by=other["user"],
    )
    RoundMember.objects.create(round=theirs, organisation=other["body"])
    me, them = client_as("supervisor"), other["client"]
    assert str(mine) in me.get("/supervise/rounds/").content.decode()
    listed = them.get("/supervise/rounds/").context["rounds"]
    assert list(listed) == [theirs]
    for url in ("", "members/", "progress/"):
        assert them.get(f"/supervise/rounds/{mine.pk}/{url}").status_code == 404
        assert me.get(f"/supervise/rounds/{theirs.pk}/{url}").status_code == 404
    assert them.post(f"/supervise/rounds/{mine.pk}/upload/").status_code == 404


@pytest.mark.parametrize("name", ["officer_a", "reviewer_a", "officer_b", "admin"])
def test_officers_get_403(
    client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs, name: str
) -> None:
    made = load_rounds(orgs)
    assert made is not None
    c = client_as(name)
    assert c.get("/supervise/rounds/").status_code == 403
    assert c.get(f"/supervise/rounds/{made.pk}/").status_code == 403


def _upload(c: Client, r: Round, capture: Any) -> Any:
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in SEEDS]
    files.append(SimpleUploadedFile(*BROKEN))
    with capture(execute=True):  # the job is queued on commit (the test backend runs it)
        return c.post(f"/supervise/rounds/{r.pk}/upload/", {"files": files})


def test_upload_through_the_round_page_and_assign_by_hand(
    client_as: Callable[[str | None], Client],
    orgs: demo.DemoOrgs,
    django_capture_on_commit_callbacks: Any,
) -> None:
    made = load_rounds(orgs)
    assert made is not None
    c = client_as("supervisor")
    r = _upload(c, made, django_capture_on_commit_callbacks)
    assert r.status_code == 302 and r["Location"].endswith("#progress")
    page = c.get(f"/supervise/rounds/{made.pk}/")
    html = page.content.decode()
    assert page.context["totals"]["total"] == 6
    assert html.count('class="file file-') == 6
    assert "坏文件.docx" in html and html.count('class="file file-error"') == 1
    broken = IngestedReport.objects.get(file="坏文件.docx")
    assert broken.error and broken.error in html  # its Chinese error, as a row
    assert "6/6" in html and "已完成" in html
    # No seed names a demo body (and they are of 2020–2023): all five wait for the supervisor.
    assert page.context["totals"]["pending"] == 5
    assert html.count('class="pending"') == 5
    assert "与本轮次（2025年度）不符" in html
    # The supervisor assigns seed 000 to 示范区教育局.
    seed = IngestedReport.objects.get(file=SEEDS[0].name)
    form = c.get(f"/supervise/rounds/{made.pk}/files/{seed.pk}/assign/")
    assert "示范区教育局" in form.content.decode()
    done = c.post(
        f"/supervise/rounds/{made.pk}/files/{seed.pk}/assign/", {"member": orgs.agency_b.pk}
    )
    assert done.status_code == 302
    seed.refresh_from_db()
    assert (seed.organisation_id, seed.match) == (orgs.agency_b.pk, Match.CONFIRMED)
    member = RoundMember.objects.get(round=made, organisation=orgs.agency_b)
    assert member.ingested_id == seed.pk and member.submitted_at == seed.created_at
    rows = {
        row.member.organisation.name: row
        for row in c.get(f"/supervise/rounds/{made.pk}/").context["rows"]
    }
    assert rows["示范区教育局"].label == "已提交"
    # Corrected: to agency A instead; B has nothing any more.
    c.post(f"/supervise/rounds/{made.pk}/files/{seed.pk}/assign/", {"member": orgs.agency_a.pk})
    member.refresh_from_db()
    assert member.ingested_id is None and member.submitted_at is None
    assert RoundMember.objects.get(round=made, organisation=orgs.agency_a).ingested_id == seed.pk
    # A broken file cannot be assigned; a body outside the round cannot be chosen.
    c.post(f"/supervise/rounds/{made.pk}/files/{broken.pk}/assign/", {"member": orgs.agency_b.pk})
    broken.refresh_from_db()
    assert broken.organisation_id is None
    c.post(f"/supervise/rounds/{made.pk}/files/{seed.pk}/assign/", {"member": orgs.district.pk})
    seed.refresh_from_db()
    assert seed.organisation_id == orgs.agency_a.pk


def test_matching_names_are_assigned_when_the_job_finishes(
    orgs: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    """Members named like seeds 000 and 004 (their year's round): matched automatically."""
    lin_an = Organisation.objects.create(
        name="临安区科学技术局", level=Level.DEPARTMENT, parent=orgs.district
    )
    gov = Organisation.objects.create(
        name="杭州市临安区政府", level=Level.DEPARTMENT, parent=orgs.district
    )
    r = Round.objects.create(
        supervisor=orgs.district,
        year=2020,
        submit_by=dt.date(2021, 1, 31),
        created_by=user("supervisor"),
    )
    for o in (lin_an, gov, orgs.agency_a):
        RoundMember.objects.create(round=r, organisation=o)
    files = [Upload(p.name, [p.read_bytes()]) for p in SEEDS]
    job = run_job(create_job(files, supervisor=orgs.district, user=user("supervisor"), round=r).pk)
    by_file = {f.file[:3]: f for f in IngestedReport.objects.filter(job=job)}
    assert (by_file["000"].organisation_id, by_file["000"].match) == (lin_an.pk, Match.AUTO)
    assert (by_file["004"].organisation_id, by_file["004"].match) == (gov.pk, Match.AUTO)
    for key in ("001", "002", "003"):  # not members, no place, another year
        assert by_file[key].organisation_id is None and by_file[key].match == Match.NONE
    member = RoundMember.objects.get(round=r, organisation=lin_an)
    assert member.ingested_id == by_file["000"].pk
    assert member.submitted_at == by_file["000"].created_at
    run_job(job.pk)  # a rerun assigns nothing twice
    assert IngestedReport.objects.filter(job=job, match=Match.AUTO).count() == 2


def test_a_report_submitted_through_gongkai_arrives_in_the_round(
    client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    made = load_rounds(orgs)
    assert made is not None
    report = service.start(orgs.agency_a, 2025, user("officer_a"))
    c = client_as("supervisor")
    rows = {
        row.member.organisation_id: row
        for row in c.get(f"/supervise/rounds/{made.pk}/").context["rows"]
    }
    assert rows[orgs.agency_a.pk].label in ("未提交", "逾期")  # a draft is not submitted
    service.transition(report.pk, "submit", "", user("reviewer_a"))
    page = c.get(f"/supervise/rounds/{made.pk}/")
    rows = {row.member.organisation_id: row for row in page.context["rows"]}
    assert rows[orgs.agency_a.pk].label == "已提交"
    assert rows[orgs.agency_a.pk].steps.submitted_at is not None
    assert f'href="/reports/{report.pk}/"' in page.content.decode()
    # Filtering by status: only the submitted body.
    only = c.get(f"/supervise/rounds/{made.pk}/?status=submitted").context["rows"]
    assert [row.member.organisation_id for row in only] == [orgs.agency_a.pk]
    counts = {key: n for key, _, n in page.context["counts"]}
    assert counts["submitted"] == 1 and sum(counts.values()) == 3


def test_the_progress_fragment(
    client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    made = load_rounds(orgs)
    assert made is not None
    job = create_job(
        [Upload(SEEDS[0].name, [SEEDS[0].read_bytes()])],
        supervisor=orgs.district,
        user=user("supervisor"),
        round=made,
    )
    c = client_as("supervisor")
    queued = c.get(f"/supervise/rounds/{made.pk}/progress/", HTTP_HX_REQUEST="true")
    html = queued.content.decode()
    assert "0/1" in html and 'hx-trigger="every 2s"' in html and "刷新进度" in html
    run_job(job.pk)
    done = c.get(f"/supervise/rounds/{made.pk}/progress/?was_active=1", HTTP_HX_REQUEST="true")
    assert "1/1" in done.content.decode() and done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()  # polling stops


def test_an_empty_upload_is_refused(
    client_as: Callable[[str | None], Client], orgs: demo.DemoOrgs
) -> None:
    made = load_rounds(orgs)
    assert made is not None
    r = client_as("supervisor").post(f"/supervise/rounds/{made.pk}/upload/", follow=True)
    assert "请选择要上传的年度报告文件" in r.content.decode()
    assert not made.jobs.exists()
