"""The ingest API (``/api/v1/ingest…``, ``/api/v1/ingested/{id}``): uploads queued as a job,
read by the task (a real process pool; django-tasks' immediate backend in tests), its rows,
ZIP uploads and their limits, and who may see what."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from gongkai.web import demo
from gongkai.web.orgs.models import Level, Membership, Organisation, Role
from gongkai.web.supervise.models import IngestedReport, IngestJob

from ...conftest import SHARED_REAL

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
SEEDS = sorted(CORPUS.glob("0*.txt"))
BROKEN = ("坏文件.docx", b"PK\x03\x04 not a zip at all")


@pytest.fixture
def seeds_job(post: Callable[..., Any]) -> int:
    r = post([*((p.name, p.read_bytes()) for p in SEEDS), BROKEN])
    assert r.status_code == 202, r.content
    return int(r.json()["id"])


def _items(client: Client, job: int) -> list[dict[str, Any]]:
    r = client.get(f"/api/v1/ingest/{job}/reports")
    assert r.status_code == 200
    return list(r.json()["items"])


def test_seeds_and_a_broken_file_through_the_api(
    seeds_job: int, client_as: Callable[[str | None], Client]
) -> None:
    c = client_as("supervisor")
    state = c.get(f"/api/v1/ingest/{seeds_job}").json()
    assert (state["state"], state["done"], state["total"]) == ("done", 6, 6)
    items = _items(c, seeds_job)
    assert [i["file"] for i in items] == [*(p.name for p in SEEDS), "坏文件.docx"]
    assert [i["status"] for i in items] == ["ok"] * 5 + ["error"]
    assert "坏文件.docx" in items[-1]["error"]
    assert all(i["agency"] and i["year"] for i in items[:5])
    by = {i["file"][:3]: i for i in items}
    rules = {
        k: {f["rule"] for f in c.get(f"/api/v1/ingested/{by[k]['id']}").json()["findings"]}
        for k in ("000", "004")
    }
    assert "X-9" in rules["000"] and "X-4" in rules["004"]
    first = c.get(f"/api/v1/ingested/{items[0]['id']}").json()
    # The `gongkai parse --format json` schema, plus the row and its findings.
    assert {"agency", "year", "format", "tables", "sections"} <= set(first)
    assert first["n_error"] == sum(f["severity"] == "error" for f in first["findings"])
    f = first["findings"][0] if first["findings"] else None
    if f is not None:
        assert {"rule", "severity", "message", "table", "place", "cells", "stage"} <= set(f)
    broken = c.get(f"/api/v1/ingested/{items[-1]['id']}").json()
    assert broken["status"] == "error" and "坏文件" in broken["error"]
    assert "tables" not in broken


def test_no_file_is_a_400_in_chinese(client_as: Callable[[str | None], Client]) -> None:
    r = client_as("supervisor").post("/api/v1/ingest", {})
    assert r.status_code == 400 and "请选择" in r.json()["detail"]


def test_officers_are_refused(
    seeds_job: int, post: Callable[..., Any], client_as: Callable[[str | None], Client]
) -> None:
    assert post([BROKEN], who="officer_a").status_code == 403
    report = IngestedReport.objects.filter(job_id=seeds_job).first()
    assert report is not None
    for who in ("officer_a", "officer_b", "admin"):
        c = client_as(who)
        assert c.get(f"/api/v1/ingest/{seeds_job}").status_code == 404
        assert c.get(f"/api/v1/ingest/{seeds_job}/reports").status_code == 404
        assert c.get(f"/api/v1/ingested/{report.pk}").status_code == 404


def test_another_districts_supervisor_sees_none_of_it(
    seeds_job: int, post: Callable[..., Any], orgs: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    from django.contrib.auth import get_user_model

    other = Organisation.objects.create(
        name="另一区", level=Level.COUNTY, parent=orgs.district.parent
    )
    someone = get_user_model().objects.create_user("supervisor_2", password="x-long-pass-1")
    Membership.objects.create(user=someone, organisation=other, role=Role.SUPERVISOR)
    c = Client()
    c.force_login(someone)
    report = IngestedReport.objects.filter(job_id=seeds_job).first()
    assert report is not None
    assert c.get(f"/api/v1/ingest/{seeds_job}").status_code == 404
    assert c.get(f"/api/v1/ingest/{seeds_job}/reports").status_code == 404
    assert c.get(f"/api/v1/ingested/{report.pk}").status_code == 404
    # Their own upload is theirs, filed under their office.
    r = post([(SEEDS[0].name, SEEDS[0].read_bytes())], who="supervisor")
    assert IngestJob.objects.get(pk=r.json()["id"]).supervisor == orgs.district
    # The first supervisor names an office it is not a member of: refused.
    r = post([BROKEN], supervisor=str(other.pk))
    assert r.status_code == 403


def _zip(members: dict[str, bytes], **kw: Any) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, **kw) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_a_zip_becomes_its_report_files(
    post: Callable[..., Any], client_as: Callable[[str | None], Client]
) -> None:
    data = _zip(
        {
            "年报/": b"",
            "年报/" + SEEDS[0].name: SEEDS[0].read_bytes(),
            "年报/子目录/" + SEEDS[1].name: SEEDS[1].read_bytes(),
            "__MACOSX/._x.txt": b"junk",
            "年报/.hidden.txt": b"junk",
            "说明.xlsx": b"not a report",
        }
    )
    r = post([("全区年报.zip", data), (SEEDS[2].name, SEEDS[2].read_bytes())])
    assert r.status_code == 202
    items = _items(client_as("supervisor"), r.json()["id"])
    assert [i["file"] for i in items] == [SEEDS[0].name, SEEDS[1].name, SEEDS[2].name]
    assert [i["status"] for i in items] == ["ok"] * 3


def test_a_zip_bomb_is_refused(post: Callable[..., Any], settings: Any) -> None:
    bomb = _zip({"炸弹.txt": b"0" * (20 * 1024 * 1024)})  # 20 MB of zeros, ~20 KB packed
    r = post([("年报.zip", bomb)])
    assert r.status_code == 400
    assert "年报.zip" in r.json()["detail"] and "压缩炸弹" in r.json()["detail"]
    settings.GONGKAI_INGEST_ZIP_MEMBERS = 2
    many = _zip({f"{i}.txt": b"x" for i in range(3)})
    r = post([("多.zip", many)])
    assert r.status_code == 400 and "文件过多" in r.json()["detail"]
    settings.GONGKAI_INGEST_ZIP_MEMBERS = 100
    settings.GONGKAI_INGEST_ZIP_TOTAL = 10
    r = post([("大.zip", _zip({"a.txt": b"x" * 8, "b.txt": b"y" * 8}))])
    assert r.status_code == 400 and "总大小" in r.json()["detail"]
    assert not IngestJob.objects.exists()  # nothing stored for a refused upload


def test_a_bad_zip_is_an_error_row(
    post: Callable[..., Any], client_as: Callable[[str | None], Client]
) -> None:
    r = post([("坏压缩包.zip", b"PK\x03\x04 truncated")])
    assert r.status_code == 202
    [item] = _items(client_as("supervisor"), r.json()["id"])
    assert item["status"] == "error" and "坏压缩包.zip" in item["error"]


def _real() -> Iterator[Path]:
    if SHARED_REAL.is_dir():
        yield from sorted(p for p in SHARED_REAL.iterdir() if p.suffix in (".txt", ".pdf"))


@pytest.mark.skipif(
    not SHARED_REAL.is_dir(), reason=f"the shared corpus of real reports is not at {SHARED_REAL}"
)
def test_the_real_reports_through_the_api(
    post: Callable[..., Any], client_as: Callable[[str | None], Client]
) -> None:
    files = list(_real())
    r = post([(p.name, p.read_bytes()) for p in files])
    assert r.status_code == 202
    c = client_as("supervisor")
    assert c.get(f"/api/v1/ingest/{r.json()['id']}").json()["state"] == "done"
    items = _items(c, r.json()["id"])
    assert [i["file"] for i in items] == [p.name for p in files]
    for i in items:
        assert i["status"] == "ok", i
        assert i["agency"] and i["year"], i
        detail = c.get(f"/api/v1/ingested/{i['id']}").json()
        assert detail["tables"] and detail["agency"] == i["agency"]
