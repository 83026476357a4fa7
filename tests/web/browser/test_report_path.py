"""Issue 11's whole path in the browser: the officer prepares agency A's annual report, the
reviewer submits it, the supervising 公开办 returns it with a note, it is resubmitted, accepted
and published; the public page shows it; a citizen applies online and tracks the application
by its 查询号 and phone. Screenshots go to ``$GONGKAI_SCREENSHOTS`` or
tests/web/browser/screenshots/ (names 4x-…)."""

from __future__ import annotations

from typing import Any

import pytest

from gongkai.web.public.challenge import _terms, nonce_of
from gongkai.web.public.models import OnlineApplication
from gongkai.web.reports.models import AnnualReport

from .conftest import MISSING, check_a11y, login, screenshot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect if not MISSING else None

NOTE = "第四部分未说明行政复议纠错的原因，请补充后重新报送"


def act(page: Any, button: str, note: str | None = None) -> None:
    """Take one transition from the report page (a plain form: the page reloads)."""
    section = page.get_by_role("region", name="流转")
    if note is not None:
        section.get_by_label("退回意见").fill(note)
    section.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def state(page: Any) -> Any:
    return page.locator("h1 .state")


def test_report_from_draft_to_public_page(page: Any, report: AnnualReport) -> None:
    url = f"/reports/{report.pk}/"
    # The officer prepares: edits a section and saves (the findings are recomputed).
    login(page, "officer_a")
    page.goto(url)
    expect(state(page)).to_have_text("草稿")
    section = page.get_by_label("本年度").nth(3)  # 四、政府信息公开行政复议、行政诉讼情况
    section.fill(section.input_value() + "本年度未发生行政复议纠错。")
    page.get_by_role("button", name="保存并检查").click()
    page.wait_for_load_state()
    expect(page.locator("#messages")).to_contain_text("已保存")
    expect(page.get_by_role("region", name="流转")).to_have_count(0)  # 办理人员 cannot submit
    check_a11y(page)
    screenshot(page, "40-report-draft")

    login(page, "reviewer_a")
    page.goto(url)
    act(page, "提交")
    expect(state(page)).to_have_text("已提交")

    login(page, "supervisor")
    page.goto(url)
    act(page, "退回", NOTE)
    expect(state(page)).to_have_text("退回")
    expect(page.locator(".return-note")).to_have_text(NOTE)
    screenshot(page, "41-report-returned")

    login(page, "reviewer_a")
    page.goto(url)
    expect(page.locator(".return-note")).to_have_text(NOTE)  # the body reads the note
    act(page, "提交")
    expect(state(page)).to_have_text("已提交")

    login(page, "supervisor")
    page.goto(url)
    act(page, "接收")
    expect(state(page)).to_have_text("已接收")

    login(page, "reviewer_a")
    page.goto(url)
    act(page, "发布")
    expect(state(page)).to_have_text("已发布")
    check_a11y(page)
    screenshot(page, "42-report-published")
    report.refresh_from_db()
    assert report.state == "published"

    # The public page, without login: the published text and its DOCX.
    page.context.clear_cookies()
    page.goto(f"/public/reports/{report.pk}/")
    expect(page.locator("h1")).to_contain_text(f"{report.year}年")
    expect(page.locator("main")).to_contain_text("本年度未发生行政复议纠错。")
    expect(page.get_by_role("link", name="DOCX")).to_have_count(1)
    check_a11y(page)
    screenshot(page, "43-report-public")


def test_citizen_applies_online_and_tracks_it(page: Any, orgs: Any) -> None:
    from gongkai.web.public.demo import load_public

    load_public(orgs)  # the 指南 (which accepts online applications)
    org = orgs.agency_a
    page.goto(f"/public/agencies/{org.pk}/apply/")
    page.get_by_label("姓名或名称").fill("王晓明")
    page.get_by_label("证件类型").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill("330106199207081524")
    page.get_by_label("联系电话").fill("13900001111")
    page.get_by_label("所需信息的名称、文号或者便于查询的其他特征性描述").fill(
        "示范区2024年道路维修项目清单"
    )
    token = page.locator("input[name=token]").input_value()
    page.get_by_label("验证题").fill(str(_terms(nonce_of(token))[3]))
    check_a11y(page)
    screenshot(page, "44-apply")
    page.get_by_role("button", name="提交申请").click()
    code = page.locator("#code").inner_text()
    submitted = OnlineApplication.objects.get(organisation=org, phone_digits="13900001111")
    assert code.replace("-", "") == submitted.tracking_code.replace("-", "")

    page.goto("/public/track/")
    page.get_by_label("查询号").fill(code)
    page.get_by_label("联系电话").fill("139 0000 1111")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".state")).to_contain_text("待机关确认")
    expect(page.locator("main")).to_contain_text("139****1111")
    expect(page.locator("main")).not_to_contain_text("王晓明")
    check_a11y(page)
    screenshot(page, "45-track")

    # The office confirms it (第三十一条: that day is the date of receipt): a register case.
    login(page, "officer_a")
    page.goto("/public/queue/")
    page.get_by_role("link", name=submitted.tracking_code).first.click()
    confirm = page.get_by_role("form", name="确认收到并登记")
    # Today, filled in (an <input type=date> shows only an ISO value; a blank one blocks it).
    expect(confirm.get_by_label("双方确认之日")).not_to_have_value("")
    confirm.get_by_role("button", name="确认并登记").click()
    page.wait_for_url("**/cases/*/")
    submitted.refresh_from_db()
    assert submitted.case is not None and submitted.case.channel == "网络"
    expect(page.locator("h1 .state")).to_have_text("办理中")

    page.context.clear_cookies()
    page.goto("/public/track/")
    page.get_by_label("查询号").fill(code)
    page.get_by_label("联系电话").fill("13900001111")
    page.get_by_role("button", name="查询").click()
    expect(page.locator(".state")).to_contain_text("办理中")
    expect(page.locator("main")).to_contain_text(submitted.case.number)
    expect(page.locator("main")).not_to_contain_text("officer_a")
    screenshot(page, "46-track-confirmed")
