"""Ledger import (preview, confirm in one transaction, re-import refused) and the XLSX
exports (masked IDs, real dates, the list's filters, the ledger round trip)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from gongkai.register.cases import Application, Event, EventKind
from gongkai.register.ledger import APPLICATIONS_SHEET, REVIEWS_SHEET, read_ledger
from gongkai.web.appeals import service
from gongkai.web.appeals.models import Appeal, ImportBatch
from gongkai.web.cases import register
from gongkai.web.cases.models import Case, CaseEvent
from gongkai.web.transfer import ledger_io
from tests.factories_cases import (
    make_case,
    random_register,
    random_reviews,
    typical_register,
    write_ledger,
)

D = dt.date


def good_ledger(path: Path) -> bytes:
    write_ledger(
        path,
        [
            {
                "编号": "L-1",
                "收到申请日期": D(2024, 3, 4),
                "提交方式": "网络",
                "申请人类型": "自然人",
                "申请人": "李明",
                "申请内容": "道路维修预算",
                "办结日期": D(2024, 3, 20),
                "办理结果": "予以公开",
            },
            {
                "编号": "2024-00007",
                "收到申请日期": D(2024, 5, 6),
                "提交方式": "邮寄",
                "申请人类型": "商业企业",
                "告知补正日期": D(2024, 5, 8),
                "收到补正日期": D(2024, 5, 13),
            },
        ],
        [
            {
                "编号": "F1",
                "案件类型": "行政复议",
                "收案日期": D(2024, 4, 1),
                "关联申请编号": "L-1",
                "审结日期": D(2024, 6, 1),
                "审结结果": "结果维持",
            },
            {
                "编号": "F2",
                "案件类型": "复议后起诉",
                "收案日期": D(2024, 7, 1),
                "关联申请编号": "X-404",
            },
        ],
    )
    return path.read_bytes()


def bad_ledger(path: Path) -> bytes:
    write_ledger(
        path,
        [
            {
                "编号": "ok",
                "收到申请日期": D(2024, 3, 4),
                "提交方式": "当面",
                "申请人类型": "自然人",
            },
            {"编号": "no-date", "提交方式": "网络", "申请人类型": "自然人"},
            {
                "编号": "early",
                "收到申请日期": D(2024, 3, 4),
                "提交方式": "网络",
                "申请人类型": "自然人",
                "办结日期": D(2024, 3, 1),
                "办理结果": "予以公开",
            },
        ],
        [{"编号": "F9", "案件类型": "行政申诉", "收案日期": D(2024, 2, 1)}],
    )
    return path.read_bytes()


def upload(client: Client, org: Any, data: bytes, name: str = "台账.xlsx") -> Any:
    f = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post("/imports/", {"organisation": org.pk, "file": f})


def preview_url(r: Any) -> str:
    assert r.status_code == 302, r.content.decode()
    return str(r["Location"])


def digest(page: str) -> str:
    found = re.search(r'name="digest" value="([0-9a-f]{64})"', page)
    assert found, page
    return found[1]


def nothing_written() -> bool:
    return not (Case.objects.exists() or Appeal.objects.exists() or ImportBatch.objects.exists())


def test_preview_lists_rows_and_bad_rows_with_their_place_and_writes_nothing(
    client_as: Callable[..., Client], orgs: Any, tmp_path: Path
) -> None:
    c = client_as("officer_a")
    url = preview_url(upload(c, orgs.agency_a, bad_ledger(tmp_path / "bad.xlsx")))
    page = c.get(url).content.decode()
    # Every bad row: sheet, row, column, Chinese reason.
    assert re.search(
        r"依申请公开台账</td><td>第3行</td><td>no-date</td><td>收到申请日期</td><td>缺少收到申请日期",
        page,
    )
    assert re.search(
        r"第4行</td><td>early</td><td>办结日期</td><td>办结日期 2024年3月1日 早于收到申请日期", page
    )
    assert re.search(
        r"复议诉讼台账</td><td>第2行</td><td>F9</td><td>案件类型</td><td>未知的案件类型「行政申诉」",
        page,
    )
    assert "将登记 <strong>1</strong> 件申请、<strong>0</strong> 件复议诉讼案件" in page
    assert "有错误的行 <strong>3</strong> 行" in page
    assert nothing_written()
    # The upload is kept under the data directory, by sha256, keyed to the user and body.
    sha = url.rstrip("/").rsplit("/", 1)[1]
    officer = orgs.agency_a.memberships.get(role="officer").user
    stored = Path(settings.DATA_DIR) / "imports" / str(officer.pk) / str(orgs.agency_a.pk)
    assert (stored / f"{sha}.xlsx").is_file()
    # Confirming with errors needs the explicit exclusion; without it nothing is written.
    r = c.post(url, {"digest": digest(page)})
    assert r.status_code == 422 and "排除有错误的行" in r.content.decode()
    assert nothing_written()
    r = c.post(url, {"digest": digest(page), "exclude": "1"})
    assert r.status_code == 302
    assert list(Case.objects.values_list("description", flat=True)) == [""]
    assert ImportBatch.objects.get().excluded == 3


def test_confirm_imports_everything_in_one_go_and_refuses_the_same_file(
    client_as: Callable[..., Client], orgs: Any, tmp_path: Path
) -> None:
    c = client_as("officer_a")
    data = good_ledger(tmp_path / "good.xlsx")
    url = preview_url(upload(c, orgs.agency_a, data))
    page = c.get(url).content.decode()
    assert "X-404" in page and "不关联" in page  # the unknown link is a warning, kept
    assert nothing_written()
    r = c.post(url, {"digest": digest(page)})
    assert r.status_code == 302
    l1 = Case.objects.get(applicant_name="李明")
    assert l1.number == "2024-00008" and l1.state == "closed" and l1.outcome == "disclosed"
    assert [e.kind for e in l1.events.order_by("seq")] == ["received", "answered"]
    assert "第2行，编号 L-1" in l1.events.get(seq=1).note
    kept = Case.objects.get(number="2024-00007")  # the register's own number is kept
    assert kept.state == "processing" and kept.version == 3 and kept.due is not None
    f1, f2 = Appeal.objects.order_by("number")
    assert f1.case == l1 and f1.result == "upheld" and f1.events.get().kind == "imported"
    assert f2.case is None and f2.application_number == "X-404" and f2.result == "pending"
    batch = ImportBatch.objects.get()
    assert (batch.cases, batch.appeals, batch.excluded) == (2, 2, 0)
    # The same file again: refused, nothing more written.
    url = preview_url(upload(c, orgs.agency_a, data, "again.xlsx"))
    page = c.get(url).content.decode()
    assert "已于" in page and "不重复导入" in page and "确认导入" not in page
    assert c.post(url, {"digest": digest_or_blank(page)}).status_code == 422
    assert Case.objects.count() == 2 and Appeal.objects.count() == 2
    # The same rows in another file: each already in the register, listed, not imported.
    write_ledger(
        tmp_path / "edited.xlsx",
        [
            {
                "编号": "L-1",
                "收到申请日期": D(2024, 3, 4),
                "提交方式": "网络",
                "申请人类型": "自然人",
            },
        ],
    )
    url = preview_url(upload(c, orgs.agency_a, (tmp_path / "edited.xlsx").read_bytes()))
    page = c.get(url).content.decode()
    assert "编号 L-1 已在本机关登记簿中（登记号 2024-00008），不重复导入" in page


def digest_or_blank(page: str) -> str:
    found = re.search(r'name="digest" value="([0-9a-f]{64})"', page)
    return found[1] if found else ""


def test_a_failure_during_confirm_rolls_everything_back(
    client_as: Callable[..., Client], orgs: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    c = client_as("officer_a")
    url = preview_url(upload(c, orgs.agency_a, good_ledger(tmp_path / "good.xlsx")))
    page = c.get(url).content.decode()
    real = service.create
    calls = []

    def fails_on_the_second(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise service.AppealError("模拟的写入失败")
        return real(*args, **kwargs)

    monkeypatch.setattr(service, "create", fails_on_the_second)
    r = c.post(url, {"digest": digest(page)})
    assert r.status_code == 422
    assert "导入失败，未导入任何内容：模拟的写入失败" in r.content.decode()
    assert len(calls) == 2  # the cases and the first appeal had been created …
    assert nothing_written() and not CaseEvent.objects.exists()  # … and are gone
    monkeypatch.setattr(service, "create", real)
    assert c.post(url, {"digest": digest(page)}).status_code == 302  # the preview survived
    assert Case.objects.count() == 2


def test_confirm_refuses_a_plan_that_changed_since_the_preview(
    client_as: Callable[..., Client], orgs: Any, tmp_path: Path, user: Callable[[str], Any]
) -> None:
    c = client_as("officer_a")
    url = preview_url(upload(c, orgs.agency_a, good_ledger(tmp_path / "good.xlsx")))
    seen = digest(c.get(url).content.decode())
    service.create(orgs.agency_a, service.AppealData("F1", "review", D(2024, 1, 1)), None)
    r = c.post(url, {"digest": seen})
    assert r.status_code == 409 and "F1 已在本机关的复议诉讼案件中" in r.content.decode()
    assert not Case.objects.exists() and Appeal.objects.count() == 1


def test_import_permissions_and_limits(
    client_as: Callable[..., Client], orgs: Any, tmp_path: Path, settings: Any
) -> None:
    data = good_ledger(tmp_path / "good.xlsx")
    a = client_as("officer_a")
    url = preview_url(upload(a, orgs.agency_a, data))
    # Another body's officer cannot see A's preview, nor import into A; read-only roles never.
    b = client_as("officer_b")
    assert b.get(url).status_code == 404
    assert b.post(url, {"digest": "x", "exclude": "1"}).status_code == 404
    r = upload(b, orgs.agency_a, data)
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()
    assert client_as("supervisor").get("/imports/").status_code == 403
    assert upload(client_as("supervisor"), orgs.agency_a, data).status_code == 403
    # reviewer_a is in the same body but did not upload it: the preview is the uploader's.
    assert client_as("reviewer_a").get(url).status_code == 404
    assert nothing_written()
    # The size limit comes from the settings; not a workbook is a Chinese error.
    settings.IMPORT_MAX_BYTES = 1000
    r = upload(a, orgs.agency_a, data)
    assert r.status_code == 200 and "超过" in r.content.decode() and "上限" in r.content.decode()
    settings.IMPORT_MAX_BYTES = 10**7
    r = a.get(preview_url(upload(a, orgs.agency_a, b"not a workbook", "x.xlsx")))
    assert "不是有效的 Excel 工作簿" in r.content.decode()
    assert nothing_written()


# --- exports --------------------------------------------------------------------------------


def sheet_rows(r: Any) -> list[tuple[Any, ...]]:
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    return [tuple(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_cases_export_masks_ids_uses_dates_and_the_lists_filters(
    client_as: Callable[..., Client], case_a: Case, orgs: Any
) -> None:
    other = register.create_case(
        orgs.agency_a,
        register.Intake("邮寄", "legal_services", D(2024, 5, 6), "学区划分"),
        None,
    )
    c = client_as("officer_a")
    rows = sheet_rows(c.get("/exports/cases.xlsx"))
    header = rows[0]
    assert header[:3] == ("登记号", "办理机关", "收到申请日期") and "证件号码" in header
    by_number = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert set(by_number) == {case_a.number, other.number}
    row = by_number[case_a.number]
    assert row["证件号码"] == "3301**********1234"
    assert isinstance(row["收到申请日期"], dt.datetime)  # a real Excel date, not text
    assert row["收到申请日期"].date() == case_a.received
    assert isinstance(row["答复期限"], dt.datetime)
    assert all("330102199001011234" not in str(v) for r in rows for v in r)
    # The same filters as the list page.
    assert [r[0] for r in sheet_rows(c.get("/exports/cases.xlsx?year=2024"))[1:]] == [other.number]
    assert len(sheet_rows(c.get("/exports/cases.xlsx?q=会议纪要"))) == 2
    # Agency B sees none of A's.
    assert sheet_rows(client_as("officer_b").get("/exports/cases.xlsx"))[1:] == []
    assert "导出 Excel" in c.get("/cases/").content.decode()


def test_appeals_export(client_as: Callable[..., Client], case_a: Case, orgs: Any) -> None:
    service.create(
        orgs.agency_a,
        service.AppealData("R1", "review", D(2025, 4, 1), "upheld", D(2025, 6, 1), case=case_a),
        None,
    )
    service.create(orgs.agency_a, service.AppealData("R2", "direct", D(2024, 4, 1)), None)
    rows = sheet_rows(client_as("officer_a").get("/exports/appeals.xlsx?year=2025"))
    assert rows[0][:4] == ("编号", "被申请或被诉机关", "案件类型", "收案日期")
    assert len(rows) == 2 and rows[1][0] == "R1" and rows[1][5] == case_a.number
    assert rows[1][6] == "结果维持" and rows[1][7] == dt.datetime(2025, 6, 1)
    assert len(sheet_rows(client_as("officer_a").get("/exports/appeals.xlsx"))) == 3
    assert sheet_rows(client_as("officer_b").get("/exports/appeals.xlsx"))[1:] == []


# --- the ledger round trip -------------------------------------------------------------------


def _core(app: Application) -> tuple[Any, ...]:
    """What the ledger format holds of an application."""
    events = tuple(
        (
            e.kind,
            e.on,
            e.days,
            e.until,
            e.amount,
            e.outcome if e.kind is EventKind.ANSWERED else None,  # the others imply theirs
            e.by if e.kind is EventKind.EXTENSION_APPROVED else "",
        )
        for e in app.events
    )
    return (
        app.id,
        app.channel,
        app.applicant,
        app.applicant_name,
        app.content,
        app.outcome,
        events,
    )


def _register_of(org: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    apps = {
        a.id: _core(a)
        for a in ledger_io.register_applications(Case.objects.filter(organisation=org))
    }
    reviews = {r.id: r for r in service.table4_input(org, 2099)}
    return apps, reviews


def test_import_of_the_ledger_export_gives_the_register_back(
    client_as: Callable[..., Client], orgs: Any, user: Callable[[str], Any], tmp_path: Path
) -> None:
    who = user("officer_a")
    apps = typical_register(80, D(2024, 1, 1), D(2025, 6, 30), seed=5)
    apps += random_register(60, D(2024, 1, 1), D(2025, 6, 30), seed=5)
    apps.append(
        make_case(
            "x",
            D(2024, 2, 5),
            fee=(D(2024, 2, 7), Decimal("12.50"), D(2024, 2, 9)),
            extension=(D(2024, 2, 6), 15),
            outcome="partial",
            closed=D(2024, 3, 1),
        )
    )
    for app in apps:
        assert app.received is not None
        register.import_case(
            orgs.agency_a,
            register.Intake(
                app.channel.value,
                app.applicant.value,
                app.received,
                f"内容 {app.id}",
                applicant_name=f"申请人{app.id}",
            ),
            list(app.events),
            who,
        )
    stored = list(Case.objects.filter(organisation=orgs.agency_a).order_by("id"))
    for i, r in enumerate(random_reviews(30, D(2023, 6, 1), D(2025, 6, 30), seed=3)):
        link = stored[i] if i % 2 else None
        service.create(
            orgs.agency_a,
            service.AppealData(
                r.id,
                r.kind.value,
                r.filed,
                r.result.value if r.result else "pending",
                r.decided,
                note=f"备注{i}",
                case=link,
                application_number="" if link else ("外部-1" if i % 4 == 0 else ""),
            ),
            who,
        )
    r = client_as("officer_a").get(f"/exports/ledger.xlsx?organisation={orgs.agency_a.pk}")
    assert r.status_code == 200
    data = b"".join(r.streaming_content)
    (tmp_path / "export.xlsx").write_bytes(data)
    ledger = read_ledger(str(tmp_path / "export.xlsx"))
    notes = _notes(tmp_path / "export.xlsx")
    lossy = {k for k, note in notes.items() if "台账格式未能容纳" in note}
    # A history the format cannot hold is said in words in its 备注; the rows it even makes
    # unreadable (same-day events in another order) are among those, listed on import.
    refused = {i.case_id for i in ledger.errors}
    assert refused <= lossy and len(lossy) < len(notes) * 0.2
    # Import it into agency B (officer_b) and compare the two registers.
    b = client_as("officer_b")
    url = preview_url(upload(b, orgs.agency_b, data, "export.xlsx"))
    page = b.get(url).content.decode()
    r = b.post(url, {"digest": digest(page), "exclude": "1" if refused else ""})
    assert r.status_code == 302
    a_apps, a_reviews = _register_of(orgs.agency_a)
    b_apps, b_reviews = _register_of(orgs.agency_b)
    assert len(a_apps) == len(apps) and set(b_apps) == set(a_apps) - refused
    same = [k for k in a_apps if k not in lossy]
    for k in same:
        assert a_apps[k] == b_apps[k], k
    for k in lossy - refused:  # what the format could not hold differs, as its note says
        assert a_apps[k] != b_apps[k]
    assert a_reviews == b_reviews and len(a_reviews) == 30
    linked = {
        a.number: a.case.number
        for a in Appeal.objects.filter(organisation=orgs.agency_b, case__isnull=False)
    }
    assert linked == {
        a.number: a.case.number
        for a in Appeal.objects.filter(organisation=orgs.agency_a, case__isnull=False)
    }
    assert (
        Appeal.objects.get(
            organisation=orgs.agency_b, number=a_reviews_first_external(orgs)
        ).application_number
        == "外部-1"
    )
    # Agency B's officer cannot export A's ledger.
    assert b.get(f"/exports/ledger.xlsx?organisation={orgs.agency_a.pk}").status_code == 404


def a_reviews_first_external(orgs: Any) -> str:
    return str(
        Appeal.objects.filter(organisation=orgs.agency_a, application_number="外部-1").values_list(
            "number", flat=True
        )[0]
    )


def _notes(path: Path) -> dict[str, str]:
    """The 备注 of every application row of a ledger, by 编号."""
    rows = load_workbook(path, read_only=True)[APPLICATIONS_SHEET].iter_rows(values_only=True)
    header = [str(v).rstrip("*") for v in next(rows)]
    at, note = header.index("编号"), header.index("备注")
    return {str(r[at]): str(r[note] or "") for r in rows if r[at]}


def test_ledger_export_of_a_lossy_history_says_what_it_left_out(
    client_as: Callable[..., Client], orgs: Any, user: Callable[[str], Any], tmp_path: Path
) -> None:
    app = Application("t", channel="网络")
    app.receive(D(2024, 3, 4))
    app.start_consultation(D(2024, 3, 6))
    app.consultation_answered(D(2024, 3, 12))
    app.start_consultation(D(2024, 3, 14))
    app.record(Event(EventKind.CONSULTATION_ANSWERED, D(2024, 3, 20)))
    register.import_case(
        orgs.agency_a,
        register.Intake("网络", "natural", D(2024, 3, 4), "x"),
        list(app.events),
        user("officer_a"),
    )
    r = client_as("officer_a").get("/exports/ledger.xlsx")
    (tmp_path / "export.xlsx").write_bytes(b"".join(r.streaming_content))
    (note,) = _notes(tmp_path / "export.xlsx").values()
    assert "台账格式未能容纳" in note and "另有征求意见 2024年3月14日–2024年3月20日" in note
    assert read_ledger(str(tmp_path / "export.xlsx")).reviews == []
    assert REVIEWS_SHEET in load_workbook(tmp_path / "export.xlsx", read_only=True).sheetnames


@pytest.mark.parametrize("who", ["supervisor", "officer_b"])
def test_ledger_export_choice_page_or_own_body(
    client_as: Callable[..., Client], case_a: Case, who: str
) -> None:
    r = client_as(who).get("/exports/ledger.xlsx")
    if who == "supervisor":  # sees several bodies: chooses one
        assert r.status_code == 200 and "请选择机关" in r.content.decode()
    else:
        data = b"".join(r.streaming_content)
        assert case_a.number.encode() not in data and data.startswith(b"PK")


def test_import_cases_checks_every_history_first_and_numbers_them(
    orgs: Any, user: Callable[[str], Any]
) -> None:
    who = user("officer_a")
    register.create_case(orgs.agency_a, register.Intake("网络", "natural", D(2024, 1, 8), "x"), who)

    def item(received: D, seq: int | None, *later: Event) -> register.Imported:
        intake = register.Intake("网络", "natural", received, "y")
        return register.Imported(intake, [Event(EventKind.RECEIVED, received), *later], seq)

    bad = item(D(2024, 3, 1), None, Event(EventKind.FEE_PAID, D(2024, 3, 2)))
    with pytest.raises(register.RegisterError, match="不能记录「缴纳费用」"):
        register.import_cases(orgs.agency_a, [item(D(2024, 2, 1), None), bad], who)
    assert Case.objects.count() == 1  # the good one before it was not written either
    made = register.import_cases(
        orgs.agency_a,
        [
            item(D(2024, 2, 1), None),
            item(D(2024, 2, 2), 5),
            item(
                D(2025, 2, 3), None, Event(EventKind.ANSWERED, D(2025, 2, 4), outcome="disclosed")
            ),
        ],
        who,
    )
    assert [c.number for c in made] == ["2024-00006", "2024-00005", "2025-00001"]
    assert made[2].state == "closed" and made[2].version == 2
    assert [e.by for e in made[2].events.order_by("seq")] == ["officer_a", "officer_a"]
