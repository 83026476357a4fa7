"""The JSON API at ``/api/v1/`` (django-ninja). Session auth (CSRF on unsafe methods) for the
browser, ``Authorization: Bearer <token>`` for scripts. Every rule comes from
:mod:`gongkai.register`; every permission from :mod:`.permissions`.

Stable for scripts: ``GET/POST /cases``, ``GET /cases/{id}``, ``POST /cases/{id}/events``,
``GET/POST /cases/{id}/letters``, ``GET /cases/{id}/letters/{letter_id}/file``,
``GET /catalogue``, ``GET /catalogue/{id}``, ``GET/POST /appeals``, ``GET/PATCH /appeals/{id}``
(reconsideration and litigation, 表四), and the public operations without login under
``/public/`` (:mod:`.public.api`).
``/api/v1/docs`` is the interactive docs page (the vendored Swagger UI, :mod:`.apidocs`; nothing
from a CDN) and ``/api/v1/openapi.json`` the schema, both for logged-in users.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth

from gongkai.register.cases import ApplicantType, Channel, Event, EventKind, RegisterError, State
from gongkai.register.deadlines import DeadlineError
from gongkai.register.reviews import PENDING, ReviewKind, ReviewResult, kind_label, result_label

from . import permissions
from .apidocs import OfflineSwagger
from .appeals import queries as appeal_queries
from .appeals import service as appeal_service
from .appeals.models import Appeal
from .cases import queries, register
from .cases.masking import mask_id
from .cases.models import Case, CaseEvent, RequestedForm
from .catalogue import queries as catalogue_queries
from .catalogue.models import CatalogueItem
from .letters import service as letters
from .letters.kinds import LABELS as LETTER_LABELS
from .letters.kinds import LetterKind
from .letters.models import Letter
from .letters.views import file_response
from .orgs.models import Organisation, Token
from .reports.api import router as reports_router
from .supervise.api import router as supervise_router
from .supervise.stats_api import router as stats_router


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = Token.user_for(token)
        if user is not None:
            request.user = user
        return user


class Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # noqa: RUF012  (Chinese as UTF-8, not \\u escapes)


api = NinjaAPI(
    renderer=Renderer(),
    title="gongkai 依申请公开登记接口",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), SessionAuth()],
    docs=OfflineSwagger(),
    docs_url="/docs",
    docs_decorator=login_required,  # the schema too: every URL but login and healthz needs one
)
api.add_router("/reports", reports_router)  # /reports…: the annual reports (reports/api.py)
# /ingest…, /ingested/{id} and /stats: the supervisor's side (supervise/api.py, stats_api.py).
api.add_router("", supervise_router)
api.add_router("", stats_router)


# --- errors, in Chinese -----------------------------------------------------------------

_PYDANTIC_CN = {
    "missing": "缺少此项",
    "enum": "取值不在可选范围内",
    "literal_error": "取值不在可选范围内",
    "date_from_datetime_parsing": "日期应写成 YYYY-MM-DD",
    "date_parsing": "日期应写成 YYYY-MM-DD",
    "date_type": "日期应写成 YYYY-MM-DD",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "decimal_parsing": "应为数字",
    "string_type": "应为文字",
    "model_attributes_type": "请求体应为 JSON 对象",
}


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for e in exc.errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "payload", "query")]
        what = _PYDANTIC_CN.get(str(e.get("type")), "格式有误")
        if e.get("type") == "enum" and "ctx" in e:
            what += f"（可选：{e['ctx'].get('expected', '')}）"
        errors.append({"field": ".".join(loc), "message": what})
    summary = "；".join(f"{x['field'] or '请求'}：{x['message']}" for x in errors)
    return api.create_response(
        request, {"detail": f"请求数据有误：{summary}", "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "请先登录，或提供有效的接口令牌"}, status=401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "找不到该申请，或无权查看"}, status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = str(exc)
    if "CSRF" in message:
        message = "CSRF 校验失败：请刷新页面后重试（脚本请使用接口令牌）"
    elif not any("\u4e00" <= ch <= "\u9fff" for ch in message):
        message = "请求无法解析（应为 JSON）" if exc.status_code == 400 else "请求被拒绝"
    return api.create_response(request, {"detail": message}, status=exc.status_code)


# --- schemas ----------------------------------------------------------------------------


class CaseItem(Schema):
    id: int
    number: str
    state: State
    received: dt.date
    due: dt.date | None
    channel: Channel
    applicant: ApplicantType
    organisation: int
    applicant_name: str
    applicant_id: str  # masked
    outcome: str | None
    closed: dt.date | None


class EventOut(Schema):
    kind: EventKind
    on: dt.date
    note: str
    by: str
    recorded_at: dt.datetime
    outcome: str | None = None
    days: int | None = None
    until: dt.date | None = None
    amount: Decimal | None = None


class CaseDetail(CaseItem):
    version: int
    description: str
    requested_form: str
    allowed: list[EventKind]
    events: list[EventOut]


class CasePage(Schema):
    items: list[CaseItem]
    count: int


class CaseIn(Schema):
    channel: Channel
    applicant: ApplicantType
    received: dt.date
    description: str
    applicant_name: str = ""
    applicant_contact: str = ""
    applicant_id_number: str = ""
    requested_form: RequestedForm = RequestedForm.PAPER
    organisation: int | None = None


class EventIn(Schema):
    kind: EventKind
    on: dt.date
    version: int
    outcome: str | None = None
    days: int = 0
    until: dt.date | None = None
    amount: Decimal | None = None
    note: str = ""
    by: str = ""


class Message(Schema):
    detail: str


# 结果维持 / 结果纠正 / 其他结果 (the library's ReviewResult) or 尚未审结 (its PENDING).
AppealResult = StrEnum(  # type: ignore[misc]
    "AppealResult", {"PENDING": PENDING, **{r.name: r.value for r in ReviewResult}}
)


# The stored fields a list item is made of (read with .values(): no model instance per row).
ITEM_FIELDS = (
    "id",
    "number",
    "state",
    "received",
    "due",
    "channel",
    "applicant_type",
    "organisation_id",
    "applicant_name",
    "applicant_id_number",
    "outcome",
    "closed",
)


def item_of(row: dict[str, Any]) -> dict[str, Any]:
    """A list item from the stored fields (:data:`ITEM_FIELDS`)."""
    return {
        "id": row["id"],
        "number": row["number"],
        "state": row["state"],
        "received": row["received"],
        "due": row["due"],
        "channel": row["channel"],
        "applicant": row["applicant_type"],
        "organisation": row["organisation_id"],
        "applicant_name": row["applicant_name"],
        "applicant_id": mask_id(row["applicant_id_number"]),
        "outcome": row["outcome"],
        "closed": row["closed"],
    }


def item(case: Case) -> dict[str, Any]:
    return item_of({f: getattr(case, f) for f in ITEM_FIELDS})


def _event(row: CaseEvent) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": row.kind,
        "on": row.on,
        "note": row.note,
        "by": row.by,
        "recorded_at": row.recorded_at,
    }
    kind = EventKind(row.kind)
    if row.outcome is not None:
        out["outcome"] = row.outcome
    if kind is EventKind.EXTENSION_APPROVED:
        out["days"] = row.days
    if kind is EventKind.DELAY_NOTIFIED:
        out["until"] = row.until
    if kind is EventKind.FEE_NOTIFIED:
        out["amount"] = row.amount
    return out


def detail(case: Case) -> dict[str, Any]:
    rows = list(case.events.order_by("seq"))
    app = register.application(case, rows)
    return {
        **item(case),
        "version": case.version,
        "description": case.description,
        "requested_form": case.requested_form,
        "allowed": list(app.allowed()),
        "events": [_event(r) for r in rows],
    }


def visible_case(request: HttpRequest, case_id: int) -> Case:
    """The case if the user may see it; 404 otherwise (another body's case is not revealed)."""
    return get_object_or_404(permissions.cases_visible_to(request.auth), pk=case_id)


# --- operations -------------------------------------------------------------------------


@api.get("/cases", response=CasePage, url_name="cases")
def list_cases(
    request: HttpRequest,
    page: int = 1,
    state: State | None = None,
    overdue: bool = False,
    due_within: int | None = None,
    outcome: str | None = None,
    channel: Channel | None = None,
    applicant: ApplicantType | None = None,
    year: int | None = None,
    q: str | None = None,
    mine: bool = False,
) -> dict[str, Any]:
    # The filters are declared for validation (a bad value is a Chinese 422) and the OpenAPI
    # schema; queries.apply applies them, the same function as the list page.
    if page < 1:
        raise HttpError(422, "页码应为正整数")
    qs = queries.apply(
        permissions.cases_visible_to(request.auth), request.GET, dt.date.today(), request.auth
    )
    size = settings.PAGE_SIZE
    start = (page - 1) * size
    return {
        "items": [
            item_of(c)
            for c in qs.order_by("-received", "-id").values(*ITEM_FIELDS)[start : start + size]
        ],
        "count": qs.count(),
    }


@api.post("/cases", response={201: CaseDetail, 403: Message, 422: Message})
def create_case(request: HttpRequest, payload: CaseIn) -> Status[dict[str, Any]]:
    user = request.auth
    writable = permissions.orgs_writable_by(user)
    if payload.organisation is not None:
        org = writable.filter(pk=payload.organisation).first()
        if org is None:
            exists = Organisation.objects.filter(pk=payload.organisation).exists()
            raise HttpError(
                403 if exists else 422, "无权在该机关登记申请" if exists else "没有该机关"
            )
    else:
        orgs = list(writable[:2])
        if not orgs:
            raise HttpError(403, "您没有可登记申请的机关（需要办理人员、审核人或机关管理员角色）")
        if len(orgs) > 1:
            raise HttpError(422, "您属于多个机关，请用 organisation 指明登记到哪个机关")
        org = orgs[0]
    if not payload.description.strip():
        raise HttpError(422, "请填写所需信息的名称、文号或特征性描述（《条例》第二十九条）")
    try:
        case = register.create_case(
            org,
            register.Intake(
                channel=payload.channel.value,
                applicant_type=payload.applicant.value,
                received=payload.received,
                description=payload.description,
                applicant_name=payload.applicant_name,
                applicant_contact=payload.applicant_contact,
                applicant_id_number=payload.applicant_id_number,
                requested_form=payload.requested_form.value,
            ),
            user,
        )
    except (RegisterError, DeadlineError) as e:
        raise HttpError(422, e.message) from None
    return Status(201, detail(case))


@api.get("/cases/{case_id}", response=CaseDetail, url_name="case")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return detail(visible_case(request, case_id))


@api.post(
    "/cases/{case_id}/events",
    response={201: CaseDetail, 403: Message, 409: Message, 422: Message},
    url_name="case_events",
)
def add_event(request: HttpRequest, case_id: int, payload: EventIn) -> Status[dict[str, Any]]:
    case = visible_case(request, case_id)
    if not permissions.can_edit_case(request.auth, case):
        raise HttpError(403, "您只能查看该申请，不能修改")
    event = Event(
        payload.kind,
        payload.on,
        by=payload.by,
        note=payload.note,
        outcome=payload.outcome,
        days=payload.days,
        until=payload.until,
        amount=payload.amount,
    )
    try:
        case = register.record(case.pk, payload.version, event, request.auth)
    except register.StaleVersion as e:
        raise HttpError(409, e.message) from None
    except (RegisterError, DeadlineError) as e:
        raise HttpError(422, e.message) from None
    return Status(201, detail(case))


# --- letters (告知书、答复书) ------------------------------------------------------------


class LetterOut(Schema):
    id: int
    kind: LetterKind
    label: str
    number: str  # 文号
    title: str
    event: int  # the event's seq in the case history
    letter_date: dt.date
    addressee: str
    articles: list[str]
    sha256: str
    size: int
    issued_at: dt.datetime
    url: str  # the stored file (this API; session or token)
    download_url: str  # the same file through the page (session)


class LetterDue(Schema):
    event: int
    kind: LetterKind
    label: str


class LetterList(Schema):
    items: list[LetterOut]
    available: list[LetterDue]  # implied by the events, not issued yet


class LetterIn(Schema):
    event: int
    kind: LetterKind
    addressee: str = ""


def _letter(letter: Letter) -> dict[str, Any]:
    return {
        "id": letter.pk,
        "kind": letter.kind,
        "label": LETTER_LABELS[LetterKind(letter.kind)],
        "number": letter.number,
        "title": letter.title,
        "event": letter.event.seq,
        "letter_date": letter.letter_date,
        "addressee": letter.addressee,
        "articles": letter.articles,
        "sha256": letter.sha256,
        "size": letter.size,
        "issued_at": letter.issued_at,
        "url": reverse(
            "api:letter_file", kwargs={"case_id": letter.case_id, "letter_id": letter.pk}
        ),
        "download_url": reverse("letters:download", kwargs={"pk": letter.pk}),
    }


@api.get("/cases/{case_id}/letters", response=LetterList, url_name="case_letters")
def list_letters(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = visible_case(request, case_id)
    rows = letters.implied(case)
    return {
        "items": [_letter(r.letter) for r in rows if r.letter is not None],
        "available": [
            {"event": r.event.seq, "kind": r.kind, "label": r.label}
            for r in rows
            if r.letter is None
        ],
    }


@api.post(
    "/cases/{case_id}/letters",
    response={200: LetterOut, 201: LetterOut, 403: Message, 404: Message, 422: Message},
    url_name="issue_letter",
)
def issue_letter(request: HttpRequest, case_id: int, payload: LetterIn) -> Status[dict[str, Any]]:
    """Issue a letter; 201 when issued now, 200 with the stored one when it was issued before
    (a letter per event and kind is issued once: no second 文号)."""
    case = visible_case(request, case_id)
    if not permissions.can_edit_case(request.auth, case):
        raise HttpError(403, "您只能查看该申请，不能出具文书")
    try:
        letter, created = letters.issue(
            case, payload.event, payload.kind, request.auth, payload.addressee[:200]
        )
    except letters.LetterError as e:
        raise HttpError(e.status, e.message) from None
    return Status(201 if created else 200, _letter(letter))


@api.get(
    "/cases/{case_id}/letters/{letter_id}/file",
    response={200: None, 409: Message},
    url_name="letter_file",
)
def letter_file(request: HttpRequest, case_id: int, letter_id: int) -> HttpResponse:
    case = visible_case(request, case_id)
    letter = get_object_or_404(Letter.objects.select_related("case"), pk=letter_id, case=case)
    try:
        return file_response(letter)
    except letters.LetterFileError as e:
        raise HttpError(409, e.message) from None


# --- the proactive-disclosure catalogue (read-only) ----------------------------------------


class CatalogueOut(Schema):
    id: int
    organisation: int
    index_no: str
    title: str
    summary: str
    doc_no: str
    written: dt.date
    published: dt.date | None
    publisher: str
    topic: str
    genre: str
    kind: str
    article20: str
    disclosure: str
    validity: str | None
    effective: dt.date | None
    ended: dt.date | None
    url: str
    state: str


class ReviewStepOut(Schema):
    step: str
    at: dt.datetime | None
    by: str | None


class CatalogueEventOut(Schema):
    kind: str
    at: dt.datetime
    by: str | None
    changes: dict[str, Any]
    note: str


class CatalogueDetail(CatalogueOut):
    version: int
    reviews: list[ReviewStepOut]
    events: list[CatalogueEventOut]


class CataloguePage(Schema):
    items: list[CatalogueOut]
    count: int


_CATALOGUE_FIELDS = tuple(f for f in CatalogueOut.model_fields if f != "organisation")


def catalogue_item(row: CatalogueItem) -> dict[str, Any]:
    return {"organisation": row.organisation_id, **{f: getattr(row, f) for f in _CATALOGUE_FIELDS}}


def _username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


@api.get("/catalogue", response=CataloguePage, url_name="catalogue")
def list_catalogue(
    request: HttpRequest,
    page: int = 1,
    q: str | None = None,
    year: int | None = None,
    topic: str | None = None,
    genre: str | None = None,
    kind: str | None = None,
    validity: str | None = None,
    state: str | None = None,
    disclosure: str | None = None,
    org: int | None = None,
) -> dict[str, Any]:
    """The catalogue items the user may see, newest 成文日期 first; the same filters as the
    list page (catalogue/queries.py)."""
    if page < 1:
        raise HttpError(422, "页码应为正整数")
    qs = catalogue_queries.apply(permissions.catalogue_visible_to(request.auth), request.GET)
    size = settings.PAGE_SIZE
    start = (page - 1) * size
    rows = qs.order_by("-written", "-id")[start : start + size]
    return {"items": [catalogue_item(r) for r in rows], "count": qs.count()}


@api.get("/catalogue/{item_id}", response=CatalogueDetail, url_name="catalogue_item")
def get_catalogue_item(request: HttpRequest, item_id: int) -> dict[str, Any]:
    row = (
        permissions.catalogue_visible_to(request.auth)
        .select_related("content_reviewed_by", "secrecy_reviewed_by", "published_by")
        .filter(pk=item_id)
        .first()
    )
    if row is None:
        raise HttpError(404, "找不到该目录条目，或无权查看")
    return {
        **catalogue_item(row),
        "version": row.version,
        "reviews": [
            {
                "step": step,
                "at": getattr(row, f"{prefix}_at"),
                "by": _username(getattr(row, f"{prefix}_by")),
            }
            for step, prefix in (
                ("content", "content_reviewed"),
                ("secrecy", "secrecy_reviewed"),
                ("publish", "published"),
            )
        ],
        "events": [
            {
                "kind": e.kind,
                "at": e.at,
                "by": _username(e.by),
                "changes": e.changes,
                "note": e.note,
            }
            for e in row.events.select_related("by").order_by("seq")
        ],
    }


# --- reconsideration and litigation (表四) ---------------------------------------------------


class AppealOut(Schema):
    id: int
    number: str
    organisation: int
    kind: ReviewKind
    kind_label: str
    filed: dt.date
    authority: str
    result: str  # a ReviewResult value, or "pending" (尚未审结)
    result_label: str
    concluded: dt.date | None
    case: int | None  # the linked application's id
    application_number: str  # its 登记号 (or the number as given when none is linked)
    note: str
    version: int


class AppealEventOut(Schema):
    kind: str
    on: dt.date
    recorded_at: dt.datetime
    recorded_by: str
    changes: dict[str, list[Any]]
    note: str


class AppealDetail(AppealOut):
    events: list[AppealEventOut]


class AppealPage(Schema):
    items: list[AppealOut]
    count: int


class AppealIn(Schema):
    number: str
    kind: ReviewKind
    filed: dt.date
    result: AppealResult = AppealResult.PENDING
    concluded: dt.date | None = None
    authority: str = ""
    note: str = ""
    case: int | None = None
    organisation: int | None = None


class AppealPatch(Schema):
    version: int
    number: str | None = None
    kind: ReviewKind | None = None
    filed: dt.date | None = None
    result: AppealResult | None = None
    concluded: dt.date | None = None
    authority: str | None = None
    note: str | None = None
    case: int | None = None


def appeal_item(a: Appeal) -> dict[str, Any]:
    return {
        "id": a.pk,
        "number": a.number,
        "organisation": a.organisation_id,
        "kind": a.kind,
        "kind_label": kind_label(a.kind),
        "filed": a.filed,
        "authority": a.authority,
        "result": a.result,
        "result_label": result_label(a.result),
        "concluded": a.concluded,
        "case": a.case_id,
        "application_number": a.application_ref,
        "note": a.note,
        "version": a.version,
    }


def appeal_detail(a: Appeal) -> dict[str, Any]:
    events = a.events.order_by("seq").select_related("recorded_by")
    return {
        **appeal_item(a),
        "events": [
            {
                "kind": e.kind,
                "on": e.on,
                "recorded_at": e.recorded_at,
                "recorded_by": e.recorded_by.get_username() if e.recorded_by else "",
                "changes": e.changes,
                "note": e.note,
            }
            for e in events
        ],
    }


def visible_appeal(request: HttpRequest, appeal_id: int) -> Appeal:
    a = (
        permissions.appeals_visible_to(request.auth)
        .select_related("case", "organisation")
        .filter(pk=appeal_id)
        .first()
    )
    if a is None:
        raise HttpError(404, "找不到该复议诉讼案件，或无权查看")
    return a


def _linked_case(org: Organisation, case_id: int | None) -> Case | None:
    if case_id is None:
        return None
    case = Case.objects.filter(pk=case_id, organisation=org).first()
    if case is None:
        raise HttpError(422, "case：本机关没有该申请")
    return case


@api.get("/appeals", response=AppealPage, url_name="appeals")
def list_appeals(
    request: HttpRequest,
    page: int = 1,
    kind: ReviewKind | None = None,
    result: AppealResult | None = None,
    year: int | None = None,
    organisation: int | None = None,
    case: int | None = None,
    q: str | None = None,
) -> dict[str, Any]:
    if page < 1:
        raise HttpError(422, "页码应为正整数")
    qs = appeal_queries.apply(permissions.appeals_visible_to(request.auth), request.GET)
    size = settings.PAGE_SIZE
    start = (page - 1) * size
    rows = appeal_queries.ordered(qs.select_related("case"))[start : start + size]
    return {"items": [appeal_item(a) for a in rows], "count": qs.count()}


@api.post("/appeals", response={201: AppealDetail, 403: Message, 422: Message})
def create_appeal(request: HttpRequest, payload: AppealIn) -> Status[dict[str, Any]]:
    user = request.auth
    writable = permissions.orgs_writable_by(user)
    if payload.organisation is not None:
        org = writable.filter(pk=payload.organisation).first()
        if org is None:
            exists = Organisation.objects.filter(pk=payload.organisation).exists()
            raise HttpError(403 if exists else 422, "无权在该机关登记" if exists else "没有该机关")
    else:
        orgs = list(writable[:2])
        if not orgs:
            raise HttpError(
                403, "您没有可登记复议诉讼案件的机关（需要办理人员、审核人或机关管理员角色）"
            )
        if len(orgs) > 1:
            raise HttpError(422, "您属于多个机关，请用 organisation 指明登记到哪个机关")
        org = orgs[0]
    data = appeal_service.AppealData(
        number=payload.number,
        kind=payload.kind.value,
        filed=payload.filed,
        result=payload.result.value,
        concluded=payload.concluded,
        authority=payload.authority,
        note=payload.note,
        case=_linked_case(org, payload.case),
    )
    try:
        appeal = appeal_service.create(org, data, user)
    except appeal_service.AppealError as e:
        raise HttpError(422, f"{e.field}：{e.message}" if e.field else e.message) from None
    return Status(201, appeal_detail(appeal))


@api.get("/appeals/{appeal_id}", response=AppealDetail, url_name="appeal")
def get_appeal(request: HttpRequest, appeal_id: int) -> dict[str, Any]:
    return appeal_detail(visible_appeal(request, appeal_id))


@api.patch(
    "/appeals/{appeal_id}",
    response={200: AppealDetail, 403: Message, 409: Message, 422: Message},
    url_name="appeal_patch",
)
def patch_appeal(request: HttpRequest, appeal_id: int, payload: AppealPatch) -> dict[str, Any]:
    appeal = visible_appeal(request, appeal_id)
    if not permissions.can_edit_appeal(request.auth, appeal):
        raise HttpError(403, "您只能查看该案件，不能修改")
    given = payload.model_dump(exclude_unset=True)
    version = given.pop("version")
    values: dict[str, Any] = {}
    for key, value in given.items():
        if key == "case":
            values["case"] = _linked_case(appeal.organisation, value)
        elif value is None and key != "concluded":
            raise HttpError(422, f"{key}：不能为空")
        else:
            values[key] = value.value if hasattr(value, "value") else value
    try:
        appeal = appeal_service.update(appeal.pk, version, values, request.auth)
    except appeal_service.StaleVersion as e:
        raise HttpError(409, e.message) from None
    except appeal_service.AppealError as e:
        raise HttpError(422, f"{e.field}：{e.message}" if e.field else e.message) from None
    return appeal_detail(Appeal.objects.select_related("case").get(pk=appeal.pk))


# The public side (no login): mounted last, so that its router shares the handlers above.
from .public import api as public_api  # noqa: E402

public_api.install(api)
