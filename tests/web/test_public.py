"""The public side's pages: the online application (challenge, honeypot, idempotency, rate
limit), the office's confirmation into the register (第三十一条), tracking by 查询号 and phone,
the versioned 公开指南, and no personal data on any public page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

from django.test import Client, override_settings
from django.utils import timezone

from gongkai.register.cases import Event, EventKind
from gongkai.web import demo
from gongkai.web.cases import register
from gongkai.web.cases.models import Case, CaseEvent
from gongkai.web.public import tracking
from gongkai.web.public.demo import load_public
from gongkai.web.public.models import Guide, OnlineApplication

from .public_util import PERSON, apply, code_of, solve

TZ = dt.timezone(dt.timedelta(hours=8))


def track(client: Client, code: str, phone: str) -> Any:
    return client.post("/public/track/", {"code": code, "phone": phone})


def test_application_is_held_until_confirmed_then_tracked(
    public_a: demo.DemoOrgs, client_as: Callable[..., Client], user: Callable[[str], Any]
) -> None:
    a = public_a.agency_a
    cases_before = Case.objects.count()
    r = apply(Client(), a.pk)
    assert r.status_code == 201
    code = code_of(r)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    app = OnlineApplication.objects.get(tracking_code=tracking.normalise(code))
    assert app.state == "pending" and app.organisation == a and app.case is None
    assert app.phone_digits == "13800135790" and app.id_number == "11010519491231002X"
    assert Case.objects.count() == cases_before  # not a register case yet (第三十一条)

    # The applicant tracks it, typing the code in lower case without dashes, the phone plainly.
    page = track(Client(), code.replace("-", "").lower(), "13800135790").content.decode()
    assert "待机关确认" in page and "138****5790" in page and "双方确认之日" in page

    # Submitted two days before the office confirms: received = the confirmation day.
    submitted = dt.datetime(2025, 3, 3, 21, 30, tzinfo=TZ)
    OnlineApplication.objects.filter(pk=app.pk).update(submitted_at=submitted)
    officer = client_as("officer_a")
    assert code.replace("-", "") in officer.get("/public/queue/").content.decode()
    assert "欧阳明远" in officer.get(f"/public/queue/{app.pk}/").content.decode()
    r = officer.post(f"/public/queue/{app.pk}/confirm/", {"on": "2025-03-05"})
    app.refresh_from_db()
    case = app.case
    assert case is not None and r.status_code == 302 and r["Location"] == f"/cases/{case.pk}/"
    assert app.state == "confirmed" and app.confirmed_on == dt.date(2025, 3, 5)
    assert case.channel == "网络" and case.received == dt.date(2025, 3, 5)
    assert case.organisation == a and case.year == 2025 and case.created_by == user("officer_a")
    assert case.applicant_name == "欧阳明远" and case.applicant_id_number == "11010519491231002X"
    assert case.applicant_contact.startswith("138 0013 5790")
    assert case.description == PERSON["description"] and case.requested_form == "email"
    first = case.events.get()
    assert first.kind == "received" and first.on == dt.date(2025, 3, 5)
    assert "查询号" in first.note and "oyang@example.com" in first.note
    # A second confirmation (a double click) makes no second case.
    officer.post(f"/public/queue/{app.pk}/confirm/", {"on": "2025-03-05"})
    assert Case.objects.count() == cases_before + 1

    page = track(Client(), code, "+86 138-0013-5790").content.decode()
    assert "办理中" in page and "2025-03-05" in page and case.number in page
    assert case.due is not None and case.due.isoformat() in page

    # Officers' notes, names and amounts never reach the applicant.
    case = register.record(
        case.pk,
        case.version,
        Event(
            EventKind.EXTENSION_APPROVED,
            dt.date(2025, 3, 20),
            days=10,
            by="张主任",
            note="内部：需调阅档案室卷宗",
        ),
        user("reviewer_a"),
    )
    case = register.record(
        case.pk,
        case.version,
        Event(EventKind.ANSWERED, dt.date(2025, 4, 10), outcome="disclosed"),
        user("officer_a"),
    )
    page = track(Client(), code, "13800135790").content.decode()
    assert "已办结" in page and "2025-04-10" in page and "批准延长答复期限" in page
    assert case.outcome == "disclosed" and "予以公开" in page
    for secret in (
        "张主任",
        "内部：需调阅档案室卷宗",
        "officer_a",
        "reviewer_a",
        "oyang@example.com",
        "11010519491231002X",
        "13800135790",
        "138 0013 5790",
        "欧阳明远",
    ):
        assert secret not in page, secret


def test_wrong_phone_or_code_is_the_same_not_found(public_a: demo.DemoOrgs) -> None:
    r = apply(Client(), public_a.agency_a.pk)
    code = code_of(r)
    right = track(Client(), code, "13800135790")
    assert right.status_code == 200
    wrong_phone = track(Client(), code, "13800135791")
    wrong_code = track(Client(), "ABCD-EFGH-JKMN", "13800135790")
    for r in (wrong_phone, wrong_code):
        page = r.content.decode()
        assert r.status_code == 404 and "查询号或联系电话不正确" in page
        assert "待机关确认" not in page and "138****5790" not in page

    # The two pages differ only in the values typed back into the form.
    def strip(r: Any) -> str:
        return re.sub(r'value="[^"]*"', 'value=""', r.content.decode())

    assert strip(wrong_phone) == strip(wrong_code)


@override_settings(PUBLIC_RATE_LIMITS={"apply": (2, 3600), "track": (3, 600)})
def test_rate_limits_answer_429_in_chinese(public_a: demo.DemoOrgs) -> None:
    c = Client()
    a = public_a.agency_a.pk
    assert apply(c, a).status_code == 201
    assert apply(c, a, description="另一项信息").status_code == 201
    r = apply(c, a, description="第三项信息")
    assert r.status_code == 429 and "请求过于频繁" in r.content.decode()
    assert int(r["Retry-After"]) > 0
    assert OnlineApplication.objects.filter(description="第三项信息").count() == 0
    # Another address is not affected.
    assert apply(Client(REMOTE_ADDR="10.0.0.9"), a, description="第三项信息").status_code == 201
    for _ in range(3):
        assert track(c, "ABCD-EFGH-JKMN", "13800135790").status_code == 404
    r = track(c, "ABCD-EFGH-JKMN", "13800135790")
    assert r.status_code == 429 and "请求过于频繁" in r.content.decode()


def test_wrong_expired_or_forged_challenge_creates_nothing(public_a: demo.DemoOrgs) -> None:
    c = Client()
    url = f"/public/agencies/{public_a.agency_a.pk}/apply/"
    token, answer = solve(c.get(url).content.decode())
    before = OnlineApplication.objects.count()
    r = c.post(url, {**PERSON, "token": token, "answer": str(int(answer) + 1)})
    page = r.content.decode()
    assert r.status_code == 200 and "验证题的答案不对" in page
    assert PERSON["description"] in page  # what was typed is kept …
    new_token, _ = solve(page)
    assert new_token != token  # … with a new question
    r = c.post(url, {**PERSON, "token": token, "answer": "不知道"})
    assert "请用数字" in r.content.decode()
    r = c.post(url, {**PERSON, "token": token[:-2] + "xx", "answer": answer})
    assert "验证题无效" in r.content.decode()
    with override_settings(PUBLIC_CHALLENGE_MAX_AGE=-1):
        r = c.post(url, {**PERSON, "token": token, "answer": answer})
        assert "验证题已过期" in r.content.decode()
    assert OnlineApplication.objects.count() == before
    # Chinese numerals are a right answer too.
    from gongkai.web.public.challenge import chinese_number

    r = c.post(url, {**PERSON, "token": token, "answer": chinese_number(int(answer))})
    assert r.status_code == 201


def test_honeypot_filled_is_refused(public_a: demo.DemoOrgs) -> None:
    before = OnlineApplication.objects.count()
    r = apply(Client(), public_a.agency_a.pk, website="http://spam.example")
    assert r.status_code == 200 and "请清空" in r.content.decode()
    assert OnlineApplication.objects.count() == before


def test_double_submit_creates_one(public_a: demo.DemoOrgs) -> None:
    c = Client()
    url = f"/public/agencies/{public_a.agency_a.pk}/apply/"
    token, answer = solve(c.get(url).content.decode())
    data = {**PERSON, "token": token, "answer": answer}
    first, second = c.post(url, data), c.post(url, data)
    assert first.status_code == 201 and second.status_code == 200
    assert code_of(first) == code_of(second) and "此前已经提交过" in second.content.decode()
    # The same application again from a fresh form, while it awaits confirmation: the same one.
    assert code_of(apply(c, public_a.agency_a.pk)) == code_of(first)
    assert OnlineApplication.objects.filter(description=PERSON["description"]).count() == 1
    # The same form token with other content does not make a second one either.
    third = c.post(url, {**data, "description": "另一项"})
    assert code_of(third) == code_of(first)
    assert not OnlineApplication.objects.filter(description="另一项").exists()


def test_identity_is_checked_per_applicant_type(public_a: demo.DemoOrgs) -> None:
    a = public_a.agency_a.pk
    page = apply(Client(), a, id_number="110105194912310021").content.decode()
    assert "校验位不对" in page
    page = apply(Client(), a, id_number="", id_type="").content.decode()
    assert "自然人请填写证件号码" in page and "自然人请选择证件类型" in page
    org = {
        "applicant_type": "legal_services",
        "name": "示范律师事务所",
        "id_type": "",
        "id_number": "",
    }
    page = apply(Client(), a, **org).content.decode()
    assert "请填写统一社会信用代码" in page and "请填写法定代表人或联系人" in page
    page = apply(
        Client(), a, **org, uscc="91330106MA2B3C4D5E", contact_person="周律师"
    ).content.decode()
    assert "统一社会信用代码的校验位不对" in page
    page = apply(Client(), a, phone="电话号码").content.decode()
    assert "联系电话只能包含数字" in page
    assert not OnlineApplication.objects.filter(name__in=["示范律师事务所", "欧阳明远"]).exists()
    r = apply(Client(), a, **org, uscc="91330106ma2b3c4d5d", contact_person="周律师")
    assert r.status_code == 201
    app = OnlineApplication.objects.get(name="示范律师事务所")
    assert app.uscc == "91330106MA2B3C4D5D" and app.applicant_type == "legal_services"
    assert app.id_number == "" and app.purpose == ""  # 用途 is never required


def test_csrf_protects_the_form(public_a: demo.DemoOrgs) -> None:
    c = Client(enforce_csrf_checks=True)
    url = f"/public/agencies/{public_a.agency_a.pk}/apply/"
    page = c.get(url).content.decode()
    token, answer = solve(page)
    data = {**PERSON, "token": token, "answer": answer}
    assert c.post(url, data).status_code == 403
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf
    assert c.post(url, {**data, "csrfmiddlewaretoken": csrf.group(1)}).status_code == 201


def test_staff_of_b_cannot_see_or_decide_a_queue(
    public_a: demo.DemoOrgs, client_as: Callable[..., Client]
) -> None:
    pending = OnlineApplication.objects.filter(organisation=public_a.agency_a, state="pending")
    app = pending.first()
    assert app is not None
    b = client_as("officer_b")
    page = b.get("/public/queue/").content.decode()
    assert "没有待确认的在线申请" in page and app.tracking_code not in page and app.name not in page
    assert b.get(f"/public/queue/{app.pk}/").status_code == 404
    assert b.post(f"/public/queue/{app.pk}/confirm/", {"on": "2025-03-04"}).status_code == 404
    assert b.post(f"/public/queue/{app.pk}/reject/", {"reason": "x"}).status_code == 404
    app.refresh_from_db()
    assert app.state == "pending" and app.case is None
    # The supervisor reads registers but decides nothing: no queue of its own.
    sup = client_as("supervisor")
    assert app.tracking_code not in sup.get("/public/queue/").content.decode()
    assert sup.get(f"/public/queue/{app.pk}/").status_code == 404
    assert app.tracking_code in client_as("reviewer_a").get("/public/queue/").content.decode()


def test_reject_shows_the_reason_to_the_applicant(
    public_a: demo.DemoOrgs, client_as: Callable[..., Client]
) -> None:
    code = code_of(apply(Client(), public_a.agency_a.pk))
    app = OnlineApplication.objects.get(tracking_code=tracking.normalise(code))
    officer = client_as("officer_a")
    r = officer.post(f"/public/queue/{app.pk}/reject/", {"reason": ""})
    app.refresh_from_db()
    assert app.state == "pending"
    r = officer.post(
        f"/public/queue/{app.pk}/reject/", {"reason": "所提内容属于投诉，请向12345热线反映"}
    )
    assert r.status_code == 302
    page = track(Client(), code, PERSON["phone"]).content.decode()
    assert "不作为政府信息公开申请处理" in page and "请向12345热线反映" in page
    cases = Case.objects.count()
    r = officer.post(f"/public/queue/{app.pk}/confirm/", {"on": timezone.localdate().isoformat()})
    assert Case.objects.count() == cases
    assert "已处理" in officer.get(r["Location"]).content.decode()


def test_confirmation_date_is_checked(
    public_a: demo.DemoOrgs, client_as: Callable[..., Client]
) -> None:
    code = code_of(apply(Client(), public_a.agency_a.pk))
    app = OnlineApplication.objects.get(tracking_code=tracking.normalise(code))
    officer = client_as("officer_a")
    today = timezone.localdate()
    for on, message in (
        (today - dt.timedelta(days=1), "不能早于提交之日"),
        (today + dt.timedelta(days=1), "不能晚于今天"),
    ):
        r = officer.post(f"/public/queue/{app.pk}/confirm/", {"on": on.isoformat()}, follow=True)
        assert message in r.content.decode()
    app.refresh_from_db()
    assert app.state == "pending" and app.case is None


# --- the 公开指南 -------------------------------------------------------------------------


def _guide_form(guide: Guide) -> dict[str, Any]:
    from gongkai.web.public.models import GUIDE_TEXT_FIELDS

    data: dict[str, Any] = {f: getattr(guide, f) for f in GUIDE_TEXT_FIELDS}
    for c in guide.channel_rows():
        if c["accepted"]:
            data[f"ch_{c['kind']}_accepted"] = "on"
        data[f"ch_{c['kind']}_note"] = c["note"]
    return data


def test_guide_is_versioned_and_edited_by_admin_or_reviewer(
    public_a: demo.DemoOrgs, client_as: Callable[..., Client]
) -> None:
    a = public_a.agency_a
    v1 = Guide.objects.get(organisation=a)
    page = Client().get(f"/public/agencies/{a.pk}/guide/").content.decode()
    for text in (
        "政府信息的分类",
        "编排体系",
        "获取方式",
        "示范区人民政府办公室政务公开科",
        "310000",
        "0571-88000002",
        "政府信息公开申请",
        "不受理电话申请",
        "行政复议",
        v1.sha256,
        v1.updated.strftime("%Y年"),
    ):
        assert text in page, text
    url = f"/public/agencies/{a.pk}/guide/edit/"
    assert client_as("officer_a").get(url).status_code == 403  # 办理人员 may not
    assert client_as("officer_b").get(url).status_code == 404
    reviewer = client_as("reviewer_a")
    data = _guide_form(v1)
    r = reviewer.post(url, data, follow=True)
    assert (
        "未生成新版本" in r.content.decode() and Guide.objects.filter(organisation=a).count() == 1
    )
    data["hours"] = "工作日 8:30—17:30"
    data.pop("ch_fax_accepted")
    r = reviewer.post(url, data)
    assert r.status_code == 302
    v2 = Guide.objects.get(organisation=a, version=2)
    assert v2.updated == timezone.localdate() and v2.sha256 != v1.sha256 and len(v2.sha256) == 64
    assert not {c["kind"]: c for c in v2.channel_rows()}["fax"]["accepted"]
    page = Client().get(f"/public/agencies/{a.pk}/guide/").content.decode()
    assert "工作日 8:30—17:30" in page and "第 2 版" in page
    old = Client().get(f"/public/agencies/{a.pk}/guide/versions/1/").content.decode()
    assert "已被更新" in old and "工作日上午9:00" in old and v1.sha256 in old
    versions = Client().get(f"/public/agencies/{a.pk}/guide/versions/").content.decode()
    assert v1.sha256 in versions and v2.sha256 in versions
    v1.refresh_from_db()
    assert v1.hours.startswith("工作日上午9:00")  # a version never changes
    bad = reviewer.post(url, {**data, "postcode": "31000", "office_name": ""})
    assert bad.status_code == 200 and "邮政编码应为6位数字" in bad.content.decode()
    assert Guide.objects.filter(organisation=a).count() == 2


def test_agency_without_online_channel_refuses_online_applications(
    public_a: demo.DemoOrgs, client_as: Callable[..., Client]
) -> None:
    a = public_a.agency_a
    data = _guide_form(Guide.objects.get(organisation=a))
    data.pop("ch_online_accepted")
    client_as("reviewer_a").post(f"/public/agencies/{a.pk}/guide/edit/", data)
    page = Client().get(f"/public/agencies/{a.pk}/apply/").content.decode()
    assert "暂不受理网络申请" in page and 'name="token"' not in page
    assert (
        f"/public/agencies/{a.pk}/apply/"
        not in Client().get(f"/public/agencies/{a.pk}/").content.decode()
    )


def test_index_and_agency_pages(public_a: demo.DemoOrgs, orgs: demo.DemoOrgs) -> None:
    page = Client().get("/public/").content.decode()
    assert "示范区人民政府办公室" in page and "示范区教育局" in page
    assert "示范区政务公开办" not in page  # no guide, not on the public side
    assert Client().get(f"/public/agencies/{orgs.office.pk}/").status_code == 404
    home = Client().get(f"/public/agencies/{orgs.agency_b.pk}/").content.decode()
    for url in (
        f"/public/agencies/{orgs.agency_b.pk}/guide/",
        f"/public/agencies/{orgs.agency_b.pk}/apply/",
        "/public/track/",
    ):
        assert f'href="{url}"' in home
    assert "申请列表" not in home and "登记新申请" not in home  # no staff navigation


def test_agency_home_shows_other_apps_links(public_a: demo.DemoOrgs) -> None:
    from gongkai.web.public import sections

    provider = lambda org: [(f"{org.name}2025年年度报告", "/public/reports/7/")]  # noqa: E731
    sections.register(provider)
    try:
        home = Client().get(f"/public/agencies/{public_a.agency_a.pk}/").content.decode()
        assert 'href="/public/reports/7/"' in home and "2025年年度报告" in home
    finally:
        sections.PROVIDERS.remove(provider)


# --- nothing personal on a public page ------------------------------------------------------


def _personal_values() -> set[str]:
    values: set[str] = set()
    for name, contact, ident in Case.objects.values_list(
        "applicant_name", "applicant_contact", "applicant_id_number"
    ):
        values.update(v for v in (name, contact, ident) if v)
    for row in OnlineApplication.objects.values_list(
        "name",
        "phone",
        "phone_digits",
        "id_number",
        "uscc",
        "legal_rep",
        "contact_person",
        "email",
        "address",
    ):
        values.update(v for v in row if v)
    values.update(CaseEvent.objects.exclude(by="").values_list("by", flat=True))
    values.update(("officer_a", "reviewer_a", "officer_b"))
    return values


def test_no_personal_data_on_any_public_page(
    orgs: demo.DemoOrgs, client_as: Callable[..., Client]
) -> None:
    demo.load_cases(orgs, 60, today=dt.date(2026, 6, 30))
    load_public(orgs)
    code = code_of(apply(Client(), orgs.agency_a.pk))
    app = OnlineApplication.objects.get(tracking_code=tracking.normalise(code))
    client_as("officer_a").post(
        f"/public/queue/{app.pk}/confirm/", {"on": timezone.localdate().isoformat()}
    )
    secrets = _personal_values()
    assert {"欧阳明远", "13800135790", "钱晓岚", "330102198503120049", "孙立群"} <= secrets
    assert len(secrets) > 100
    c = Client()
    urls = ["/public/", "/public/track/", "/api/v1/public/agencies"]
    for org in (orgs.agency_a, orgs.agency_b):
        base = f"/public/agencies/{org.pk}/"
        urls += [
            base,
            base + "guide/",
            base + "guide/versions/",
            base + "guide/versions/1/",
            base + "apply/",
        ]
    for a in OnlineApplication.objects.all():
        urls.append(f"/api/v1/public/applications/{a.tracking_code}")  # no phone: not found
    pages = {}
    for url in urls:
        r = c.get(url)
        assert r.status_code in (200, 404), (url, r.status_code)
        pages[url] = r.content.decode()
    pages["track-wrong"] = track(c, code, "13800000000").content.decode()
    for url, page in pages.items():
        leaked = [s for s in secrets if s in page]
        assert not leaked, (url, leaked)
    # The tracking page after the right code and phone: the state, the masked phone — no more.
    page = track(c, code, PERSON["phone"]).content.decode()
    assert "办理中" in page and "138****5790" in page
    leaked = [s for s in secrets if s in page]
    assert not leaked, leaked


# --- accessibility (条例 第四十三条) ---------------------------------------------------------


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.images = 0
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.controls.append(a)
        if tag == "label" and a.get("for"):
            self.labels.add(str(a["for"]))
        self.images += tag == "img"
        self.scripts += tag == "script"


def test_forms_are_labelled_and_need_no_script_or_image(public_a: demo.DemoOrgs) -> None:
    for url in (f"/public/agencies/{public_a.agency_a.pk}/apply/", "/public/track/"):
        p = _Inputs()
        page = Client().get(url).content.decode()
        p.feed(page)
        assert p.controls, url
        unlabelled = [c for c in p.controls if c.get("id") not in p.labels]
        assert not unlabelled, (url, unlabelled)
        assert p.images == 0 and p.scripts == 0
        assert 'lang="zh-Hans"' in page and 'href="#main"' in page
    page = Client().get(f"/public/agencies/{public_a.agency_a.pk}/apply/").content.decode()
    assert re.search(
        r'<label for="id_answer">验证题：<span class="question" id="question">'
        r"[一二三四五六七八九十]+(加上|减去)",
        page,
    )
    # The honeypot is hidden from screen readers and out of the tab order.
    assert re.search(r'<div class="hp" aria-hidden="true">.*?tabindex="-1"', page, re.S)


def test_public_permission_predicates(public_a: demo.DemoOrgs, user: Callable[[str], Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    from gongkai.web import permissions

    a, b = public_a.agency_a, public_a.agency_b
    assert set(permissions.public_agencies()) == {a, b}
    assert permissions.can_edit_guide(user("reviewer_a"), a)
    assert not permissions.can_edit_guide(user("reviewer_a"), b)
    for name in ("officer_a", "officer_b", "supervisor", "admin"):
        assert not permissions.can_edit_guide(user(name), a), name
    assert not permissions.can_edit_guide(AnonymousUser(), a)
    mine = set(permissions.online_applications_for(user("officer_a")))
    assert mine == set(OnlineApplication.objects.filter(organisation=a)) and len(mine) == 3
    for name in ("officer_b", "supervisor", "admin"):
        assert not permissions.online_applications_for(user(name)).exists(), name
    assert not permissions.online_applications_for(AnonymousUser()).exists()
