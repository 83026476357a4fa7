"""The dashboard's and the API's numbers are ``gongkai stats``'s: the five seeds (and a broken
file) ingested through the web, and run through ``gongkai batch`` + ``rollup``, give the same
roll-up, by year and by format; the downloaded SQLite rolls up to the API's numbers."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from gongkai.batch import ingest, rollup
from gongkai.web import demo
from gongkai.web.supervise.ingest import Upload, create_job, run_job

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = sorted(CORPUS.glob("0*.txt"))
BROKEN = b"PK\x03\x04 not a zip at all"


@pytest.fixture
def ingested(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> Any:
    files = [Upload(p.name, [p.read_bytes()]) for p in SEEDS]
    files.append(Upload("坏文件.docx", [BROKEN]))
    job = create_job(files, supervisor=orgs.district, user=user("supervisor"))
    return run_job(job.pk)


@pytest.fixture(scope="module")
def batch_dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("parity")
    (folder / "坏文件.docx").write_bytes(BROKEN)
    out = folder / "seeds.sqlite"
    ingest([*SEEDS, folder / "坏文件.docx"], out)
    return out


def _api(client: Any, **params: str) -> dict[str, Any]:
    r = client.get("/api/v1/stats", params)
    assert r.status_code == 200, r.content
    return r.json()


@pytest.mark.parametrize("by", ["year", "format"])
def test_api_equals_gongkai_stats(
    ingested: Any, batch_dataset: Path, client_as: Callable[..., Any], by: str
) -> None:
    web = _api(client_as("supervisor"), by=by)
    cli = json.loads(json.dumps(rollup(batch_dataset, by=by).to_dict(), ensure_ascii=False))
    assert [g["group"] for g in web["groups"]] == [g["group"] for g in cli["groups"]]
    for w, c in zip(web["groups"], cli["groups"], strict=True):
        for key in ("reports", "parsed", "unreadable", "with_error_findings"):
            assert w[key] == c[key], (by, w["group"], key)
        assert w["totals"] == c["totals"], (by, w["group"])
        assert w["findings"] == c["findings"], (by, w["group"])
        assert w["outcome_shares"] == c["outcome_shares"]
    assert web == cli  # the whole shape, layout included
    whole = web["groups"][-1]
    assert whole["group"] == "全部" and (whole["reports"], whole["unreadable"]) == (6, 1)
    assert {f["rule"] for f in whole["findings"]} >= {"X-9", "X-4"}
    assert whole["totals"]["t3"]["r1"]["total"] > 0


def test_filters_year_and_unknown_grouping(ingested: Any, client_as: Callable[..., Any]) -> None:
    c = client_as("supervisor")
    years = [g["group"] for g in _api(c, by="year")["groups"] if g["group"][0].isdigit()]
    one = _api(c, by="year", year=years[0][:4])
    assert [g["group"] for g in one["groups"]] == [years[0], "全部"]
    assert c.get("/api/v1/stats", {"by": "colour"}).status_code == 422


def test_scoped_to_the_supervisors_office(
    ingested: Any, orgs: demo.DemoOrgs, client_as: Callable[..., Any], django_user_model: Any
) -> None:
    from gongkai.web.orgs.models import Level, Membership, Organisation, Role

    other = Organisation.objects.create(name="另一区", level=Level.COUNTY)
    u = django_user_model.objects.create_user("supervisor2", password="x")
    Membership.objects.create(user=u, organisation=other, role=Role.SUPERVISOR)
    from django.test import Client

    c2 = Client()
    c2.force_login(u)
    data = c2.get("/api/v1/stats").json()
    assert [(g["group"], g["reports"]) for g in data["groups"]] == []
    page = c2.get("/supervise/")
    assert page.status_code == 200 and "X-9" not in page.content.decode()
    assert client_as("officer_a").get("/api/v1/stats").status_code == 403
    assert client_as("admin").get("/api/v1/stats").status_code == 403


def test_dashboard_shows_the_numbers_in_bounded_queries(
    ingested: Any, client_as: Callable[..., Any], django_assert_max_num_queries: Any
) -> None:
    c = client_as("supervisor")
    c.get("/supervise/")  # the session and the calendar once
    # 5 roll-ups x 4-5 queries, the timeliness, the filters' lists, the session and the user.
    with django_assert_max_num_queries(40):
        r = c.get("/supervise/")
    assert r.status_code == 200
    html = r.content.decode()
    web = _api(c, by="year")
    whole = web["groups"][-1]
    assert f'id="n-reports">{whole["reports"]}<' in html
    assert f'id="n-unreadable">{whole["unreadable"]}<' in html
    assert f">{whole['totals']['t3']['r1']['total']}<" in html  # the trend table
    assert "supervise-dashboard.js" in html and "echarts.min.js" in html
    assert "<script>" not in html  # CSP: no inline script
    data = c.get("/supervise/dashboard/data.json").json()
    assert data["headline"]["reports"] == whole["reports"]
    assert [o["count"] for o in data["outcomes"]] == [o["count"] for o in whole["outcome_shares"]]


def test_xlsx_and_sqlite_downloads(
    ingested: Any, client_as: Callable[..., Any], tmp_path: Path
) -> None:
    c = client_as("supervisor")
    r = c.get("/supervise/dashboard/rollup.xlsx", {"by": "year"})
    assert r.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    assert book.sheetnames[:3] == ["概览", "表三", "表四"]
    assert "办理结果占比" in book.sheetnames
    overview = list(book["概览"].iter_rows(values_only=True))
    assert overview[-1][:4] == ("全部", 6, 5, 1)
    r = c.get("/supervise/dashboard/dataset.sqlite")
    assert r.status_code == 200
    path = tmp_path / "download.sqlite"
    path.write_bytes(r.content)
    for by in ("year", "format"):
        downloaded = json.loads(json.dumps(rollup(path, by=by).to_dict(), ensure_ascii=False))
        assert downloaded == _api(c, by=by)
    r = c.get("/supervise/dashboard/dataset.parquet")
    assert r.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert "reports.parquet/cells.parquet" in names
    t = c.get("/supervise/dashboard/timeliness.xlsx")
    assert t.status_code == 200 and t.content.startswith(b"PK")


def test_round_filter(
    ingested: Any, orgs: demo.DemoOrgs, user: Callable[[str], Any], client_as: Callable[..., Any]
) -> None:
    import datetime as dt

    from gongkai.web.supervise.models import IngestedReport, Round

    rnd = Round.objects.create(
        supervisor=orgs.district,
        year=2023,
        submit_by=dt.date(2024, 1, 31),
        created_by=user("supervisor"),
    )
    first = IngestedReport.objects.filter(job=ingested, status="ok").order_by("pk").first()
    assert first is not None
    IngestedReport.objects.filter(pk=first.pk).update(round=rnd)
    c = client_as("supervisor")
    whole = _api(c, round=str(rnd.pk))["groups"][-1]
    assert (whole["group"], whole["reports"], whole["parsed"]) == ("全部", 1, 1)
    # Someone else's round (or a made-up id) is ignored, not an error: everything is shown.
    assert _api(c, round="999999")["groups"][-1]["reports"] == 6
