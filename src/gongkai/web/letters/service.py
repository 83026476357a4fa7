"""Issuing, storing and reading letters. Views and the API call these; permissions are
checked by the callers through :mod:`gongkai.web.permissions`.

* :func:`implied` — the letters each event of a case calls for, and those already issued;
* :func:`issue` — compose, number, render and store one letter, in one transaction: the case
  row and the body's 文号 counter for the year are locked (``select_for_update``), so two
  officers never get the same number and a failed letter spends none. A letter already
  issued for the same (event, kind) is returned as it is — no second number, no new file;
* :func:`read` — the stored file, refused if its sha256 is not the one recorded.

Every fact in a letter comes from the case's stored rows replayed through the register
(:mod:`gongkai.web.cases.register`): the reply deadline is :func:`gongkai.register.cases.due_date`
of the history up to the letter's event, the end of a consultation period is the register's
own ``add_workdays`` over :data:`~gongkai.register.deadlines.CONSULTATION_WORKDAYS`, the fee
basis and payment period are the library's constants. Nothing is recomputed here.
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.db import transaction
from docxtpl import DocxTemplate

from gongkai.errors import GongkaiError
from gongkai.formats import outcomes
from gongkai.register import deadlines as dl
from gongkai.register.case_deadlines import FEE_MEASURES, FEE_PAYMENT_WORKDAYS
from gongkai.register.cases import EVENT_LABELS, Application, EventKind
from gongkai.workdays import default_calendar
from gongkai.workdays.datafile import format_date

from ..cases import register
from ..cases.models import Case, CaseEvent
from .kinds import LABELS, REPLIES, TO_OTHERS, LetterKind, kinds_for, template_of
from .models import Letter, LetterCounter, LetterSettings
from .wording import Entry, Wording, WordingError, default, fill, placeholders

DOCX_DIR = Path(__file__).with_name("docx")
BLANK = "＿" * 10  # a line to fill in by hand when the register holds no text for it
STORE = "letters"  # under MEDIA_ROOT


class LetterError(Exception):
    """A letter that cannot be issued; ``message`` is Chinese, ``status`` the HTTP status."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class LetterFileError(Exception):
    """A stored letter file that is missing or no longer matches its sha256."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def number_of(prefix: str, year: int, seq: int) -> str:
    """The 文号: ``示范区政办公复〔2025〕12号``."""
    return f"{prefix}〔{year}〕{seq}号"


# --- what a case calls for --------------------------------------------------------------


@dataclass(frozen=True)
class Implied:
    event: CaseEvent
    kind: LetterKind
    letter: Letter | None

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def event_label(self) -> str:
        return EVENT_LABELS[EventKind(self.event.kind)]


def implied(case: Case, rows: list[CaseEvent] | None = None) -> list[Implied]:
    """Every letter the case's events call for, in event order, with the issued one if any."""
    rows = list(case.events.order_by("seq")) if rows is None else rows
    issued = {(x.event_id, x.kind): x for x in Letter.objects.filter(case=case)}
    return [
        Implied(row, kind, issued.get((row.pk, kind.value)))
        for row in rows
        for kind in kinds_for(row.kind, row.outcome)
    ]


# --- composing --------------------------------------------------------------------------


class Facts(Mapping[str, str]):
    """The facts of one letter, computed when a wording or template asks for them."""

    def __init__(self, values: dict[str, Callable[[], str]]) -> None:
        self._values = values
        self._done: dict[str, str] = {}

    def __getitem__(self, name: str) -> str:
        if name not in self._done:
            self._done[name] = self._values[name]()
        return self._done[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


def _date(d: Any) -> str:
    return format_date(d) if d is not None else BLANK


def _required(value: str, what: str) -> str:
    if not value.strip():
        raise LetterError(f"请先在本机关的文书设置中填写「{what}」，未出具文书")
    return value


def facts(
    case: Case,
    app: Application,
    event: CaseEvent,
    s: LetterSettings,
    number: str,
) -> Facts:
    """The facts of a letter for ``event``; ``app`` is the case replayed up to that event."""

    def due() -> str:
        d = register.deadline(app)
        if d is None:
            raise LetterError(
                "无法计算答复期限（工作日历未覆盖该年度，或尚无期限），未出具文书；"
                "请在工作日历更新后再出具"
            )
        return format_date(d.due)

    def consult_due() -> str:
        try:
            cal = default_calendar()
            return format_date(dl.add_workdays(cal, event.on, dl.CONSULTATION_WORKDAYS))
        except GongkaiError as e:
            raise LetterError(f"无法计算征求意见期限：{e}，未出具文书") from None

    outcome = outcomes.BY_KEY.get(event.outcome or "")

    def article() -> str:
        if outcome is None or outcome.article is None:
            raise LetterError(f"办理结果「{event.get_outcome_display()}」没有可引用的条款")
        return outcome.article

    values: dict[str, Callable[[], str]] = {
        "org": s.signing_name,
        "number": lambda: number,
        "date": lambda: format_date(event.on),
        "case_number": lambda: case.number,
        "applicant": lambda: case.applicant_name or "申请人",
        "received": lambda: _date(app.received),
        "channel": lambda: case.channel,
        "description": lambda: case.description.strip().rstrip("。") or BLANK,
        "form": case.get_requested_form_display,
        "due": due,
        "reply_days": lambda: str(dl.REPLY_WORKDAYS),
        "note": lambda: event.note.strip().rstrip("。") or BLANK,
        "days": lambda: str(event.days),
        "until": lambda: _date(event.until),
        "amount": lambda: f"{event.amount:.2f}" if event.amount is not None else BLANK,
        "fee_basis": lambda: FEE_MEASURES,
        "payment_days": lambda: str(FEE_PAYMENT_WORKDAYS),
        "payment": lambda: s.payment.strip().rstrip("。") or BLANK,
        "consult_days": lambda: str(dl.CONSULTATION_WORKDAYS),
        "consult_due": consult_due,
        "supplement_requested": lambda: _date(app.supplement_requested),
        "supplement_received": lambda: _date(app.supplement_received),
        "article": article,
        "outcome": lambda: outcome.label if outcome else BLANK,
        "review_body": lambda: _required(s.review_body, "行政复议机关（本级人民政府）"),
        "superior_body": lambda: _required(s.superior_body, "上一级主管部门或上一级人民政府"),
    }
    return Facts(values)


@dataclass(frozen=True)
class Composed:
    title: str
    context: dict[str, Any]
    articles: list[str]
    wording: list[str]


@cache
def template_fields(name: str) -> frozenset[str]:
    return frozenset(DocxTemplate(DOCX_DIR / name).get_undeclared_template_variables())


def compose(
    kind: LetterKind,
    case: Case,
    app: Application,
    event: CaseEvent,
    s: LetterSettings,
    number: str,
    addressee: str = "",
    wording: Wording | None = None,
) -> Composed:
    """Title, docxtpl context, cited articles and the wording used, for one letter."""
    w = wording or default()
    f = facts(case, app, event, s, number)
    on = event.on
    try:
        letter: Entry = w.choose(f"letter.{kind.value}", on)
        used = [letter.id]
        extra: dict[str, str] = {}
        remedy = ""
        articles = list(letter.articles)
        if kind in REPLIES:
            ground = w.choose(f"ground.{event.outcome}", on)
            extra["ground"] = fill(ground.text, f)
            used.append(ground.id)
            if "article" in placeholders(ground.text):
                articles.append(f["article"])
            route = w.choose(f"remedy.{s.review_route}", on)
            remedy = fill(route.text, f)
            used.append(route.id)
    except WordingError as e:
        raise LetterError(e.message) from None
    merged = _Merged(f, extra)
    paragraphs = [fill(p, merged) for p in letter.paragraphs]
    to = addressee.strip() or (BLANK if kind in TO_OTHERS else f["applicant"])
    context: dict[str, Any] = {
        "title": letter.title,
        "number": number,
        "addressee": to,
        "paragraphs": paragraphs,
        "remedy": remedy,
        "signature": f["org"],
        "date": f["date"],
        "contact": s.contact.strip(),
    }
    for name in template_fields(template_of(kind)) - set(context):
        context[name] = f[name]
    return Composed(letter.title, context, articles, used)


class _Merged(Mapping[str, str]):
    def __init__(self, facts: Mapping[str, str], extra: Mapping[str, str]) -> None:
        self._facts, self._extra = facts, extra

    def __getitem__(self, name: str) -> str:
        if name in self._extra:
            return self._extra[name]
        if name == "ground":
            raise LetterError("只有答复书可以引用答复理由（{ground}）")
        return self._facts[name]

    def __iter__(self) -> Iterator[str]:
        return iter({*self._facts, *self._extra})

    def __len__(self) -> int:
        return len({*self._facts, *self._extra})


def render(kind: LetterKind, context: Mapping[str, Any]) -> bytes:
    """The DOCX bytes of a letter (values are XML-escaped by docxtpl's autoescape)."""
    tpl = DocxTemplate(DOCX_DIR / template_of(kind))
    tpl.render(dict(context), autoescape=True)
    buf = io.BytesIO()
    tpl.save(buf)
    return buf.getvalue()


# --- issuing and reading ----------------------------------------------------------------


def media_root() -> Path:
    return Path(django_settings.MEDIA_ROOT)


def _store(org_id: int, year: int, seq: int, kind: LetterKind, data: bytes) -> str:
    name = f"{seq:05d}-{kind.value}-{secrets.token_hex(4)}.docx"
    rel = Path(STORE) / str(org_id) / str(year) / name
    path = media_root() / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "xb") as out:  # never overwrite a stored letter
        out.write(data)
    return rel.as_posix()


def issue(
    case: Case, event_seq: int, kind: LetterKind | str, user: Any, addressee: str = ""
) -> tuple[Letter, bool]:
    """Issue the ``kind`` letter of the case's event ``event_seq``; (letter, created).

    Raises :class:`LetterError` (Chinese message; nothing written, no number spent)."""
    try:
        kind = LetterKind(kind)
    except ValueError:
        raise LetterError(f"未知的文书种类「{kind}」") from None
    written: Path | None = None
    try:
        with transaction.atomic():
            # Lock the case row only (PostgreSQL would otherwise lock the joined body too).
            case = (
                Case.objects.select_for_update(of=("self",))
                .select_related("organisation")
                .get(pk=case.pk)
            )
            rows = list(case.events.order_by("seq"))
            event = next((r for r in rows if r.seq == event_seq), None)
            if event is None:
                raise LetterError(f"该申请没有第{event_seq}个办理事件", 404)
            if kind not in kinds_for(event.kind, event.outcome):
                raise LetterError(
                    f"「{EVENT_LABELS[EventKind(event.kind)]}」不需要出具「{LABELS[kind]}」"
                )
            existing = Letter.objects.filter(event=event, kind=kind.value).first()
            if existing is not None:
                return existing, False
            s = LetterSettings.objects.filter(organisation=case.organisation).first()
            if s is None or not s.number_prefix.strip():
                raise LetterError(
                    f"「{case.organisation.name}」尚未设置文书参数（文号前缀、行政复议机关），"
                    "请机关管理员先在“文书设置”中填写"
                )
            year = event.on.year
            counter, _ = LetterCounter.objects.select_for_update().get_or_create(
                organisation=case.organisation, year=year
            )
            counter.last += 1
            counter.save(update_fields=["last"])
            number = number_of(s.number_prefix.strip(), year, counter.last)
            app = register.application(case, rows[: rows.index(event) + 1])
            composed = compose(kind, case, app, event, s, number, addressee)
            data = render(kind, composed.context)
            rel = _store(case.organisation_id, year, counter.last, kind, data)
            written = media_root() / rel
            letter = Letter.objects.create(
                organisation=case.organisation,
                case=case,
                event=event,
                kind=kind.value,
                year=year,
                seq=counter.last,
                number=number,
                title=composed.title,
                letter_date=event.on,
                addressee=composed.context["addressee"],
                articles=composed.articles,
                wording=composed.wording,
                file=rel,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                issued_by=user,
            )
    except BaseException:
        if written is not None:
            written.unlink(missing_ok=True)
        raise
    return letter, True


def read(letter: Letter) -> bytes:
    """The stored file of ``letter``, checked against its recorded sha256."""
    try:
        data = (media_root() / letter.file).read_bytes()
    except FileNotFoundError:
        raise LetterFileError(
            f"文书 {letter.number} 的文件缺失，无法下载；请联系系统管理员从备份恢复"
        ) from None
    if hashlib.sha256(data).hexdigest() != letter.sha256:
        raise LetterFileError(
            f"文书 {letter.number} 的文件与出具时记录的校验值（SHA-256）不符，可能已被改动，"
            "拒绝下载；请联系系统管理员核查"
        )
    return data


def filename(letter: Letter) -> str:
    return f"{letter.number}{letter.title}.docx"


__all__ = ["Implied", "LetterError", "LetterFileError", "implied", "issue", "read"]
