"""Letters (告知书、答复书): every kind renders from a legal history, 文号 counters, dated
救济 wording, stored files with their sha256, permissions, the page and the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import io
import itertools
import json
import zipfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from docx import Document
from docx.shared import Pt

from gongkai.formats import outcomes
from gongkai.register.cases import Event, EventKind
from gongkai.web import demo
from gongkai.web.cases import register
from gongkai.web.cases.models import Case
from gongkai.web.letters import service, wording
from gongkai.web.letters.demo import load_settings
from gongkai.web.letters.kinds import (
    LABELS,
    REPLIES,
    TEMPLATES,
    LetterKind,
    kinds_for,
    reply_kind,
    template_of,
)
from gongkai.web.letters.models import Letter, LetterCounter, LetterSettings, ReviewRoute

from .conftest import RECEIVED

REPO = Path(__file__).resolve().parents[2]
ANSWERS = [o.key for o in outcomes.OUTCOMES if o.closes_by == "answer"]
NEW_REMEDY = "向示范区人民政府申请行政复议"
OLD_REMEDY = "向示范区人民政府或者示范市人民政府办公室申请行政复议"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def configured(orgs: demo.DemoOrgs) -> demo.DemoOrgs:
    load_settings(orgs)
    return orgs


def make_case(
    org: Any,
    user: Any,
    events: list[Event],
    received: dt.date = RECEIVED,
    description: str = "申请公开2024年区政府常务会议纪要",
) -> Case:
    """A case built through the register bridge, so every history is legal."""
    case = register.create_case(
        org,
        register.Intake(
            channel="网络",
            applicant_type="natural",
            received=received,
            description=description,
            applicant_name="王伟",
        ),
        user,
    )
    for e in events:
        case = register.record(case.pk, case.version, e, user)
    return case


def d(month: int, day: int, year: int = 2025) -> dt.date:
    return dt.date(year, month, day)


# The history that implies each non-reply kind, and the seq of the event that implies it.
HISTORIES: dict[LetterKind, tuple[list[Event], int]] = {
    LetterKind.RECEIPT: ([], 1),
    LetterKind.SUPPLEMENT: (
        [Event(EventKind.SUPPLEMENT_REQUESTED, d(3, 5), note="请写明会议纪要的日期或文号")],
        2,
    ),
    LetterKind.EXTENSION: (
        [Event(EventKind.EXTENSION_APPROVED, d(3, 25), by="张主任", days=10, note="需调档查阅")],
        2,
    ),
    LetterKind.CONSULT_THIRD_PARTY: ([Event(EventKind.CONSULTATION_STARTED, d(3, 10))], 2),
    LetterKind.CONSULT_AGENCY: ([Event(EventKind.CONSULTATION_STARTED, d(3, 10))], 2),
    LetterKind.DELAY: ([Event(EventKind.DELAY_NOTIFIED, d(3, 20), until=d(5, 30))], 2),
    LetterKind.FEE: (
        [Event(EventKind.FEE_NOTIFIED, d(3, 20), amount=Decimal(100), note="按件计收")],
        2,
    ),
}
# The article each kind must cite (written out here, not read from the wording data).
CITES: dict[LetterKind, tuple[str, ...]] = {
    LetterKind.RECEIPT: ("第三十一条", "第三十三条第二款"),
    LetterKind.SUPPLEMENT: ("第三十条",),
    LetterKind.EXTENSION: ("第三十三条第二款",),
    LetterKind.CONSULT_THIRD_PARTY: ("第三十二条",),
    LetterKind.CONSULT_AGENCY: ("第三十四条",),
    LetterKind.DELAY: ("第三十五条",),
    LetterKind.FEE: ("第四十二条", "国办函〔2020〕109号"),
}


ANSWERED_ON = d(3, 20)


def answer_history(outcome: str, on: dt.date = ANSWERED_ON) -> list[Event]:
    before = []
    if outcome == "unclear_after_supplement":
        before = [
            Event(EventKind.SUPPLEMENT_REQUESTED, d(3, 5)),
            Event(EventKind.SUPPLEMENT_RECEIVED, d(3, 10)),
        ]
    note = {"not_responsible": "示范区住房和城乡建设局，电话0571-11111111"}.get(outcome, "")
    return [*before, Event(EventKind.ANSWERED, on, outcome=outcome, note=note)]


def texts(data: bytes) -> str:
    """Every piece of text of a DOCX: paragraphs, table cells, headers and footers."""
    doc = Document(io.BytesIO(data))
    out = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        out += [c.text for row in t.rows for c in row.cells]
    for s in doc.sections:
        out += [p.text for p in s.header.paragraphs] + [p.text for p in s.footer.paragraphs]
    return "\n".join(out)


def assert_no_template_syntax(data: bytes) -> None:
    text = texts(data)
    for mark in ("{{", "}}", "{%", "%}", "{#"):
        assert mark not in text, mark
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.endswith(".xml"):
                xml = z.read(name).decode()
                assert "{{" not in xml and "{%" not in xml, name


def issue(case: Case, seq: int, kind: LetterKind | str, user: Any, **kw: Any) -> Letter:
    return service.issue(case, seq, kind, user, **kw)[0]


# --- every kind -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(HISTORIES), ids=str)
def test_every_notice_kind_renders(
    kind: LetterKind, configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    events, seq = HISTORIES[kind]
    case = make_case(configured.agency_a, user("officer_a"), events)
    assert kind in kinds_for(case.events.get(seq=seq).kind)
    letter = issue(case, seq, kind, user("officer_a"))
    data = service.read(letter)
    assert_no_template_syntax(data)
    text = texts(data)
    assert letter.number == "示范区政办公复〔2025〕1号"
    assert letter.number in text and case.number in text
    assert "2025年3月3日" in text  # the 第三十一条 date of receipt
    for cite in CITES[kind]:
        assert cite in text, cite
    assert "行政复议" not in text  # a notice, not a decision: no 救济
    assert "示范区人民政府办公室" in text  # the signature
    assert letter.title in text and letter.sha256 == hashlib.sha256(data).hexdigest()


def test_notice_dates_come_from_the_register(
    configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    officer = user("officer_a")
    receipt = issue(make_case(configured.agency_a, officer, []), 1, "receipt", officer)
    # 20 working days after Monday 2025-03-03 (第三十三条第二款): Monday 2025-03-31.
    assert "2025年3月31日" in texts(service.read(receipt))
    events, _ = HISTORIES[LetterKind.EXTENSION]
    ext = issue(make_case(configured.agency_a, officer, events), 2, "extension", officer)
    # ... plus the 10 approved working days: 2025-04-15 (清明 2025-04-04 is a holiday).
    assert "延长10个工作日" in texts(service.read(ext))
    assert "2025年4月15日" in texts(service.read(ext))
    events, _ = HISTORIES[LetterKind.CONSULT_AGENCY]
    consult = issue(make_case(configured.agency_a, officer, events), 2, "consult_agency", officer)
    # 15 working days from Monday 2025-03-10: Monday 2025-03-31.
    assert "2025年3月31日" in texts(service.read(consult))
    events, _ = HISTORIES[LetterKind.DELAY]
    delay = issue(make_case(configured.agency_a, officer, events), 2, "delay", officer)
    assert "2025年5月30日" in texts(service.read(delay))


@pytest.mark.parametrize("outcome", ANSWERS)
def test_every_reply_renders_with_its_ground_and_remedy(
    outcome: str, configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    officer = user("officer_a")
    case = make_case(configured.agency_a, officer, answer_history(outcome))
    seq = case.events.count()
    (kind,) = kinds_for(EventKind.ANSWERED, outcome)
    letter = issue(case, seq, kind, officer)
    data = service.read(letter)
    assert_no_template_syntax(data)
    text = texts(data)
    assert letter.number in text and case.number in text and "2025年3月3日" in text
    article = outcomes.get(outcome).article
    if article is not None and outcome != "confirm_or_reissue":
        assert article in text  # the library's article, cited as it is
        assert article in letter.articles
    assert NEW_REMEDY in text and "六十日内" in text and "六个月内" in text
    assert "人民法院提起行政诉讼" in text
    if outcome == "not_responsible":
        assert "示范区住房和城乡建设局" in text


def test_reply_kinds_group_by_table_three_rows() -> None:
    groups: dict[LetterKind, set[str]] = {}
    for key in ANSWERS:
        groups.setdefault(reply_kind(key), set()).add(outcomes.row_of(key, "2021")[0])
    assert all(len(rows) == 1 for rows in groups.values()), groups
    assert set(groups) == set(REPLIES)
    assert reply_kind("not_responsible") is LetterKind.REPLY_NOT_OURS
    assert reply_kind("not_held") is LetterKind.REPLY_UNABLE  # both d1, different letters
    assert reply_kind("third_party") is LetterKind.REPLY_REFUSED
    assert kinds_for(EventKind.CONSULTATION_STARTED) == (
        LetterKind.CONSULT_THIRD_PARTY,
        LetterKind.CONSULT_AGENCY,
    )
    assert kinds_for(EventKind.WITHDRAWN) == () and kinds_for(EventKind.FEE_PAID) == ()


def test_user_text_is_escaped_not_broken(
    configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    officer = user("officer_a")
    case = make_case(configured.agency_a, officer, [], description="A&B <会议> {{ x }} 纪要")
    data = service.read(issue(case, 1, "receipt", officer))
    assert "A&B <会议> {{ x }} 纪要" in texts(data)  # the applicant's words, verbatim


def test_consultation_letter_names_its_addressee_and_has_a_reply_slip(
    configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    officer = user("officer_a")
    events, _ = HISTORIES[LetterKind.CONSULT_THIRD_PARTY]
    case = make_case(configured.agency_a, officer, events)
    letter = issue(case, 2, "consult_third_party", officer, addressee="示范建设有限公司")
    text = texts(service.read(letter))
    assert "示范建设有限公司：" in text and "王伟：" not in text
    assert "意见回执" in text and "□ 同意公开" in text
    other = issue(make_case(configured.agency_a, officer, events), 2, "consult_agency", officer)
    assert "＿＿＿＿" in texts(service.read(other))  # no addressee: a line to fill by hand


def test_layout_is_large_enough_to_print(
    configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    officer = user("officer_a")
    case = make_case(configured.agency_a, officer, answer_history("disclosed"))
    doc = Document(io.BytesIO(service.read(issue(case, 2, "reply_disclosed", officer))))
    paragraphs = [p for p in doc.paragraphs if p.text.strip()]
    assert paragraphs[0].alignment == 1  # the title, centred
    sizes = [r.font.size for p in paragraphs for r in p.runs if r.text.strip()]
    assert sizes and all(s is not None and s >= Pt(16) for s in sizes)  # ≥ 三号
    # The signing body, then the date (Arabic numerals, 年月日), both right-aligned.
    i = next(i for i, p in enumerate(paragraphs) if p.text == "2025年3月20日")
    assert paragraphs[i - 1].text == "示范区人民政府办公室"
    assert paragraphs[i].alignment == paragraphs[i - 1].alignment == 2


# --- 救济 by date ------------------------------------------------------------------------


def test_remedy_changes_on_2024_01_01(
    configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    officer = user("officer_a")
    old = make_case(
        configured.agency_a, officer, answer_history("disclosed", d(12, 31, 2023)), d(12, 4, 2023)
    )
    new = make_case(
        configured.agency_a, officer, answer_history("disclosed", d(1, 2, 2024)), d(12, 4, 2023)
    )
    a = issue(old, 2, "reply_disclosed", officer)
    b = issue(new, 2, "reply_disclosed", officer)
    ta, tb = texts(service.read(a)), texts(service.read(b))
    assert OLD_REMEDY in ta and NEW_REMEDY not in ta
    assert NEW_REMEDY in tb and "示范市人民政府办公室" not in tb
    assert "remedy.department@2019-05-15" in a.wording
    assert "remedy.department@2024-01-01" in b.wording
    assert a.number == "示范区政办公复〔2023〕1号" and b.number == "示范区政办公复〔2024〕1号"


@pytest.mark.parametrize("on", [d(12, 29, 2023), d(1, 2, 2024)], ids=str)
def test_vertical_body_goes_to_its_superior(
    on: dt.date, configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    LetterSettings.objects.filter(organisation=configured.agency_b).update(
        review_route=ReviewRoute.VERTICAL, superior_body="示范市税务局"
    )
    officer = user("officer_b")
    case = make_case(configured.agency_b, officer, answer_history("not_held", on), d(12, 4, 2023))
    text = texts(service.read(issue(case, 2, "reply_unable", officer)))
    assert "向示范市税务局申请行政复议" in text and "示范区人民政府" not in text


def test_a_date_no_wording_covers_is_an_error_and_spends_nothing(
    configured: demo.DemoOrgs, user: Callable[[str], Any], media: Path
) -> None:
    officer = user("officer_a")
    # Received and answered before the 2019 条例 (and its article numbers) took effect.
    case = make_case(
        configured.agency_a, officer, answer_history("disclosed", d(5, 6, 2019)), d(4, 8, 2019)
    )
    with pytest.raises(service.LetterError, match="没有适用于2019年5月6日的文书措辞"):
        issue(case, 2, "reply_disclosed", officer)
    assert not Letter.objects.exists()
    assert not LetterCounter.objects.filter(last__gt=0).exists()
    assert not list(media.rglob("*.docx"))


def test_missing_setting_is_a_clear_error_and_spends_no_number(
    configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    officer = user("officer_a")
    LetterSettings.objects.filter(organisation=configured.agency_a).update(superior_body="")
    old = make_case(
        configured.agency_a, officer, answer_history("disclosed", d(12, 29, 2023)), d(12, 4, 2023)
    )
    with pytest.raises(service.LetterError, match="上一级主管部门"):
        issue(old, 2, "reply_disclosed", officer)
    LetterSettings.objects.filter(organisation=configured.agency_a).update(superior_body="示范市")
    assert issue(old, 2, "reply_disclosed", officer).number.endswith("〔2023〕1号")


def test_no_settings_no_letter(orgs: demo.DemoOrgs, user: Callable[[str], Any]) -> None:
    case = make_case(orgs.agency_a, user("officer_a"), [])
    with pytest.raises(service.LetterError, match="尚未设置文书参数"):
        issue(case, 1, "receipt", user("officer_a"))


def test_a_kind_the_event_does_not_imply_is_refused(
    configured: demo.DemoOrgs, user: Callable[[str], Any]
) -> None:
    case = make_case(configured.agency_a, user("officer_a"), answer_history("disclosed"))
    with pytest.raises(service.LetterError, match="不需要出具"):
        issue(case, 2, "reply_refused", user("officer_a"))
    with pytest.raises(service.LetterError, match="不需要出具"):
        issue(case, 1, "reply_disclosed", user("officer_a"))
    with pytest.raises(service.LetterError, match="未知的文书种类"):
        issue(case, 1, "nonsense", user("officer_a"))


# --- 文号 counters and stored files --------------------------------------------------------


def test_counter_per_body_and_year(configured: demo.DemoOrgs, user: Callable[[str], Any]) -> None:
    a, b = user("officer_a"), user("officer_b")
    numbers = []
    for _ in range(3):
        numbers.append(issue(make_case(configured.agency_a, a, []), 1, "receipt", a).number)
    assert numbers == [f"示范区政办公复〔2025〕{i}号" for i in (1, 2, 3)]
    # Agency B counts on its own, with its own prefix.
    assert issue(make_case(configured.agency_b, b, []), 1, "receipt", b).number == (
        "示范区教公复〔2025〕1号"
    )
    # A letter dated next year starts that year's count (the year is the letter's date).
    late = make_case(configured.agency_a, a, answer_history("not_held", d(1, 5, 2026)), d(12, 22))
    assert issue(late, 2, "reply_unable", a).number == "示范区政办公复〔2026〕1号"
    assert issue(late, 1, "receipt", a).number == "示范区政办公复〔2025〕4号"
    assert LetterCounter.objects.get(organisation=configured.agency_a, year=2025).last == 4


def test_issuing_again_returns_the_stored_letter(
    configured: demo.DemoOrgs, user: Callable[[str], Any], media: Path
) -> None:
    officer = user("officer_a")
    case = make_case(configured.agency_a, officer, [])
    first, created = service.issue(case, 1, "receipt", officer)
    again, created_again = service.issue(case, 1, "receipt", user("reviewer_a"))
    assert created and not created_again and again.pk == first.pk
    assert again.number == first.number and again.sha256 == first.sha256
    assert LetterCounter.objects.get(organisation=configured.agency_a, year=2025).last == 1
    assert len(list(media.rglob("*.docx"))) == 1


def test_stored_file_hash_and_record(
    configured: demo.DemoOrgs, user: Callable[[str], Any], media: Path
) -> None:
    officer = user("officer_a")
    case = make_case(configured.agency_a, officer, [])
    letter = issue(case, 1, "receipt", officer)
    path = media / letter.file
    assert path.is_file() and letter.file.startswith("letters/")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == letter.sha256
    assert path.stat().st_size == letter.size
    assert letter.case == case and letter.event == case.events.get(seq=1)
    assert letter.issued_by == officer and letter.issued_at is not None
    assert letter.letter_date == RECEIVED


# --- pages and permissions ---------------------------------------------------------------


@pytest.fixture
def issued(configured: demo.DemoOrgs, user: Callable[[str], Any]) -> Letter:
    case = make_case(configured.agency_a, user("officer_a"), answer_history("disclosed"))
    return issue(case, 2, "reply_disclosed", user("officer_a"))


def test_download_checks_permissions(issued: Letter, client_as: Callable[..., Client]) -> None:
    url = f"/letters/{issued.pk}/download/"
    r = client_as("reviewer_a").get(url)
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == service.read(issued)
    assert "attachment" in r["Content-Disposition"]
    assert client_as("supervisor").get(url).status_code == 200  # 公开办 reads
    assert client_as("officer_b").get(url).status_code == 404
    anon = client_as(None).get(url)
    assert anon.status_code == 302 and anon["Location"].startswith("/accounts/login/")


def test_tampered_file_is_refused(
    issued: Letter, client_as: Callable[..., Client], media: Path
) -> None:
    path = media / issued.file
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    r = client_as("officer_a").get(f"/letters/{issued.pk}/download/")
    assert r.status_code == 409
    assert "校验值" in r.content.decode() and "拒绝下载" in r.content.decode()
    api = client_as("officer_a").get(f"/api/v1/cases/{issued.case_id}/letters/{issued.pk}/file")
    assert api.status_code == 409 and "校验值" in api.json()["detail"]
    path.unlink()
    assert client_as("officer_a").get(f"/letters/{issued.pk}/download/").status_code == 409


def test_case_page_lists_and_issues_letters(
    configured: demo.DemoOrgs, user: Callable[[str], Any], client_as: Callable[..., Client]
) -> None:
    case = make_case(configured.agency_a, user("officer_a"), answer_history("disclosed"))
    c = client_as("officer_a")
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert "出具登记回执" in page and "出具答复书（予以公开）" in page
    r = c.post(f"/letters/cases/{case.pk}/issue/", {"event": "2", "kind": "reply_disclosed"})
    assert r.status_code == 302
    letter = Letter.objects.get(case=case)
    page = c.get(f"/cases/{case.pk}/").content.decode()
    assert letter.number in page and f"/letters/{letter.pk}/download/" in page
    assert "已出具" in page
    r = c.post(
        f"/letters/cases/{case.pk}/issue/", {"event": "2", "kind": "reply_disclosed"}, follow=True
    )
    assert "未重新编号" in r.content.decode() and Letter.objects.count() == 1
    r = c.post(f"/letters/cases/{case.pk}/issue/", {"event": "2", "kind": "receipt"}, follow=True)
    assert "不需要出具" in r.content.decode()
    # Read-only users see the letters but no issue button, and may not post one.
    page = client_as("supervisor").get(f"/cases/{case.pk}/").content.decode()
    assert letter.number in page and "出具登记回执" not in page
    r = client_as("supervisor").post(
        f"/letters/cases/{case.pk}/issue/", {"event": "1", "kind": "receipt"}
    )
    assert r.status_code == 403 and Letter.objects.count() == 1


def test_case_page_says_when_settings_are_missing(
    orgs: demo.DemoOrgs, user: Callable[[str], Any], client_as: Callable[..., Client]
) -> None:
    case = make_case(orgs.agency_a, user("officer_a"), [])
    page = client_as("officer_a").get(f"/cases/{case.pk}/").content.decode()
    assert "尚未设置文书参数" in page and "出具登记回执" not in page


# --- API ---------------------------------------------------------------------------------


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_lists_and_issues(
    configured: demo.DemoOrgs, user: Callable[[str], Any], client_as: Callable[..., Client]
) -> None:
    case = make_case(configured.agency_a, user("officer_a"), answer_history("partial"))
    c = client_as("officer_a")
    url = f"/api/v1/cases/{case.pk}/letters"
    listed = c.get(url).json()
    assert listed["items"] == []
    assert {(x["event"], x["kind"]) for x in listed["available"]} == {
        (1, "receipt"),
        (2, "reply_partial"),
    }
    r = post(c, url, {"event": 2, "kind": "reply_partial"})
    assert r.status_code == 201, r.content
    item = r.json()
    assert item["number"] == "示范区政办公复〔2025〕1号" and item["event"] == 2
    assert item["label"] == LABELS[LetterKind.REPLY_PARTIAL]
    assert "《条例》第三十七条" in item["articles"]
    letter = Letter.objects.get(pk=item["id"])
    assert item["sha256"] == letter.sha256
    again = post(c, url, {"event": 2, "kind": "reply_partial"})
    assert again.status_code == 200 and again.json()["number"] == item["number"]
    listed = c.get(url).json()
    assert [x["number"] for x in listed["items"]] == [item["number"]]
    assert [x["kind"] for x in listed["available"]] == ["receipt"]
    f = c.get(item["url"])
    assert f.status_code == 200 and b"".join(f.streaming_content) == service.read(letter)
    # Errors: Chinese, with the conventions' status codes.
    bad = post(c, url, {"event": 2, "kind": "receipt"})
    assert bad.status_code == 422 and "不需要出具" in bad.json()["detail"]
    bad = post(c, url, {"event": 9, "kind": "receipt"})
    assert bad.status_code == 404 and "没有第9个办理事件" in bad.json()["detail"]
    bad = post(c, url, {"event": 1, "kind": "nonsense"})
    assert bad.status_code == 422 and "kind" in bad.json()["detail"]
    assert post(client_as("supervisor"), url, {"event": 1, "kind": "receipt"}).status_code == 403
    assert client_as("officer_b").get(url).status_code == 404
    assert client_as(None).get(url).status_code == 401
    other = make_case(configured.agency_a, user("officer_a"), [])
    assert c.get(f"/api/v1/cases/{other.pk}/letters/{letter.pk}/file").status_code == 404


# --- wording data and templates ----------------------------------------------------------


def _spans(entries: tuple[wording.Entry, ...]) -> Iterator[tuple[dt.date, dt.date | None]]:
    for e in entries:
        yield e.valid_from, e.valid_to


@pytest.mark.parametrize(
    "key",
    [f"letter.{k.value}" for k in LetterKind]
    + [f"ground.{o}" for o in ANSWERS]
    + [f"remedy.{r}" for r in wording.ROUTES],
)
def test_wording_covers_every_piece_without_gaps(key: str) -> None:
    entries = wording.default().entries[key]
    spans = list(_spans(entries))
    first = dt.date(2021, 1, 1) if key == "letter.fee" else dt.date(2019, 5, 15)
    assert spans[0][0] == first and spans[-1][1] is None  # in force since the 条例, and now
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end is not None and start == end + dt.timedelta(days=1)  # contiguous


BAD_WORDING = {
    "overlap": (
        '[[entry]]\nkey = "remedy.vertical"\nvalid_from = 2019-05-15\nsource = "x"\ntext = "a"\n'
        '[[entry]]\nkey = "remedy.vertical"\nvalid_from = 2024-01-01\nsource = "x"\ntext = "b"\n',
        "重叠",
    ),
    "unknown fact": (
        '[[entry]]\nkey = "remedy.vertical"\nvalid_from = 2019-05-15\nsource = "x"\n'
        'text = "向{court}起诉"\n',
        "{court}",
    ),
    "date as text": (
        '[[entry]]\nkey = "remedy.vertical"\nvalid_from = "2019-05-15"\nsource = "x"\ntext = "a"\n',
        "valid_from 应为日期",
    ),
    "unknown key": (
        '[[entry]]\nkey = "letter.postcard"\nvalid_from = 2019-05-15\nsource = "x"\n'
        'title = "t"\narticles = ["《条例》第一条"]\nparagraphs = ["第一条"]\n',
        "postcard",
    ),
    "uncited article": (
        '[[entry]]\nkey = "letter.delay"\nvalid_from = 2019-05-15\nsource = "x"\n'
        'title = "t"\narticles = ["《条例》第三十五条"]\nparagraphs = ["特此告知"]\n',
        "没有引用",
    ),
    "template syntax": (
        '[[entry]]\nkey = "remedy.vertical"\nvalid_from = 2019-05-15\nsource = "x"\n'
        'text = "{{ remedy }}"\n',
        "模板语法",
    ),
    "ends before it starts": (
        '[[entry]]\nkey = "remedy.vertical"\nvalid_from = 2024-01-01\nvalid_to = 2023-12-31\n'
        'source = "x"\ntext = "a"\n',
        "早于",
    ),
    "not toml": ("[[entry]\n", "不是有效的 TOML"),
}


@pytest.mark.parametrize("name", list(BAD_WORDING))
def test_bad_wording_data_is_refused_with_its_place(name: str, tmp_path: Path) -> None:
    text, expected = BAD_WORDING[name]
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    with pytest.raises(wording.WordingError) as e:
        wording.load(tmp_path)
    assert expected in e.value.message and "bad.toml" in e.value.message


def test_templates_are_what_the_build_script_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "build_letter_templates", REPO / "scripts" / "build_letter_templates.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build(tmp_path)
    assert {p.name for p in built} == {*TEMPLATES.values(), template_of(LetterKind.FEE)}
    for p in built:
        assert p.read_bytes() == (service.DOCX_DIR / p.name).read_bytes(), p.name


def test_template_fields_are_known_facts() -> None:
    layout = {"title", "number", "addressee", "paragraphs", "remedy", "signature", "date"}
    for name in {template_of(k) for k in LetterKind}:
        fields = service.template_fields(name)
        assert fields - layout - {"contact"} <= set(wording.FACTS), name
        assert layout <= fields, name


# --- settings page -----------------------------------------------------------------------


def test_settings_page_for_the_body_admin_only(
    orgs: demo.DemoOrgs, user: Callable[[str], Any], client_as: Callable[..., Client]
) -> None:
    from gongkai.web.orgs.models import Membership, Role

    Membership.objects.create(user=user("reviewer_a"), organisation=orgs.agency_a, role=Role.ADMIN)
    url = f"/letters/settings/{orgs.agency_a.pk}/"
    case = make_case(orgs.agency_a, user("officer_a"), [])
    page = client_as("reviewer_a").get(f"/cases/{case.pk}/").content.decode()
    assert url in page  # the missing settings are one click away for the admin
    assert client_as("officer_a").get(url).status_code == 403
    assert client_as("officer_b").get(url).status_code == 404
    c = client_as("reviewer_a")
    bad = c.post(url, {"number_prefix": "示范区政办公复〔2025〕", "review_route": "department"})
    assert bad.status_code == 200 and not LetterSettings.objects.exists()
    text = bad.content.decode()
    assert "只填前缀" in text and "须填写行政复议机关" in text
    ok = c.post(
        url,
        {
            "number_prefix": "示范区政办公复",
            "review_route": "department",
            "review_body": "示范区人民政府",
        },
    )
    assert ok.status_code == 302
    s = LetterSettings.objects.get(organisation=orgs.agency_a)
    assert s.number_prefix == "示范区政办公复" and not s.vertical
    assert issue(case, 1, "receipt", user("officer_a")).number == "示范区政办公复〔2025〕1号"


def test_demo_loads_letter_settings(db: Any) -> None:
    orgs, _ = demo.load(0)
    a = LetterSettings.objects.get(organisation=orgs.agency_a)
    b = LetterSettings.objects.get(organisation=orgs.agency_b)
    assert (a.number_prefix, b.number_prefix) == ("示范区政办公复", "示范区教公复")
    demo.load(0)  # idempotent
    assert LetterSettings.objects.count() == 2
