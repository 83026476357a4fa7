"""The catalogue's pages, import, public pages and API."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import xlsxwriter  # type: ignore[import-untyped]
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.register.catalogue_sheet import COLUMNS, read_sheet
from gongkai.web import demo
from gongkai.web.catalogue.models import CatalogueItem, DecisionCount, ItemEvent

from . import catalogue_factories as f

D = dt.date
Clients = Callable[[str | None], Client]


def test_list_search_and_filters(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    one = f.item(orgs.agency_a, title="老旧小区改造管理办法", doc_no="示政办发〔2025〕7号")
    two = f.published(orgs.agency_a, title="招生入学实施意见", written=D(2024, 5, 1))
    f.configure(orgs.agency_b)
    theirs = f.item(orgs.agency_b, title="教育局的文件")
    c = client_as("officer_a")
    url = reverse("catalogue:list")
    page = c.get(url).content.decode()
    assert one.title in page and two.title in page and theirs.title not in page
    for q, shown, hidden in (
        ("老旧小区", one, two),
        ("〔2025〕7号", one, two),
        (two.index_no, two, one),
    ):
        body = c.get(url, {"q": q}).content.decode()
        assert shown.title in body and hidden.title not in body, q
    assert two.title not in c.get(url, {"year": "2025"}).content.decode()
    assert one.title not in c.get(url, {"state": "published"}).content.decode()
    assert one.title not in c.get(url, {"validity": "repealed"}).content.decode()
    assert (
        theirs.title
        not in client_as("supervisor").get(url, {"org": orgs.agency_a.pk}).content.decode()
    )


def test_new_item_page(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    f.configure(orgs.agency_a)
    c = client_as("officer_a")
    bad = c.post(
        reverse("catalogue:new"),
        {**f.FORM, "validity": "repealed", "organisation": orgs.agency_a.pk},
    )
    assert bad.status_code == 200 and "须填写废止日期" in bad.content.decode()
    assert not CatalogueItem.objects.exists()
    r = c.post(reverse("catalogue:new"), {**f.FORM, "organisation": orgs.agency_a.pk})
    item = CatalogueItem.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("catalogue:detail", args=[item.pk])
    assert item.publisher == orgs.agency_a.name and item.created_by is not None
    assert client_as("supervisor").get(reverse("catalogue:new")).status_code == 403


def test_edit_cannot_change_the_index_number(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    item = f.item(orgs.agency_a)
    c = client_as("officer_a")
    url = reverse("catalogue:edit", args=[item.pk])
    r = c.post(url, {**f.FORM, "version": "1", "index_no": "X/2025-99999"})
    assert "索引号一经生成不得更改" in r.content.decode()
    item.refresh_from_db()
    assert item.version == 1 and item.title != f.FORM["title"]
    r = c.post(url, {**f.FORM, "version": "1", "index_no": item.index_no})
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.title == f.FORM["title"] and item.index_no.endswith("/2025-00001")


def test_edit_stale_version_is_409(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    item = f.item(orgs.agency_a)
    c = client_as("officer_a")
    url = reverse("catalogue:edit", args=[item.pk])
    assert c.post(url, {**f.FORM, "version": "1"}).status_code == 302
    r = c.post(url, {**f.FORM, "title": "另一个", "version": "1"})
    assert r.status_code == 409 and "已被他人修改" in r.content.decode()
    item.refresh_from_db()
    assert item.title == f.FORM["title"]


def test_review_page_in_order(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    item = f.item(orgs.agency_a)
    c = client_as("reviewer_a")
    url = reverse("catalogue:review", args=[item.pk])
    r = c.post(url, {"step": "publish", "version": "1"}, follow=True)
    assert "未完成内容审核和保密审查，不能发布" in r.content.decode()
    c.post(url, {"step": "content", "version": "1"})
    c.post(url, {"step": "secrecy", "version": "2"})
    detail = c.get(reverse("catalogue:detail", args=[item.pk])).content.decode()
    assert "记录发布" in detail and "reviewer_a" in detail
    c.post(url, {"step": "publish", "version": "3"})
    item.refresh_from_db()
    assert item.state == "published" and item.published_by.username == "reviewer_a"  # type: ignore[union-attr]
    assert client_as("supervisor").post(url, {"step": "content", "version": "4"}).status_code == 403
    assert client_as("officer_b").post(url, {"step": "content", "version": "4"}).status_code == 404
    item.refresh_from_db()
    assert item.version == 4


def test_other_org_refused(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    item = f.published(orgs.agency_a)
    b = client_as("officer_b")
    for name in ("catalogue:detail", "catalogue:edit"):
        assert b.get(reverse(name, args=[item.pk])).status_code == 404
    assert b.get(reverse("catalogue:table_two", args=[orgs.agency_a.pk, 2025])).status_code == 404
    assert b.get(reverse("api:catalogue_item", args=[item.pk])).status_code == 404
    assert b.get(reverse("catalogue:settings", args=[orgs.agency_a.pk])).status_code == 404
    assert (
        b.post(reverse("catalogue:edit", args=[item.pk]), {**f.FORM, "version": "4"}).status_code
        == 404
    )
    item.refresh_from_db()
    assert item.version == 4


def test_settings_page(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    url = reverse("catalogue:settings", args=[orgs.agency_a.pk])
    assert client_as("officer_a").get(url).status_code == 403  # 审核人 or 机关管理员 only
    c = client_as("reviewer_a")
    bad = c.post(url, {"code": f.CODES[0], "rule": "{code}-{serial}", "version": "0"})
    assert "须包含 {year} 和 {serial}" in bad.content.decode()
    ok = c.post(url, {"code": f.CODES[0], "rule": "{code}/{year}-{serial:05d}", "version": "0"})
    assert ok.status_code == 302
    assert f.item(orgs.agency_a).index_no == f"{f.CODES[0]}/2025-00001"


# --- import ---------------------------------------------------------------------------------

GOOD = {
    "title": "示范区某办法",
    "written": "2025-03-01",
    "topic": "综合政务",
    "genre": "办法",
    "kind": "行政规范性文件",
    "article20": "（一）",
    "disclosure": "主动公开",
    "validity": "现行有效",
    "doc_no": "示政办发〔2025〕3号",
}


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([c.header for c in COLUMNS])
    for r in rows:
        w.writerow([r.get(c.key, "") for c in COLUMNS])
    return out.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[dict[str, Any]], sheet: str = "政府信息公开目录") -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet(sheet)
    for j, c in enumerate(COLUMNS):
        ws.write(0, j, c.header)
    for i, r in enumerate(rows, start=1):
        for j, c in enumerate(COLUMNS):
            if c.key in r:
                ws.write(i, j, r[c.key])
    book.close()
    return buffer.getvalue()


def _upload(c: Client, org: Any, name: str, data: bytes) -> Any:
    return c.post(
        reverse("catalogue:import"),
        {"organisation": org.pk, "file": SimpleUploadedFile(name, data)},
    )


def test_import_preview_writes_nothing_and_locates_bad_rows(
    orgs: demo.DemoOrgs, client_as: Clients
) -> None:
    f.configure(orgs.agency_a)
    data = _csv(
        [
            GOOD,
            {**GOOD, "written": "2025-02-30"},
            {**GOOD, "title": "二"},
            {**GOOD, "kind": "规章类"},
        ]
    )
    c = client_as("officer_a")
    r = _upload(c, orgs.agency_a, "目录.csv", data)
    body = r.content.decode()
    assert r.status_code == 200 and "导入预览" in body
    assert "<td>目录.csv</td><td>3</td><td>成文日期</td>" in body
    assert "<td>目录.csv</td><td>5</td><td>文件类别</td>" in body and "未知的文件类别" in body
    assert "<td>行政规范性文件</td>" in body  # the rows to import, in Chinese
    assert not CatalogueItem.objects.exists() and not ItemEvent.objects.exists()
    sha = hashlib.sha256(data).hexdigest()
    kept = Path(settings.MEDIA_ROOT) / "catalogue-imports" / f"{sha}.csv"
    assert kept.read_bytes() == data  # kept by sha256 between the two requests
    # Errors present: confirming without "skip" writes nothing.
    r = c.post(reverse("catalogue:import_confirm"), {"sha": sha}, follow=True)
    assert "未导入任何条目" in r.content.decode() and not CatalogueItem.objects.exists()
    # Another user cannot confirm this upload.
    client_as("reviewer_a").post(reverse("catalogue:import_confirm"), {"sha": sha, "skip_bad": "1"})
    assert not CatalogueItem.objects.exists()
    r = c.post(reverse("catalogue:import_confirm"), {"sha": sha, "skip_bad": "1"}, follow=True)
    assert "已导入2个条目" in r.content.decode()
    items = CatalogueItem.objects.order_by("index_no")
    assert [i.title for i in items] == ["示范区某办法", "二"] and {i.state for i in items} == {
        "draft"
    }
    assert [i.index_no[-5:] for i in items] == ["00001", "00002"]
    assert set(ItemEvent.objects.values_list("kind", flat=True)) == {"imported"}
    assert not kept.exists()


def test_import_xlsx_confirm_checks_again_what_changed_since_the_preview(
    orgs: demo.DemoOrgs, client_as: Clients
) -> None:
    f.configure(orgs.agency_a)
    data = _xlsx(
        [
            {**GOOD, "title": "甲", "written": D(2025, 1, 2)},
            {**GOOD, "title": "乙", "index_no": "OLD/2019-00007"},
        ]
    )
    c = client_as("officer_a")
    r = _upload(c, orgs.agency_a, "目录.xlsx", data)
    assert "可导入 2 行" in r.content.decode()
    # Between preview and confirm someone else takes the old number.
    taken = f.item(orgs.agency_a, title="别人先登记的")
    CatalogueItem.objects.filter(pk=taken.pk).update(index_no="OLD/2019-00007")
    sha = hashlib.sha256(data).hexdigest()
    r = c.post(reverse("catalogue:import_confirm"), {"sha": sha, "skip_bad": "1"}, follow=True)
    # The preview runs again at confirmation: the taken number is now a bad row, skipped.
    assert "已导入1个条目" in r.content.decode()
    assert set(CatalogueItem.objects.values_list("title", flat=True)) == {"别人先登记的", "甲"}


def test_import_bad_xlsx_located_by_sheet(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    f.configure(orgs.agency_a)
    data = _xlsx([{**GOOD, "summary": "长" * 120}], sheet="我的目录")
    r = _upload(client_as("officer_a"), orgs.agency_a, "a.xlsx", data)
    body = r.content.decode()
    assert "<td>我的目录</td><td>2</td><td>内容概述</td>" in body and "不超过100字" in body
    bad = _upload(client_as("officer_a"), orgs.agency_a, "a.xls", b"x")
    assert "请上传 .xlsx 或 .csv" in bad.content.decode()


def test_template_download(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    r = client_as("officer_a").get(reverse("catalogue:template"))
    assert r.status_code == 200 and "spreadsheetml" in r["Content-Type"]
    result = read_sheet(r.content, "template.xlsx")
    assert result.rows == [] and result.issues == []
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.load_workbook(io.BytesIO(r.content))
    header = [c.value for c in book["政府信息公开目录"][1]]
    assert header[:2] == ["索引号", "名称*"] and len(header) == len(COLUMNS)


# --- table 二 --------------------------------------------------------------------------------


def test_table_two_page(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    f.published(orgs.agency_a, written=D(2025, 2, 1))
    f.published(orgs.agency_a, written=D(2024, 2, 1), validity="repealed", ended=D(2025, 3, 1))
    url = reverse("catalogue:table_two", args=[orgs.agency_a.pk, 2025])
    c = client_as("officer_a")
    page = c.get(url).content.decode()
    assert "本年制发件数" in page and "行政许可 · 本年处理决定数量" in page
    bad = c.post(url, {"version": "0", "licensing__decisions": "-2", "fees__fee_amount": "1.5"})
    assert bad.status_code == 200 and not DecisionCount.objects.exists()
    assert "行政许可" in bad.content.decode()
    money = c.post(url, {"version": "0", "fees__fee_amount": "0.123456"})
    assert money.status_code == 200 and not DecisionCount.objects.exists()
    ok = c.post(
        url,
        {
            "version": "0",
            "licensing__decisions": "12",
            "penalty__decisions": "3",
            "coercion__decisions": "0",
            "fees__fee_amount": "2.5",
            "note": "执法台账",
        },
    )
    assert ok.status_code == 302
    row = DecisionCount.objects.get()
    assert row.values["fees"] == {"fee_amount": "2.5"} and row.version == 1
    stale = c.post(url, {"version": "0", "licensing__decisions": "1"})
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    sup = client_as("supervisor")
    assert sup.get(url).status_code == 200
    assert sup.post(url, {"version": "1", "licensing__decisions": "1"}).status_code == 403
    old = c.get(reverse("catalogue:table_two", args=[orgs.agency_a.pk, 2020])).content.decode()
    assert "本年新制作数量" in old and "政府集中采购 · 采购总金额" in old
    assert c.get(reverse("catalogue:table_two", args=[orgs.agency_a.pk, 2017])).status_code == 404


# --- public pages and API --------------------------------------------------------------------


def _mixed(orgs: demo.DemoOrgs, user: Any) -> dict[str, CatalogueItem]:
    return {
        "public": f.published(orgs.agency_a, user, title="公开的办法"),
        "draft": f.item(orgs.agency_a, user, title="草稿的办法"),
        "review": f.item(orgs.agency_a, user, steps=2, title="审查中的办法"),
        "request": f.item(
            orgs.agency_a,
            user,
            steps=2,
            title="依申请公开的纪要",
            kind="other",
            article20="i15",
            validity=None,
            disclosure="on_request",
        ),
        "withheld": f.item(
            orgs.agency_a,
            user,
            steps=2,
            title="不予公开的材料",
            kind="other",
            article20="i15",
            validity=None,
            disclosure="withheld",
        ),
    }


def test_public_pages_hide_unpublished(
    orgs: demo.DemoOrgs, client_as: Clients, user: Callable[[str], Any]
) -> None:
    items = _mixed(orgs, user("reviewer_a"))
    anon = client_as(None)
    org = orgs.agency_a.pk
    body = anon.get(reverse("public_catalogue:list", args=[org])).content.decode()
    assert "公开的办法" in body
    for key in ("draft", "review", "request", "withheld"):
        assert items[key].title not in body and items[key].index_no not in body
        r = anon.get(reverse("public_catalogue:detail", args=[org, items[key].pk]))
        assert r.status_code == 404
    detail = anon.get(reverse("public_catalogue:detail", args=[org, items["public"].pk]))
    assert detail.status_code == 200 and "reviewer_a" not in detail.content.decode()
    # Another body's id in the URL does not show agency A's item.
    other = reverse("public_catalogue:detail", args=[orgs.agency_b.pk, items["public"].pk])
    assert anon.get(other).status_code == 404
    csv_body = anon.get(reverse("public_catalogue:download", args=[org])).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(csv_body)))
    assert rows[0][0] == "索引号" and [r[1] for r in rows[1:]] == ["公开的办法"]
    assert (
        anon.get(reverse("public_catalogue:list", args=[org]), {"q": "草稿"})
        .content.decode()
        .count("草稿的办法")
        == 0
    )
    search = anon.get(reverse("public_catalogue:list", args=[org]), {"q": items["public"].index_no})
    assert "公开的办法" in search.content.decode()
    assert anon.get(reverse("public_catalogue:list", args=[99999])).status_code == 404


def test_api(orgs: demo.DemoOrgs, client_as: Clients, user: Callable[[str], Any]) -> None:
    items = _mixed(orgs, user("reviewer_a"))
    c = client_as("officer_a")
    r = c.get("/api/v1/catalogue", {"page": 1})
    data = r.json()
    assert r.status_code == 200 and data["count"] == 5 and len(data["items"]) == 5
    assert {i["state"] for i in data["items"]} == {"published", "draft", "secrecy_ok"}
    assert c.get("/api/v1/catalogue", {"state": "draft"}).json()["count"] == 1
    assert c.get("/api/v1/catalogue", {"q": "依申请"}).json()["count"] == 1
    one = c.get(f"/api/v1/catalogue/{items['public'].pk}").json()
    assert one["index_no"] == items["public"].index_no and one["version"] == 4
    assert [s["by"] for s in one["reviews"]] == ["reviewer_a"] * 3
    assert [e["kind"] for e in one["events"]] == ["created", "content", "secrecy", "publish"]
    assert client_as("officer_b").get("/api/v1/catalogue").json()["count"] == 0
    missing = client_as("officer_b").get(f"/api/v1/catalogue/{items['public'].pk}")
    assert missing.status_code == 404 and "目录条目" in missing.json()["detail"]
    assert client_as(None).get("/api/v1/catalogue").status_code == 401
    assert c.get("/api/v1/catalogue", {"page": 0}).status_code == 422


def test_confirm_failing_midway_writes_nothing(
    orgs: demo.DemoOrgs, client_as: Clients, monkeypatch: Any
) -> None:
    from gongkai.register.catalogue import CatalogueError
    from gongkai.web.catalogue import service

    f.configure(orgs.agency_a)
    data = _csv([{**GOOD, "title": t} for t in ("一", "二", "三")])
    c = client_as("officer_a")
    _upload(c, orgs.agency_a, "a.csv", data)
    real = service._new_item
    calls = []

    def failing(*args: Any) -> Any:
        calls.append(1)
        if len(calls) == 3:
            raise CatalogueError("磁盘已满")  # any failure on the third row
        return real(*args)

    monkeypatch.setattr(service, "_new_item", failing)
    sha = hashlib.sha256(data).hexdigest()
    r = c.post(reverse("catalogue:import_confirm"), {"sha": sha}, follow=True)
    assert "未导入任何条目" in r.content.decode() and "第4行" in r.content.decode()
    assert len(calls) == 3
    assert not CatalogueItem.objects.exists() and not ItemEvent.objects.exists()


def test_unconfirmed_uploads_are_swept(orgs: demo.DemoOrgs, client_as: Clients) -> None:
    import os

    from gongkai.web.catalogue import imports

    stale = imports.folder() / f"{'a' * 64}.csv"
    stale.write_bytes(b"old")
    old = dt.datetime.now().timestamp() - imports.KEEP_SECONDS - 60
    os.utime(stale, (old, old))
    fresh = imports.folder() / f"{'b' * 64}.csv"
    fresh.write_bytes(b"new")
    f.configure(orgs.agency_a)
    _upload(client_as("officer_a"), orgs.agency_a, "a.csv", _csv([GOOD]))
    assert not stale.exists() and fresh.exists()


def test_not_proactive_item_offers_no_publication(
    orgs: demo.DemoOrgs, client_as: Clients, user: Callable[[str], Any]
) -> None:
    items = _mixed(orgs, user("reviewer_a"))
    page = client_as("reviewer_a").get(reverse("catalogue:detail", args=[items["request"].pk]))
    body = page.content.decode()
    assert "审核后不在目录中对外发布" in body and "记录发布" not in body
    review = client_as("reviewer_a").get(reverse("catalogue:detail", args=[items["review"].pk]))
    assert "记录发布" in review.content.decode()
