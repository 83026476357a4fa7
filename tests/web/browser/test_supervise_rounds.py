"""The supervisor's collection round in the browser: the demo round, an upload of the five
seeds and a broken file through the round page's form, the progress reaching 已完成, six rows
with the broken file's Chinese error, and a seed assigned by hand. Screenshots 50-…"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gongkai.web.supervise.demo import load_rounds
from gongkai.web.supervise.models import IngestedReport, Match

from .conftest import MISSING, check_a11y, login, screenshot

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect if not MISSING else None

SEEDS = sorted((Path(__file__).resolve().parents[2] / "corpus").glob("0*.txt"))


def test_upload_on_the_round_page(page: Any, orgs: Any) -> None:
    made = load_rounds(orgs)
    assert made is not None
    login(page, "supervisor")
    page.goto("/supervise/rounds/")
    page.get_by_role("link", name=str(made)).click()
    expect(page.locator("h1")).to_have_text(str(made))
    expect(page.locator("tr.member")).to_have_count(3)
    check_a11y(page)
    files: list[Any] = [
        {"name": p.name, "mimeType": "text/plain", "buffer": p.read_bytes()} for p in SEEDS
    ]
    files.append(
        {"name": "坏文件.docx", "mimeType": "application/octet-stream", "buffer": b"PK\x03\x04 x"}
    )
    page.get_by_label("报告文件").set_input_files(files)
    page.get_by_role("button", name="上传并读取").click()
    page.wait_for_load_state()
    progress = page.locator("#progress .progress").first
    expect(progress.locator(".state")).to_have_text("已完成", timeout=60_000)
    expect(progress.locator(".done")).to_have_text("6/6")
    rows = page.locator("#file-rows tr.file")
    expect(rows).to_have_count(6)
    broken = page.locator("#file-rows tr.file-error")
    expect(broken).to_have_count(1)
    expect(broken).to_contain_text("坏文件.docx")
    error = IngestedReport.objects.get(file="坏文件.docx").error
    assert error
    expect(broken.locator(".error")).to_have_text(error)
    expect(page.locator("#file-rows .pending")).to_have_count(5)
    check_a11y(page)
    shot = screenshot(page, "50-round-uploaded")
    print(f"screenshot: {shot}")

    # Assign seed 000 to 示范区教育局 by hand.
    page.locator("#file-rows tr.file").first.get_by_role("link", name="指定机关").click()
    page.get_by_label("报送机关").select_option(label="示范区教育局")
    check_a11y(page)
    page.get_by_role("button", name="确认").click()
    page.wait_for_load_state()
    expect(page.locator("#messages")).to_contain_text("示范区教育局")
    expect(page.locator("#file-rows .pending")).to_have_count(4)
    member = page.locator("tr.member", has_text="示范区教育局")
    expect(member.locator(".st")).to_have_text("已提交")
    seed = IngestedReport.objects.get(file=SEEDS[0].name)
    assert (seed.organisation_id, seed.match) == (orgs.agency_b.pk, Match.CONFIRMED)
    screenshot(page, "51-round-assigned")
