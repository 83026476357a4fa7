"""The public JSON API, without login (mounted at ``/api/v1/public/`` by :mod:`gongkai.web.api`;
same renderer and Chinese errors). Stable for scripts:

* ``GET /public/agencies`` → ``{"items": [{"id", "name", "guide_updated", "accepts_online"}],
  "count"}`` — the bodies on the public side, like the other list operations;
* ``POST /public/applications`` with ``agency``, ``applicant``, ``name``, ``phone``,
  ``description`` (and optionally the identity, contact, ``requested_form`` and ``purpose``
  fields of the form) → 201 ``{"tracking_code", "state", "submitted"}``; a repeat of a submission
  still awaiting confirmation (same body, applicant, phone and description, or the same
  ``Idempotency-Key`` header) → 200 with the first one's code;
* ``GET /public/applications/{code}?phone=…`` → ``{"state", …}`` (:func:`.intake.status`);
  404 for a wrong code or a wrong phone alike.

No session, so no CSRF: these operations have ``auth=None``, and django-ninja checks CSRF only
inside its cookie/session authentication (its views are exempt from Django's middleware). The
challenge of the web form is not asked here (a script cannot answer a question meant for
people); what bounds the API is the per-address rate limit it shares with the form
(:mod:`.throttle`: ``apply`` for submissions, ``track`` for look-ups) — 429 with a Chinese
message and ``Retry-After`` — and the office's confirmation before anything enters the register.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router, Schema, Status
from ninja.errors import HttpError

from gongkai.register.cases import ApplicantType

from .. import permissions
from ..cases.models import RequestedForm
from . import guides, identity, intake, throttle
from .models import IdType

router = Router(auth=None, tags=["public"])


class RateLimited(Exception):
    def __init__(self, wait: int) -> None:
        super().__init__(throttle.message(wait))
        self.wait = wait


def install(api: NinjaAPI) -> None:
    """Mount the router and the 429 handler on the application's API."""

    @api.exception_handler(RateLimited)
    def _limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = api.create_response(request, {"detail": str(exc)}, status=429)
        response["Retry-After"] = str(exc.wait)
        return response

    api.add_router("/public", router)


def _throttle(request: HttpRequest, bucket: str) -> None:
    wait = throttle.hit(request, bucket)
    if wait is not None:
        raise RateLimited(wait)


class AgencyItem(Schema):
    id: int
    name: str
    guide_updated: dt.date | None
    accepts_online: bool


class AgencyPage(Schema):
    items: list[AgencyItem]
    count: int


class ApplicationIn(Schema):
    agency: int
    applicant: ApplicantType
    name: str
    phone: str
    description: str
    id_type: IdType | None = None
    id_number: str = ""
    uscc: str = ""
    legal_rep: str = ""
    contact_person: str = ""
    email: str = ""
    address: str = ""
    postcode: str = ""
    requested_form: RequestedForm = RequestedForm.EMAIL
    purpose: str = ""


class Submitted(Schema):
    tracking_code: str
    state: str
    submitted: dt.datetime


class PublicEvent(Schema):
    kind: str
    label: str
    on: dt.date


class StatusOut(Schema):
    tracking_code: str
    agency: int
    agency_name: str
    state: str
    state_label: str
    submitted: dt.datetime
    phone: str  # masked
    description: str
    number: str | None
    confirmed: dt.date | None
    due: dt.date | None
    closed: dt.date | None
    outcome: str | None
    outcome_label: str | None
    reject_reason: str
    events: list[PublicEvent]


class Message(Schema):
    detail: str


class FieldProblem(Schema):
    field: str
    message: str


class Problems(Schema):
    detail: str
    errors: list[FieldProblem]


@router.get("/agencies", response=AgencyPage, url_name="public_agencies")
def list_agencies(request: HttpRequest) -> dict[str, Any]:
    items = []
    for org in permissions.public_agencies():
        g = guides.current(org)
        items.append(
            {
                "id": org.pk,
                "name": org.name,
                "guide_updated": g.updated if g else None,
                "accepts_online": g is None or g.accepts_online(),
            }
        )
    return {"items": items, "count": len(items)}


def _problems(p: ApplicationIn) -> list[dict[str, str]]:
    errors = []

    def bad(field: str, message: str) -> None:
        errors.append({"field": field, "message": message})

    if not p.name.strip():
        bad("name", "请填写姓名或名称")
    if not p.description.strip():
        bad("description", "请填写所需信息的名称、文号或特征性描述（《条例》第二十九条）")
    problem = identity.phone_problem(p.phone)
    if problem:
        bad("phone", problem)
    if p.id_number.strip() and p.id_type is IdType.RESIDENT:
        problem = identity.id_card_problem(p.id_number)
        if problem:
            bad("id_number", problem)
    if p.uscc.strip():
        problem = identity.uscc_problem(p.uscc)
        if problem:
            bad("uscc", problem)
    if p.postcode.strip() and not (p.postcode.strip().isdigit() and len(p.postcode.strip()) == 6):
        bad("postcode", "邮政编码应为6位数字")
    for field, limit in (
        ("name", 200),
        ("phone", 40),
        ("description", 5000),
        ("email", 200),
        ("address", 300),
        ("purpose", 1000),
        ("legal_rep", 100),
        ("contact_person", 100),
        ("id_number", 40),
    ):
        if len(getattr(p, field)) > limit:
            bad(field, f"不能超过{limit}个字")
    return errors


@router.post(
    "/applications",
    response={200: Submitted, 201: Submitted, 422: Problems | Message, 429: Message},
    url_name="public_apply",
)
def submit_application(request: HttpRequest, payload: ApplicationIn) -> Status[dict[str, Any]]:
    _throttle(request, "apply")
    org = permissions.public_agencies().filter(pk=payload.agency).first()
    if org is None:
        raise HttpError(422, "没有该机关，或该机关未在公开平台提供在线申请（agency）")
    current = guides.current(org)
    if current is not None and not current.accepts_online():
        raise HttpError(422, "该机关的公开指南未列出网络申请渠道，请按指南所列方式提交")
    errors = _problems(payload)
    if errors:
        summary = "；".join(f"{e['field']}：{e['message']}" for e in errors)
        return Status(422, {"detail": f"请求数据有误：{summary}", "errors": errors})
    s = intake.Submission(
        applicant_type=payload.applicant.value,
        name=payload.name,
        phone=payload.phone,
        description=payload.description,
        id_type=payload.id_type.value if payload.id_type else "",
        id_number=payload.id_number,
        uscc=payload.uscc,
        legal_rep=payload.legal_rep,
        contact_person=payload.contact_person,
        email=payload.email,
        address=payload.address,
        postcode=payload.postcode,
        requested_form=payload.requested_form.value,
        purpose=payload.purpose,
    )
    key = request.headers.get("Idempotency-Key")
    app, created = intake.submit(org, s, key=f"api:{key}" if key else None, via="api")
    body = {"tracking_code": app.tracking_code, "state": app.state, "submitted": app.submitted_at}
    return Status(201 if created else 200, body)


@router.get(
    "/applications/{code}",
    response={200: StatusOut, 404: Message, 429: Message},
    url_name="public_track",
)
def track_application(request: HttpRequest, code: str, phone: str = "") -> Any:
    _throttle(request, "track")
    app = intake.find(code, phone)
    if app is None:
        return Status(404, {"detail": "未找到：查询号或联系电话不正确"})
    return intake.status(app).as_dict()
