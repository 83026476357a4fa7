"""Each page in the browser: accessible (axe-core, keyboard, labels and linked errors), loading
nothing from outside and breaking no CSP rule (the ``page`` fixture fails on either), the API
docs page from the vendored Swagger UI, and the admin for the superuser."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import MISSING, check_a11y, login, screenshot

pytestmark = pytest.mark.browser
# Imported here, not at the top, so that without playwright the module still collects (and the
# conftest skips its tests with the reason).
expect = pytest.importorskip("playwright.sync_api").expect if not MISSING else None


def test_login_page_keyboard_and_errors(page: Any, orgs: Any) -> None:
    page.goto("/accounts/login/")
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    expect(page.get_by_label("用户名")).to_be_focused()  # autofocus on the login form
    check_a11y(page)
    # Wrong password: the error is announced and linked to both fields.
    page.get_by_label("用户名").fill("officer_a")
    page.get_by_label("密码").fill("wrong")
    page.get_by_label("密码").press("Enter")
    error = page.get_by_role("alert")
    expect(error).to_contain_text("请输入一个正确的")
    for label in ("用户名", "密码"):
        field = page.get_by_label(label)
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_accessible_description(error.inner_text())
    check_a11y(page)
    screenshot(page, "10-login-error")


def test_skip_link_and_visible_focus(page: Any, orgs: Any) -> None:
    login(page, "officer_a")
    page.goto("/cases/new/")
    # The first Tab reaches the skip link, which becomes visible and leads to the main part.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "skip link stays off-screen"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    seen = 0
    for _ in range(25):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                return {tag: e.tagName, name: e.name, outline: s.outlineStyle,
                        width: s.outlineWidth}; }"""
        )
        if style["tag"] in ("A", "INPUT", "SELECT", "TEXTAREA", "BUTTON"):
            seen += 1
            assert style["outline"] != "none" and style["width"] != "0px", style
    assert seen >= 15


def test_intake_errors_are_linked_to_their_fields(page: Any, orgs: Any) -> None:
    login(page, "officer_a")
    page.goto("/cases/new/")
    page.get_by_label("提交方式").select_option(label="当面")
    page.get_by_label("提交之日").fill("2025-03-03")
    page.get_by_label("申请人姓名或名称").fill("李娜")
    # The browser would refuse an empty required field itself; the server's check is the one
    # that must be linked, so the required attribute is lifted for the test.
    page.evaluate("document.querySelector('form.card').noValidate = true")
    page.get_by_role("button", name="登记").click()
    field = page.get_by_label("所需信息的名称、文号或特征性描述")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description("这个字段是必填项。")
    check_a11y(page)
    screenshot(page, "11-intake-error")


def test_list_page_table_and_landmarks(page: Any, orgs: Any, case_a: Any) -> None:
    login(page, "officer_a")
    table = page.get_by_role("table", name="申请列表，第 1 页")
    expect(table).to_be_visible()
    assert table.locator("th[scope=col]").count() == 9
    for role in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(role)).to_have_count(1)
    expect(page.get_by_role("navigation", name="主菜单")).to_be_visible()
    expect(page.get_by_role("search", name="筛选")).to_be_visible()
    check_a11y(page)
    screenshot(page, "12-list")


def test_api_docs_page_runs_offline(page: Any, orgs: Any, live_server: Any) -> None:
    page.goto("/api/v1/docs")
    page.wait_for_url("**/accounts/login/?next=/api/v1/docs")  # logged in only
    login_from_here = page.get_by_label("用户名")
    login_from_here.fill("officer_a")
    page.get_by_label("密码").fill("gongkai-demo")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/api/v1/docs")
    schema = page.request.get("/api/v1/openapi.json").json()  # the page's session
    operations = sum(len(ops) for ops in schema["paths"].values())
    expect(page.locator(".opblock")).to_have_count(operations)  # every operation of the schema
    expect(page.locator("#swagger-ui")).to_contain_text("/api/v1/cases/{case_id}/events")
    # Try one operation from the page: the session is used, the answer is the API's.
    page.locator(".opblock-get").first.locator(".opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_contain_text("200")
    # Swagger UI's own markup has contrast and nesting faults (third party): the page around it
    # is ours and is checked.
    check_a11y(page, exclude=["#swagger-ui"])
    screenshot(page, "20-api-docs")


def test_admin_for_the_superuser(page: Any, orgs: Any, case_a: Any) -> None:
    login(page, "officer_a")
    assert page.request.get("/admin/").status == 403  # a member, not a superuser
    page.context.clear_cookies()
    login(page, "admin")
    page.goto("/admin/")
    expect(page.get_by_role("link", name="依申请公开申请")).to_be_visible()
    page.goto("/admin/cases/case/")
    expect(page.locator("#result_list")).to_contain_text(case_a.number)
    page.get_by_role("link", name=case_a.number).click()
    # The history shows, without a field to change or a box to delete.
    expect(page.locator("#events-group")).to_contain_text("收到申请")
    expect(page.locator("#events-group input:not([type=hidden])")).to_have_count(0)
    expect(page.locator("input[name=state], select[name=state]")).to_have_count(0)
    screenshot(page, "30-admin-case")
