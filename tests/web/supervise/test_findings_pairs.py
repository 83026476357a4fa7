"""Cross-report findings side by side: copy detection (DUP-1) with the differences marked, and
a cross-year finding with the previous year's cells beside this year's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from gongkai.web import demo
from gongkai.web.supervise.ingest import Upload, create_job, run_job
from gongkai.web.supervise.models import IngestedReport, Stage
from gongkai.web.supervise.pairs import diff_html

from .conftest import SEEDS

SEED = SEEDS[0].read_text(encoding="utf-8")  # 杭州市临安区科学技术局, 2020


@pytest.fixture
def pair(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> dict[str, IngestedReport]:
    """Seed 000; the same body's 2019 report, its narrative copied (only the years differ)
    and one number carried over differently;
    and another body's 2020 report copied from it with one sentence changed."""
    prev = SEED.replace("2020", "2019").replace("2021", "2020")
    # 2019's 结转下年度继续办理 (总计) 2, where 2020 says 0 were carried over: T3-6.
    at = prev.index("四、结转下年度继续办理")
    zero = prev.index("\t0\n", at)
    prev = prev[:zero] + "\t2\n" + prev[zero + 3 :]
    other = SEED.replace("临安区科学技术局", "临安区农业农村局").replace(
        "我局主动公开信息233条", "我局通过门户网站主动公开信息233条"
    )
    files = [
        Upload("上年.txt", [prev.encode()]),
        Upload(SEEDS[0].name, [SEED.encode()]),
        Upload("农业农村局.txt", [other.encode()]),
    ]
    job = create_job(files, supervisor=orgs.district, user=user("supervisor"))
    run_job(job.pk)
    return {r.file: r for r in IngestedReport.objects.filter(job=job)}


def test_diff_marks_only_what_differs() -> None:
    left, right, share = diff_html("我局公开信息233条。", "我局通过网站公开信息233条。")
    assert "<del>" not in left
    assert right == "我局<ins>通过网站</ins>公开信息233条。"
    assert 0.5 < share <= 1


def test_copied_narrative_side_by_side(pair: dict[str, IngestedReport], client_as: Any) -> None:
    copy = pair["农业农村局.txt"]
    dups = copy.findings.filter(rule="DUP-1", stage=Stage.BATCH)
    assert dups.exists()
    related = {f.related_report_id for f in dups}
    html = client_as("supervisor").get(reverse("supervise:report", kwargs={"pk": copy.pk}))
    text = html.content.decode()
    assert 'class="pair pair-copy"' in text
    for pk in related:  # links to the other report's page
        assert f'href="/supervise/reports/{pk}/"' in text
    # This report's sentence has the words the other lacks, marked as inserted.
    assert "<ins>通过门户网站</ins>" in text
    assert '<details class="diff" open>' in text


def test_cross_year_cells_side_by_side(pair: dict[str, IngestedReport], client_as: Any) -> None:
    cur, prev = pair[SEEDS[0].name], pair["上年.txt"]
    assert (cur.year, prev.year) == (2020, 2019)
    carried = cur.findings.filter(stage=Stage.BATCH, related_report=prev).exclude(rule="DUP-1")
    assert carried.filter(rule="T3-6").exists()
    html = client_as("supervisor").get(reverse("supervise:report", kwargs={"pk": cur.pk}))
    text = html.content.decode()
    assert 'class="pair pair-carry"' in text
    assert "上一年度：" in text and f'href="/supervise/reports/{prev.pk}/#cell-t3-r4-' in text
    # On this report's page only this year's cell (上年结转) is highlighted, not 2019's.
    assert 'class="value hl hl-warning" id="cell-t3-r4-' not in text
    assert 'hl hl-warning" id="cell-t3-r2-' in text
