"""The annual report's core: tables from the register, versions, transitions, the lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from gongkai.check import check
from gongkai.register.annual import build_report
from gongkai.register.cases import Event, EventKind
from gongkai.report import Report
from gongkai.web.cases import register
from gongkai.web.cases.models import Case
from gongkai.web.reports import locks, service, sources
from gongkai.web.reports.models import AnnualReport, ImmutableVersion, ReportVersion, digest

from .reports_helpers import YEAR

pytestmark = pytest.mark.django_db


def test_tables_three_and_four_are_build_report_on_the_same_cases(
    report: AnnualReport, ledger: list[Case]
) -> None:
    org = ledger[0].organisation
    stored = Report.from_json(report.latest().data)  # type: ignore[union-attr]
    # The library, on every case of the body replayed independently of sources.py.
    apps = [register.application(c) for c in Case.objects.filter(organisation=org)]
    expected = build_report(apps, [], YEAR, org.name)
    assert stored.tables["t3"] == expected.tables["t3"]
    assert stored.tables["t4"] == expected.tables["t4"]
    t3 = stored.tables["t3"]
    total = {r.key: r.cell("total").value for r in t3.rows}  # type: ignore[union-attr]
    assert (total["r1"], total["r2"], total["t"], total["r4"]) == (4, 2, 4, 2)
    assert t3.row("d1").cell("commercial").value == 1  # type: ignore[union-attr]


def test_register_cases_are_those_that_count_in_the_year(ledger: list[Case]) -> None:
    org = ledger[0].organisation
    ids = {a.id for a in sources.register_cases(org, YEAR)}
    assert ids == {c.number for c in ledger[:7] if c.number != ledger[1].number}


def _take(report: AnnualReport, action: str, who: Any, note: str = "") -> AnnualReport:
    return service.transition(report.pk, action, note, who)


def test_every_version_is_stored_with_its_findings_and_sha256(
    report: AnnualReport, user: Callable[[str], Any]
) -> None:
    versions = list(report.versions.order_by("number"))
    assert [v.number for v in versions] == [1, 2] and report.version == 2
    for v in versions:
        assert v.sha256 == digest(v.data) and v.intact()
        assert Report.from_json(v.data).year == YEAR
        assert v.findings == [f.model_dump(mode="json") for f in check(Report.from_json(v.data))]
    # Saving the same text again stores nothing new; a change stores version 3.
    same, v = service.save_text(report.pk, 2, report.preamble, {}, user("officer_a"))
    assert v.number == 2 and same.versions.count() == 2
    _, v3 = service.save_text(report.pk, 2, report.preamble, {6: "无。"}, user("officer_a"))
    assert v3.number == 3 and Report.from_json(v3.data).section(6).text == "无。"  # type: ignore[union-attr]
    assert Report.from_json(versions[1].data).section(6).text != "无。"  # type: ignore[union-attr]


def test_a_stale_save_is_refused_and_changes_nothing(
    report: AnnualReport, user: Callable[[str], Any]
) -> None:
    with pytest.raises(service.ReportError) as e:
        service.save_text(report.pk, 1, "", {1: "覆盖"}, user("officer_a"))
    assert e.value.status == 409 and "当前第2版" in e.value.message
    report.refresh_from_db()
    assert report.section_text(1).startswith("本年度") and report.versions.count() == 2


def test_stored_versions_cannot_be_changed_or_deleted(report: AnnualReport) -> None:
    v = report.latest()
    assert v is not None
    v.data = v.data.replace("本年度", "上年度")
    with pytest.raises(ImmutableVersion):
        v.save()
    with pytest.raises(ImmutableVersion):
        v.delete()
    assert report.latest().data != v.data  # type: ignore[union-attr]


def test_the_whole_path_and_a_correction_keeps_the_published_version(
    report: AnnualReport, user: Callable[[str], Any]
) -> None:
    reviewer, supervisor = user("reviewer_a"), user("supervisor")
    r = _take(report, "submit", reviewer)
    assert r.state == "submitted" and r.version == 3  # the submission is its own version
    r = _take(r, "return", supervisor, "第三部分的数字与表三不一致，请核对")
    assert r.state == "returned" and "第三部分" in r.note
    r, _ = service.save_text(r.pk, r.version, r.preamble, {3: "已核对。"}, user("officer_a"))
    r = _take(r, "submit", reviewer)
    r = _take(r, "accept", supervisor)
    r = _take(r, "publish", reviewer)
    published = r.published()
    assert r.state == "published" and published is not None and published.number == r.version
    assert Report.from_json(published.data).section(3).text == "已核对。"  # type: ignore[union-attr]
    old = (published.number, published.sha256, published.data)
    r = _take(r, "correct", reviewer, "更正第五部分的错字")
    assert r.state == "draft" and r.version == old[0] + 1  # the correction is a new version
    assert r.latest().state == "draft"  # type: ignore[union-attr]
    r, v = service.save_text(r.pk, r.version, r.preamble, {5: "更正后的文字。"}, user("officer_a"))
    assert v.number == old[0] + 2
    kept = ReportVersion.objects.get(report=r, number=old[0])
    assert (kept.number, kept.sha256, kept.data) == old and kept.published_at is not None
    assert r.published() == kept  # the public still sees it until the correction is published
    r = _take(r, "submit", reviewer)
    r = _take(r, "accept", supervisor)
    r = _take(r, "publish", reviewer)
    assert r.published().number == r.version > old[0]  # type: ignore[union-attr]
    assert r.versions.filter(published_at__isnull=False).count() == 2
    assert [e.action for e in r.events.order_by("at", "id")] == [
        "submit",
        "return",
        "submit",
        "accept",
        "publish",
        "correct",
        "submit",
        "accept",
        "publish",
    ]


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "accept"),
        ("draft", "publish"),
        ("draft", "return"),
        ("draft", "correct"),
        ("submitted", "submit"),
        ("submitted", "publish"),
        ("returned", "accept"),
        ("accepted", "return"),
        ("accepted", "submit"),
        ("published", "publish"),
        ("published", "submit"),
    ],
)
def test_a_state_that_does_not_allow_an_action_refuses_it_409(
    report: AnnualReport, user: Callable[[str], Any], state: str, action: str
) -> None:
    AnnualReport.objects.filter(pk=report.pk).update(state=state)
    with pytest.raises(service.ReportError) as e:
        service.transition(report.pk, action, "说明", user("reviewer_a"))
    assert e.value.status == 409 and "不能" in e.value.message
    report.refresh_from_db()
    assert report.state == state and not report.events.exists()


def test_return_needs_the_supervisors_note(
    report: AnnualReport, user: Callable[[str], Any]
) -> None:
    _take(report, "submit", user("reviewer_a"))
    with pytest.raises(service.ReportError) as e:
        service.transition(report.pk, "return", "  ", user("supervisor"))
    assert e.value.status == 422 and "退回意见" in e.value.message


def test_submission_locks_the_year_of_the_register(
    report: AnnualReport, ledger: list[Case], user: Callable[[str], Any]
) -> None:
    officer = user("officer_a")
    org = report.organisation
    open_case = ledger[6]  # received 2024-12-30, still open
    assert locks.year_locked(org, YEAR) is None
    _take(report, "submit", user("reviewer_a"))
    assert locks.year_locked(org, YEAR) == report
    submitted = report.latest()
    with pytest.raises(locks.YearLocked) as e:
        register.record(
            open_case.pk,
            open_case.version,
            Event(EventKind.ANSWERED, dt.date(2024, 12, 31), outcome="disclosed"),
            officer,
        )
    assert "已锁定" in e.value.message and "2024年12月31日" in e.value.message
    with pytest.raises(locks.YearLocked):
        register.create_case(
            org,
            register.Intake(
                channel="当面",
                applicant_type="natural",
                received=dt.date(2024, 6, 3),
                description="x",
            ),
            officer,
        )
    open_case.refresh_from_db()
    assert (
        open_case.state != "closed"
        and not Case.objects.filter(organisation=org, received=dt.date(2024, 6, 3)).exists()
    )
    # A change dated in the next year is not in the locked year: it is recorded.
    register.record(
        open_case.pk,
        open_case.version,
        Event(EventKind.ANSWERED, dt.date(2025, 1, 6), outcome="disclosed"),
        officer,
    )
    # Another body's year is not locked.
    add = ledger[8]
    assert locks.year_locked(add.organisation, YEAR) is None
    # The submitted version is unchanged; returning unlocks the year.
    assert report.latest() == submitted and submitted.intact()  # type: ignore[union-attr]
    _take(report, "return", user("supervisor"), "请补充")
    assert locks.year_locked(org, YEAR) is None
    case = register.create_case(
        org,
        register.Intake(
            channel="当面", applicant_type="natural", received=dt.date(2024, 6, 3), description="x"
        ),
        officer,
    )
    assert case.pk


def test_report_permission_predicates(
    blank_report: AnnualReport, supervised: Any, user: Callable[[str], Any]
) -> None:
    from gongkai.web import permissions as p

    may = {
        who: {
            a
            for a in ("submit", "return", "accept", "publish", "correct")
            if p.can_act_on_report(user(who), blank_report, a)
        }
        for who in ("officer_a", "reviewer_a", "supervisor", "officer_b", "admin")
    }
    assert may == {
        "officer_a": set(),
        "reviewer_a": {"submit", "publish", "correct"},
        "supervisor": {"return", "accept"},
        "officer_b": set(),
        "admin": set(),
    }
    org = blank_report.organisation
    assert [
        w
        for w in ("officer_a", "reviewer_a", "supervisor", "officer_b")
        if p.can_prepare_report(user(w), org)
    ] == ["officer_a", "reviewer_a"]
    assert [
        w
        for w in ("officer_a", "supervisor", "officer_b", "admin")
        if p.can_view_report(user(w), blank_report)
    ] == ["officer_a", "supervisor", "admin"]
    assert p.can_keep_calendar(user("supervisor"), supervised.office)
    assert not p.can_keep_calendar(user("reviewer_a"), supervised.office)
    assert list(p.calendars_kept_by(user("officer_a"))) == []
    # The 公开办 role must be in the body's own supervising office: a 公开办 of the district
    # sees the report (its subtree) but may not accept it without that role.
    from gongkai.web.orgs.models import Membership, Role

    Membership.objects.filter(
        user=user("supervisor"), organisation=supervised.office, role=Role.SUPERVISOR
    ).delete()
    assert p.can_view_report(user("supervisor"), blank_report)
    assert not p.can_act_on_report(user("supervisor"), blank_report, "accept")


def test_submission_locks_table_four_and_table_two_where_they_would_change(
    report: AnnualReport, user: Callable[[str], Any]
) -> None:
    from gongkai.register.catalogue import CatalogueError, ReviewStep
    from gongkai.web.appeals import service as appeals
    from gongkai.web.catalogue import service as catalogue

    from .catalogue_factories import item

    officer, org = user("officer_a"), report.organisation
    # Before the lock: an appeal filed in 2023, still pending at the end of YEAR (2024).
    pending = appeals.create(
        org, appeals.AppealData("复〔2023〕9号", "review", dt.date(2023, 11, 2)), officer
    )
    draft = item(org, officer, steps=2, written=dt.date(YEAR, 5, 6), doc_no="示政办发〔2024〕8号")
    _take(report, "submit", user("reviewer_a"))

    with pytest.raises(appeals.AppealError, match="已锁定"):  # it would count in YEAR
        appeals.create(
            org, appeals.AppealData("复〔2024〕1号", "review", dt.date(YEAR, 7, 1)), officer
        )
    with pytest.raises(appeals.AppealError, match="已锁定"):  # moved out of YEAR's table
        appeals.update(pending.pk, pending.version, {"filed": dt.date(2025, 1, 3)}, officer)
    # Decided after YEAR: YEAR's table still counts it 尚未审结, so the change is recorded.
    decided = appeals.update(
        pending.pk,
        pending.version,
        {"result": "upheld", "concluded": dt.date(2025, 2, 10)},
        officer,
    )
    assert decided.version == pending.version + 1
    # Publishing a 规范性文件 written in YEAR would change YEAR's table 二 (本年制发).
    with pytest.raises(CatalogueError, match="已锁定"):
        catalogue.review(draft.pk, draft.version, ReviewStep.PUBLISH, officer)
    with pytest.raises(CatalogueError, match="已锁定"):
        catalogue.save_decisions(org, YEAR, {}, "", 0, officer)
    # Next year's counts are not locked.
    catalogue.save_decisions(org, YEAR + 1, {}, "", 0, officer)
    assert report.latest().intact()  # type: ignore[union-attr]
