"""The supervisor's report page in the browser: seed 000 uploaded and read, its X-9 sentence
and its findings' cells marked; the list; a return with a selected finding. Screenshots
(names 5x-…) go to ``$GONGKAI_SCREENSHOTS`` or tests/web/browser/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gongkai.web.supervise.ingest import Upload, create_job, run_job
from gongkai.web.supervise.models import IngestedReport

from .conftest import MISSING, check_a11y, login, screenshot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect if not MISSING else None

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.fixture
def seeds(orgs: Any, user: Any) -> dict[str, IngestedReport]:
    paths = [next(CORPUS.glob(f"{n}_*.txt")) for n in ("000", "004")]
    files = [Upload(p.name, [p.read_bytes()]) for p in paths]
    files.append(Upload("坏文件.docx", [b"PK\x03\x04 not a zip at all"]))
    job = create_job(files, supervisor=orgs.district, user=user("supervisor"))
    run_job(job.pk)
    return {r.file[:3]: r for r in IngestedReport.objects.filter(job=job)}


def test_report_page_marks_the_findings(page: Any, seeds: dict[str, IngestedReport]) -> None:
    login(page, "supervisor")
    page.goto("/supervise/reports/")
    expect(page.get_by_role("link", name=seeds["000"].file)).to_have_count(1)
    expect(page.locator(".file-error")).to_contain_text("坏文件.docx")
    check_a11y(page)
    screenshot(page, "50-supervise-reports")

    page.get_by_role("link", name=seeds["000"].file).click()
    page.wait_for_load_state()
    x9 = page.locator("li.finding", has_text="[X-9]")
    expect(x9).to_have_count(1)
    # The sentence X-9 quotes is marked, and its [n] reference leads to the finding.
    mark = page.locator("mark.hl-warning", has_text="我局主动公开信息233条")
    expect(mark).to_have_count(1)
    expect(mark).to_be_visible()
    check_a11y(page)
    screenshot(page, "51-supervise-report-000")

    # Return it with X-9 selected.
    x9.get_by_role("checkbox").check()
    page.get_by_label("退回意见（可补充说明；勾选的检查结果会写在前面）").fill("请核对分项数字")
    page.get_by_role("button", name="退回", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".return-note")).to_contain_text("[X-9]")
    expect(page.locator(".return-note")).to_contain_text("请核对分项数字")

    page.goto(f"/supervise/reports/{seeds['004'].pk}/")
    cell = page.locator("td#cell-t4-cases-review_corrected")
    expect(cell).to_have_class("value hl hl-warning")
    screenshot(page, "52-supervise-report-004")
