"""The annual report's pages: the dashboard, the editing page with findings marked, exports,
the public page, the reporting calendar."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.parse import parse
from gongkai.report import Cell, CellKind, Report, Row, Table
from gongkai.web.reports import deadlines, service, sources
from gongkai.web.reports.models import AnnualReport, ReportingCalendar

from .reports_helpers import YEAR

pytestmark = pytest.mark.django_db


def _publish(report: AnnualReport, user: Callable[[str], Any]) -> AnnualReport:
    for action, who in (
        ("submit", "reviewer_a"),
        ("accept", "supervisor"),
        ("publish", "reviewer_a"),
    ):
        report = service.transition(report.pk, action, "", user(who))
    return report


def test_the_page_shows_findings_and_marks_the_inconsistent_sentence(
    report: AnnualReport, client_as: Callable[[str | None], Client]
) -> None:
    findings = report.latest().findings  # type: ignore[union-attr]
    x1 = [f for f in findings if f["rule"] == "X-1"]
    # Section 一 says 5 applications were received; table 三 has 4 new and 2 carried over.
    assert x1 and "5件" in x1[0]["message"]
    page = client_as("officer_a").get(reverse("reports:detail", kwargs={"pk": report.pk}))
    html = page.content.decode()
    assert page.status_code == 200
    n = findings.index(x1[0]) + 1
    assert f'id="finding-{n}"' in html
    # The sentence is marked in section 一's text, and the cells the finding names in table 三.
    assert (
        '<mark class="hl-warning">本年度，本机关认真贯彻落实《条例》，'
        "全年共收到政府信息公开申请5件，依法按时答复。</mark>" in html
    )
    assert 'id="cell-t3-r1-total"' in html
    assert (
        f'class="value hl hl-warning" id="cell-t3-r1-total">4<a class="fref" href="#finding-{n}">'
        in html
    )
    if sources.table_two_available():  # the catalogue's table 二, in the official layout
        assert 'id="cell-t2-normative-issued"' in html
        assert not any(f["rule"] in ("T0-2", "T0-4") and "表二" in f["message"] for f in findings)
    else:  # not available yet: said on the page and in the findings
        assert "表二（主动公开政府信息情况）尚不可用" in html
        assert any(f["rule"] in ("T0-2", "T0-4") and "表二" in f["message"] for f in findings)


def _table_two(value: int) -> Table:
    cells = [
        Cell(column="issued", raw=str(value), value=value, kind=CellKind.NUMBER),
        Cell(column="repealed", raw="0", value=0, kind=CellKind.NUMBER),
        Cell(column="in_force", raw="3", value=3, kind=CellKind.NUMBER),
    ]
    return Table(key="t2", rows=[Row(key="normative", label="行政规范性文件", cells=cells)])


def test_an_inconsistent_entered_table_two_value_is_found_and_its_cell_marked(
    report: AnnualReport,
    client_as: Callable[[str | None], Client],
    user: Callable[[str], Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The catalogue seam: whatever table_two returns goes into the report and is checked.
    monkeypatch.setattr(sources, "table_two", lambda org, year: _table_two(-2))
    report, v = service.save_text(report.pk, report.version, report.preamble, {}, user("officer_a"))
    data = Report.from_json(v.data)
    assert data.cell("t2", "normative", "issued").value == -2  # type: ignore[union-attr]
    bad = [f for f in v.findings if f["rule"] == "T2-1"]
    assert bad and bad[0]["severity"] == "error"
    assert bad[0]["cells"][0]["row"] == "normative"
    html = (
        client_as("officer_a")
        .get(reverse("reports:detail", kwargs={"pk": report.pk}))
        .content.decode()
    )
    assert 'class="value hl hl-error" id="cell-t2-normative-issued">-2' in html


def test_saving_in_the_browser_checks_again(
    report: AnnualReport, client_as: Callable[[str | None], Client]
) -> None:
    c = client_as("officer_a")
    body = {"version": report.version, "preamble": report.preamble}
    body.update({f"section_{n}": "无。" for n in range(1, 7)})
    body["section_1"] = "全年共收到政府信息公开申请4件。"
    r = c.post(reverse("reports:save", kwargs={"pk": report.pk}), body, follow=True)
    assert "已保存为第3版" in r.content.decode()
    report.refresh_from_db()
    assert not [f for f in report.latest().findings if f["rule"] == "X-1"]  # type: ignore[union-attr]
    # The old version number is refused, with a Chinese message, and nothing is written.
    r = c.post(
        reverse("reports:save", kwargs={"pk": report.pk}), {**body, "section_6": "改"}, follow=True
    )
    assert "已被他人修改" in r.content.decode()
    report.refresh_from_db()
    assert report.section_text(6) == "无。" and report.version == 3


def test_roles_on_the_pages(
    report: AnnualReport, client_as: Callable[[str | None], Client]
) -> None:
    url = reverse("reports:transition", kwargs={"pk": report.pk})
    assert client_as("officer_a").post(url, {"action": "submit"}).status_code == 403
    assert client_as("supervisor").post(url, {"action": "submit"}).status_code == 403
    save = reverse("reports:save", kwargs={"pk": report.pk})
    assert client_as("supervisor").post(save, {"version": report.version}).status_code == 403
    assert client_as("reviewer_a").post(url, {"action": "submit"}).status_code == 302
    report.refresh_from_db()
    assert report.state == "submitted"
    page = client_as("supervisor").get(reverse("reports:detail", kwargs={"pk": report.pk}))
    html = page.content.decode()
    assert 'value="return"' in html and 'value="accept"' in html and 'value="submit"' not in html
    assert "已锁定" in html


def test_agency_b_is_refused_every_report_page(
    report: AnnualReport, client_as: Callable[[str | None], Client]
) -> None:
    b = client_as("officer_b")
    for name in ("detail", "save", "transition"):
        url = reverse(f"reports:{name}", kwargs={"pk": report.pk})
        assert (
            b.get(url) if name == "detail" else b.post(url, {"action": "submit"})
        ).status_code == 404
    assert (
        b.get(reverse("reports:export", kwargs={"pk": report.pk, "kind": "docx"})).status_code
        == 404
    )
    assert report.organisation.name not in b.get(reverse("reports:dashboard")).content.decode()


def test_exports_open(
    report: AnnualReport, client_as: Callable[[str | None], Client], tmp_path: Any
) -> None:
    import docx

    c = client_as("officer_a")
    stored = Report.from_json(report.latest().data)  # type: ignore[union-attr]
    for kind in ("docx", "html", "md", "txt"):
        r = c.get(reverse("reports:export", kwargs={"pk": report.pk, "kind": kind}))
        assert r.status_code == 200 and "attachment" in r["Content-Disposition"]
        path = tmp_path / f"report.{kind}"
        path.write_bytes(r.content)
        if kind == "docx":
            document = docx.Document(io.BytesIO(r.content))
            assert any("2024年政府信息公开工作年度报告" in p.text for p in document.paragraphs)
            assert len(document.tables) == 3  # 二 (blank without the catalogue), 三, 四
        back = parse(path)
        assert (
            back.tables["t3"].row("r1").cell("total").value
            == stored.tables["t3"].row("r1").cell("total").value
        )  # type: ignore[union-attr]
        assert {(r.key, c.column, c.value) for r in back.tables["t3"].rows for c in r.cells} == {
            (r.key, c.column, c.value) for r in stored.tables["t3"].rows for c in r.cells
        }


def test_the_public_page_is_404_until_published(
    report: AnnualReport, client_as: Callable[[str | None], Client], user: Callable[[str], Any]
) -> None:
    anon = client_as(None)
    url = reverse("reports:public", kwargs={"pk": report.pk})
    docx_url = reverse("reports:public_docx", kwargs={"pk": report.pk})
    assert anon.get(url).status_code == 404 and anon.get(docx_url).status_code == 404
    service.transition(report.pk, "submit", "", user("reviewer_a"))
    service.transition(report.pk, "accept", "", user("supervisor"))
    assert anon.get(url).status_code == 404  # accepted is not published
    service.transition(report.pk, "publish", "", user("reviewer_a"))
    page = anon.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "2024年政府信息公开工作年度报告" in html
    assert docx_url in html and "测试申请人" not in html
    assert "<script" not in html and "style=" not in html
    assert anon.get(docx_url).status_code == 200


def test_last_years_published_text_is_beside_each_section_and_a_copy_is_warned(
    ledger: Any, user: Callable[[str], Any], client_as: Callable[[str | None], Client]
) -> None:
    org = ledger[0].organisation
    officer = user("officer_a")
    long_text = (
        "本机关坚持以公开为常态、不公开为例外，围绕中心工作推进决策、执行、管理、服务、结果公开，"
        "通过门户网站政府信息公开专栏及时发布机构职能、规范性文件、财政预决算等信息，做到应公开尽公开。"
    )
    last = service.start(org, YEAR - 1, officer)
    last, _ = service.save_text(
        last.pk, last.version, last.preamble, {1: long_text, 5: "去年的问题。"}, officer
    )
    _publish(last, user)
    this = service.start(org, YEAR, officer)
    this, v = service.save_text(
        this.pk,
        this.version,
        this.preamble,
        {1: long_text.replace("2023", "2024"), 5: "今年的问题。"},
        officer,
    )
    dup = [f for f in v.findings if f["rule"] == "DUP-1"]
    assert (
        len(dup) == 1
        and "第一部分" in dup[0]["message"]
        and "2023年度已发布的报告" in dup[0]["message"]
    )
    html = (
        client_as("officer_a")
        .get(reverse("reports:detail", kwargs={"pk": this.pk}))
        .content.decode()
    )
    assert "去年的问题。" in html and "雷同提醒" in html
    # A rewritten section is not warned about.
    this, v = service.save_text(
        this.pk,
        this.version,
        this.preamble,
        {1: "今年我们主要做了三件事：一是完善目录，二是规范答复，三是加强培训。" * 2},
        officer,
    )
    assert not [f for f in v.findings if f["rule"] == "DUP-1"]


def test_another_bodys_text_is_warned_about_without_showing_it(
    ledger: Any, supervised: Any, user: Callable[[str], Any]
) -> None:
    text = (
        "本局认真贯彻落实条例，主动公开教育经费、招生计划、学区划分等信息，依申请公开答复规范及时，政府信息管理制度健全，监督保障有力。"
        * 2
    )
    b = service.start(supervised.agency_b, YEAR, user("officer_b"))
    service.save_text(b.pk, b.version, b.preamble, {1: text}, user("officer_b"))
    a = service.start(supervised.agency_a, YEAR, user("officer_a"))
    _, v = service.save_text(a.pk, a.version, a.preamble, {1: text}, user("officer_a"))
    dup = [f for f in v.findings if f["rule"] == "DUP-1"]
    assert (
        dup
        and "示范区教育局2024年度报告" in dup[0]["message"]
        and "教育经费" not in dup[0]["message"]
    )


def test_dashboard_dates_and_reminders(
    supervised: Any, client_as: Callable[[str | None], Client], monkeypatch: pytest.MonkeyPatch
) -> None:
    c = client_as("officer_a")
    monkeypatch.setattr(deadlines, "today", lambda: dt.date(2025, 1, 20))
    if True:
        html = c.get(reverse("reports:dashboard")).content.decode()
        assert "2025年1月31日" in html and "条例第四十九条第一款" in html and "还有11天" in html
        assert "开始编制" in html
        # The 公开办 sets its own earlier date; it shows with its own reminder.
        s = client_as("supervisor")
        r = s.post(
            reverse("reports:calendar"),
            {
                "supervisor": supervised.office.pk,
                "year": 2024,
                "submit_by": "2025-01-26",
                "note": "示公开办〔2024〕1号",
            },
        )
        assert r.status_code == 302
        assert ReportingCalendar.objects.get(
            supervisor=supervised.office, year=2024
        ).submit_by == dt.date(2025, 1, 26)
        html = c.get(reverse("reports:dashboard")).content.decode()
        assert "报送公开办的截止日期是2025年1月26日" in html and "示公开办〔2024〕1号" in html
    monkeypatch.setattr(deadlines, "today", lambda: dt.date(2025, 2, 3))
    if True:
        html = c.get(reverse("reports:dashboard")).content.decode()
        assert "已逾期3天" in html
    # Only the 公开办 keeps the calendar.
    assert c.get(reverse("reports:calendar")).status_code == 403
    r = client_as("officer_a").post(
        reverse("reports:calendar"), {"supervisor": supervised.office.pk, "year": 2024}
    )
    assert r.status_code == 403


def test_starting_a_report_in_the_browser(
    supervised: Any, client_as: Callable[[str | None], Client]
) -> None:
    c = client_as("officer_a")
    r = c.post(reverse("reports:start"), {"organisation": supervised.agency_a.pk, "year": 2024})
    report = AnnualReport.objects.get(organisation=supervised.agency_a, year=2024)
    assert r.status_code == 302 and r["Location"] == reverse(
        "reports:detail", kwargs={"pk": report.pk}
    )
    assert report.format == "2021" and report.version == 1
    assert (
        client_as("officer_b")
        .post(reverse("reports:start"), {"organisation": supervised.agency_a.pk, "year": 2024})
        .status_code
        == 404
    )
    assert (
        client_as("supervisor")
        .post(reverse("reports:start"), {"organisation": supervised.agency_a.pk, "year": 2023})
        .status_code
        == 403
    )
    assert not AnnualReport.objects.filter(year=2023).exists()


def test_the_agencys_public_page_links_its_published_reports(
    report: AnnualReport, client_as: Callable[[str | None], Client], user: Callable[[str], Any]
) -> None:
    try:
        url = reverse("public:agency", kwargs={"pk": report.organisation_id})
    except Exception:
        pytest.skip("the public app is not installed")
    from gongkai.web.reports.apps import published_links

    public_url = reverse("reports:public", kwargs={"pk": report.pk})
    assert published_links(report.organisation) == []
    _publish(report, user)
    assert published_links(report.organisation) == [
        ("2024年度政府信息公开工作年度报告", public_url)
    ]
    page = client_as(None).get(url)
    if page.status_code == 200:  # the body is on the public side once it has a 指南
        assert public_url in page.content.decode()
