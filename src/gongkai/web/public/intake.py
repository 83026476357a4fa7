"""Online applications: submit (idempotent), confirm into the register, reject, and the status
an applicant may see. The pages and the API both call these functions.

What :func:`status` returns is everything the tracking page and ``GET /api/v1/public/
applications/{code}`` show: the states and their dates, from the submission and the linked
case's stored fields and events — never an event's note, its 经办人, who recorded it, amounts,
or anything of another application.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from gongkai.formats import outcomes
from gongkai.register.cases import EVENT_LABELS, STATE_LABELS, EventKind, State

from ..cases import register
from ..cases.models import Case
from ..orgs.models import Organisation
from . import identity, tracking
from .models import IdType, OnlineApplication, SubmissionState


@dataclass(frozen=True)
class Submission:
    """What an applicant submits (the form's or the API's cleaned data)."""

    applicant_type: str
    name: str
    phone: str
    description: str
    id_type: str = ""
    id_number: str = ""
    uscc: str = ""
    legal_rep: str = ""
    contact_person: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    requested_form: str = "email"
    purpose: str = ""


def fingerprint(org: Organisation, s: Submission) -> str:
    parts = [
        str(org.pk),
        s.applicant_type,
        " ".join(s.name.split()),
        identity.phone_digits(s.phone),
        " ".join(s.description.split()),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def duplicate_window() -> dt.timedelta:
    return dt.timedelta(seconds=int(getattr(settings, "PUBLIC_DUPLICATE_WINDOW", 24 * 3600)))


def submit(
    org: Organisation, s: Submission, *, key: str | None = None, via: str = "form"
) -> tuple[OnlineApplication, bool]:
    """Store a submission awaiting confirmation. Returns (it, created): a second submission
    with the same ``key`` (the form's challenge nonce, the API's Idempotency-Key), or with the
    same 机关, applicant, telephone and description while the first still awaits confirmation
    (within ``PUBLIC_DUPLICATE_WINDOW`` seconds, default a day), returns the first."""
    fp = fingerprint(org, s)
    digest = hashlib.sha256(key.encode()).hexdigest() if key else None
    if digest:
        found = OnlineApplication.objects.filter(submission_key=digest).first()
        if found is not None:
            return found, False
    since = timezone.now() - duplicate_window()
    found = OnlineApplication.objects.filter(
        organisation=org, fingerprint=fp, state=SubmissionState.PENDING, submitted_at__gte=since
    ).first()
    if found is not None:
        return found, False
    for _ in range(5):
        try:
            with transaction.atomic():
                app = OnlineApplication.objects.create(
                    organisation=org,
                    tracking_code=tracking.new_code(),
                    submission_key=digest,
                    fingerprint=fp,
                    via=via,
                    applicant_type=s.applicant_type,
                    name=s.name.strip(),
                    id_type=s.id_type,
                    id_number=identity.clean(s.id_number).upper(),
                    uscc=identity.clean(s.uscc).upper(),
                    legal_rep=s.legal_rep.strip(),
                    contact_person=s.contact_person.strip(),
                    phone=identity.clean(s.phone),
                    phone_digits=identity.phone_digits(s.phone),
                    email=s.email.strip(),
                    address=s.address.strip(),
                    postcode=s.postcode.strip(),
                    description=s.description.strip(),
                    requested_form=s.requested_form,
                    purpose=s.purpose.strip(),
                )
            return app, True
        except IntegrityError:
            # The same key submitted twice at once (the first won), or — once in 10**17 — a
            # tracking code already taken: look again, else draw a new code.
            if digest:
                found = OnlineApplication.objects.filter(submission_key=digest).first()
                if found is not None:
                    return found, False
    raise RuntimeError("无法生成查询号，请重试")


def find(code: str, phone: str) -> OnlineApplication | None:
    """The submission with this 查询号 and telephone number, or None — the same None for a wrong
    code and for a wrong phone (the page must not tell which)."""
    app = (
        OnlineApplication.objects.select_related("organisation", "case")
        .filter(tracking_code=tracking.normalise(code))
        .first()
    )
    digits = identity.phone_digits(phone)
    stored = app.phone_digits if app is not None else "0" * 11
    # compare in constant time even when no code matched
    same = hashlib.sha256(digits.encode()).digest() == hashlib.sha256(stored.encode()).digest()
    return app if app is not None and same and digits else None


# --- the office's decision ----------------------------------------------------------------


class DecisionError(Exception):
    """A confirmation or rejection that cannot be made (Chinese message; nothing written)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _pending(app: OnlineApplication) -> None:
    if app.state != SubmissionState.PENDING:
        label = SubmissionState(app.state).label
        raise DecisionError(f"该在线申请已处理（{label}），未作改动")


def contact_of(app: OnlineApplication) -> str:
    """The case's 联系方式 (200 characters): phone, e-mail, address as far as they fit."""
    parts = [app.phone, app.email, " ".join(p for p in (app.postcode, app.address) if p)]
    contact = ""
    for p in filter(None, parts):
        nxt = f"{contact}；{p}" if contact else p
        if len(nxt) > 200:
            break
        contact = nxt
    return contact


def intake_note(app: OnlineApplication) -> str:
    """The 收到申请 event's note: where it came from and what the case row has no field for."""
    facts = [f"在线申请，查询号 {tracking.display(app.tracking_code)}"]
    if app.id_type:
        facts.append(f"证件类型：{IdType(app.id_type).label}")
    if app.uscc:
        facts.append(f"统一社会信用代码：{app.uscc}")
    if app.legal_rep:
        facts.append(f"法定代表人：{app.legal_rep}")
    if app.contact_person:
        facts.append(f"联系人：{app.contact_person}")
    if app.email:
        facts.append(f"电子邮箱：{app.email}")
    if app.address:
        facts.append(
            f"通信地址：{app.address}" + (f"（邮编 {app.postcode}）" if app.postcode else "")
        )
    if app.purpose:
        facts.append(f"用途：{app.purpose}")
    return "；".join(facts)


def confirm(app_id: int, on: dt.date, user: Any) -> OnlineApplication:
    """Confirm receipt (条例 第三十一条第（三）项: 双方确认之日 = 收到申请之日): the register case
    is created with channel 网络 and received = ``on``, and linked. One transaction; a second
    confirmation is refused (:class:`DecisionError`), so one submission makes one case."""
    with transaction.atomic():
        app = (
            OnlineApplication.objects.select_for_update()
            .select_related("organisation")
            .get(pk=app_id)
        )
        _pending(app)
        submitted = timezone.localdate(app.submitted_at)
        if on < submitted:
            raise DecisionError(f"确认之日不能早于提交之日（{submitted:%Y-%m-%d}）")
        if on > timezone.localdate():
            raise DecisionError("确认之日不能晚于今天")
        case = register.create_case(
            app.organisation,
            register.Intake(
                channel="网络",
                applicant_type=app.applicant_type,
                received=on,
                description=app.description,
                applicant_name=app.name,
                applicant_contact=contact_of(app),
                applicant_id_number=app.id_number or app.uscc,
                requested_form=app.requested_form,
                note=intake_note(app),
            ),
            user,
        )
        app.case = case
        app.state = SubmissionState.CONFIRMED
        app.confirmed_on = on
        app.decided_at = timezone.now()
        app.decided_by = user
        app.save(update_fields=["case", "state", "confirmed_on", "decided_at", "decided_by"])
    return app


def reject(app_id: int, reason: str, user: Any) -> OnlineApplication:
    """Not an application for government information (e.g. a complaint, a blank or abusive
    submission): the reason is shown to the applicant on the tracking page."""
    with transaction.atomic():
        app = OnlineApplication.objects.select_for_update().get(pk=app_id)
        _pending(app)
        if not reason.strip():
            raise DecisionError("请填写不作为政府信息公开申请处理的理由（将告知申请人）")
        app.state = SubmissionState.REJECTED
        app.reject_reason = reason.strip()
        app.decided_at = timezone.now()
        app.decided_by = user
        app.save(update_fields=["state", "reject_reason", "decided_at", "decided_by"])
    return app


# --- what the applicant sees --------------------------------------------------------------

PENDING_NOTE = (
    "机关确认收到后，以双方确认之日为收到申请之日（《条例》第三十一条第（三）项），"
    "答复期限自该日起计算"
)


@dataclass
class Status:
    tracking_code: str
    agency: int
    agency_name: str
    state: str  # pending | rejected | a register State value
    state_label: str
    submitted: dt.datetime
    phone: str  # masked
    description: str
    number: str | None = None  # 登记号, once confirmed
    confirmed: dt.date | None = None  # 收到申请之日
    due: dt.date | None = None
    closed: dt.date | None = None
    outcome: str | None = None
    outcome_label: str | None = None
    reject_reason: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def status(app: OnlineApplication) -> Status:
    s = Status(
        tracking_code=app.tracking_code,
        agency=app.organisation_id,
        agency_name=app.organisation.name,
        state=app.state,
        state_label=SubmissionState(app.state).label,
        submitted=timezone.localtime(app.submitted_at),
        phone=identity.mask_phone(app.phone),
        description=app.description,
    )
    if app.state == SubmissionState.REJECTED:
        s.reject_reason = app.reject_reason
        return s
    case: Case | None = app.case
    if case is None:
        return s
    s.state = case.state
    s.state_label = STATE_LABELS[State(case.state)]
    s.number = case.number
    s.confirmed = case.received
    s.due = case.due if case.state != State.CLOSED else None
    s.closed = case.closed
    if case.outcome:
        s.outcome = case.outcome
        s.outcome_label = (
            outcomes.BY_KEY[case.outcome].label if case.outcome in outcomes.BY_KEY else None
        )
    # Kinds and dates only: no note, no 经办人, no recorder, no amount.
    s.events = [
        {"kind": kind, "label": EVENT_LABELS[EventKind(kind)], "on": on}
        for kind, on in case.events.order_by("seq").values_list("kind", "on")
    ]
    return s
