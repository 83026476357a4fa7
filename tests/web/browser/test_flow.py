"""An officer's day in the browser: log in, register an application handed in at the counter
(当面) by a natural person, ask for a correction (告知补正), receive it (收到补正), answer
with an outcome — checking the state and the statutory due date the page shows at each step,
the accessibility of each page (axe-core), and that the event forms work through htmx (no page
reload). Screenshots go to ``$GONGKAI_SCREENSHOTS`` or tests/web/browser/screenshots/."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document as docx_document

from gongkai.web.cases.models import Case, CaseEvent

from .conftest import MISSING, check_a11y, login, screenshot

pytestmark = pytest.mark.browser
# Imported here, not at the top, so that without playwright the module still collects (and the
# conftest skips its tests with the reason).
expect = pytest.importorskip("playwright.sync_api").expect if not MISSING else None

# Monday 3 March 2025, a plain working week. 第三十三条: 20 working days from the receipt
# → Monday 31 March. 第三十条: after a correction the period runs afresh from the day the
# corrected application is received: 20 working days from Monday 10 March, skipping the
# 清明 holiday (4–6 April 2025) → Tuesday 8 April. (Counted by hand from the 2025 notice.)
RECEIVED = "2025-03-03"
DUE = "2025-03-31"
SUPPLEMENT_ASKED = "2025-03-05"
SUPPLEMENT_IN = "2025-03-10"
DUE_AFTER_SUPPLEMENT = "2025-04-08"
ANSWERED = "2025-03-20"


def facts(page: Any, term: str) -> Any:
    return page.locator(f".facts dt:text-is('{term}') + dd")


def record(page: Any, form_name: str, fields: dict[str, str], selects: dict[str, str]) -> None:
    """Fill one event form of the case page and submit it; htmx swaps the case part in."""
    form = page.get_by_role("form", name=form_name, exact=True)
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)
    for label, option in selects.items():
        form.get_by_label(label, exact=True).select_option(label=option)
    form.get_by_role("button", name="记录").click()
    expect(page.locator("#messages")).to_contain_text(f"已记录「{form_name}」")


def intake(page: Any) -> int:
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="登记新申请").click()
    page.wait_for_url("**/cases/new/")
    check_a11y(page)
    page.get_by_label("提交方式").select_option(label="当面")
    page.get_by_label("提交之日").fill(RECEIVED)
    page.get_by_label("申请人类型").select_option(label="自然人")
    page.get_by_label("申请人姓名或名称").fill("李娜")
    page.get_by_label("联系方式").fill("0571-00000000")
    page.get_by_label("证件号码").fill("330106198502021234")
    page.get_by_label("所需信息的名称、文号或特征性描述").fill("2024年老旧小区改造项目清单")
    page.get_by_label("获取方式").select_option(label="电子邮件")
    screenshot(page, "01-intake-form")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url("**/cases/*/")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_officer_registers_corrects_and_answers(page: Any, orgs: Any) -> None:
    login(page, "officer_a")
    check_a11y(page)
    case_id = intake(page)

    expect(page.locator("#messages")).to_contain_text("已登记申请")
    expect(page.locator("h1 .state")).to_have_text("办理中")
    expect(facts(page, "收到申请之日")).to_contain_text(f"{RECEIVED}（当面")
    expect(facts(page, "申请人")).to_contain_text("李娜（自然人）")
    expect(facts(page, "申请人")).to_contain_text("3301**********1234")
    expect(facts(page, "答复期限")).to_contain_text(DUE)
    check_a11y(page)
    screenshot(page, "02-registered")

    # From here on the forms post through htmx: the page is never reloaded.
    page.evaluate("window.__notReloaded = true")
    record(page, "告知补正", {"日期": SUPPLEMENT_ASKED, "说明": "请写明项目所在街道"}, {})
    expect(page.locator("h1 .state")).to_have_text("待补正")
    expect(facts(page, "答复期限")).to_contain_text("自收到补正之日起重新计算")
    expect(page.locator(".timeline")).to_contain_text(f"{SUPPLEMENT_ASKED} 告知补正")
    check_a11y(page)
    screenshot(page, "03-supplement-requested")

    record(page, "收到补正", {"日期": SUPPLEMENT_IN}, {})
    expect(page.locator("h1 .state")).to_have_text("办理中")
    expect(facts(page, "答复期限")).to_contain_text(DUE_AFTER_SUPPLEMENT)
    check_a11y(page)
    screenshot(page, "04-supplement-received")

    record(page, "答复", {"日期": ANSWERED}, {"办理结果": "予以公开"})
    expect(page.locator("h1 .state")).to_have_text("已办结")
    expect(facts(page, "办理结果")).to_have_text(f"予以公开（{ANSWERED} 办结）")
    expect(page.get_by_role("heading", name="可办理的事项")).to_have_count(0)
    assert page.evaluate("window.__notReloaded") is True, "an event form reloaded the page"
    check_a11y(page)
    screenshot(page, "05-answered")

    case = Case.objects.get(pk=case_id)
    assert (case.state, case.outcome, case.closed, case.applicant_type, case.channel) == (
        "closed",
        "disclosed",
        dt.date.fromisoformat(ANSWERED),
        "natural",
        "当面",
    )
    kinds = list(CaseEvent.objects.filter(case=case).order_by("seq").values_list("kind", flat=True))
    assert kinds == ["received", "supplement_requested", "supplement_received", "answered"]

    # The list shows it among the closed cases (the filter form updates the list in place).
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="申请列表").click()
    page.wait_for_url("**/cases/")
    page.evaluate("window.__notReloaded = true")
    page.get_by_label("状态").select_option(label="已办结")
    page.wait_for_url("**/cases/?*state=closed*")
    expect(page.locator("#results")).to_contain_text(case.number)
    expect(page.locator("#count")).to_have_text("共 1 件")
    assert page.evaluate("window.__notReloaded") is True, "the filter reloaded the page"
    page.get_by_label("状态").select_option(label="待补正")
    expect(page.locator("#count")).to_have_text("共 0 件")
    expect(page.locator("#results")).not_to_contain_text(case.number)
    check_a11y(page)
    screenshot(page, "06-list-filtered")


# --- the 告知书 (letters) -------------------------------------------------------------------


def test_letter_download_is_a_docx(page: Any, orgs: Any) -> None:
    """The path of issue 10: intake → 补正 → 答复 → the 答复书 issued and downloaded."""
    from gongkai.web.letters.demo import load_settings

    load_settings(orgs)  # the 文号 prefix and the 复议机关 of the demo agencies
    login(page, "officer_a")
    case_id = intake(page)
    record(page, "告知补正", {"日期": SUPPLEMENT_ASKED, "说明": "请写明项目所在街道"}, {})
    record(page, "收到补正", {"日期": SUPPLEMENT_IN}, {})
    record(page, "答复", {"日期": ANSWERED}, {"办理结果": "予以公开"})
    letters = page.get_by_role("region", name="文书")
    expect(letters).to_contain_text("补正告知书")
    letters.get_by_role("button", name="出具答复书（予以公开）").click()
    page.wait_for_url(f"**/cases/{case_id}/")
    row = letters.get_by_role("row").filter(has_text="答复书（予以公开）")
    expect(row).to_contain_text(f"〔{ANSWERED[:4]}〕")  # its 文号 from the year's counter
    check_a11y(page)
    screenshot(page, "07-letter-issued")
    with page.expect_download() as info:
        row.get_by_role("link", name=re.compile("^下载")).click()
    download = info.value
    assert download.suggested_filename.endswith(".docx"), download.suggested_filename
    data = Path(download.path()).read_bytes()
    assert data[:2] == b"PK", "not a zip container"
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        assert "word/document.xml" in docx.namelist()
    body = "\n".join(p.text for p in docx_document(io.BytesIO(data)).paragraphs)
    letter = Case.objects.get(pk=case_id).letters.get(kind="reply_disclosed")
    assert hashlib.sha256(data).hexdigest() == letter.sha256
    assert letter.number in body and "行政复议" in body
