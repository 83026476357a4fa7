"""The annual reports in the JSON API (``/api/v1/reports``; mounted by :mod:`gongkai.web.api`,
same auth and error conventions). Stable for scripts:

* ``GET /reports`` → ``{"items": [{id, organisation, year, state, …}]}``;
* ``GET /reports/{id}`` → the report JSON of ``gongkai parse --format json`` (``agency``,
  ``year``, ``format``, ``tables``, ``sections`` …) plus ``state``, ``version``, ``findings``;
* ``GET /reports/{id}/export?to=docx|html|md|txt`` → the file (``version=N`` for another);
* ``POST /reports/{id}/transitions`` ``{action, note}`` → 403 for a role that may not, 409 for
  a state that does not allow it;
* ``POST /reports`` ``{organisation, year}`` (start) and ``POST /reports/{id}/sections``
  ``{version, sections: {"1": text …}, preamble?}`` (save and check) — the preparing side.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.errors import HttpError

from gongkai import formats
from gongkai.render import KINDS

from .. import permissions
from ..orgs.models import Organisation
from . import service
from .models import AnnualReport
from .states import Action, State
from .views import export_response

router = Router(tags=["年度报告"])


class ReportItem(Schema):
    id: int
    organisation: int
    organisation_name: str
    year: int
    state: State
    version: int
    format: str


class ReportList(Schema):
    items: list[ReportItem]


class TransitionIn(Schema):
    action: Action
    note: str = ""
    version: int | None = None


class StartIn(Schema):
    organisation: int | None = None
    year: int


class SectionsIn(Schema):
    version: int
    sections: dict[int, str]
    preamble: str | None = None


def item(r: AnnualReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "organisation": r.organisation_id,
        "organisation_name": r.organisation.name,
        "year": r.year,
        "state": r.state,
        "version": r.version,
        "format": r.format,
    }


def detail(r: AnnualReport) -> dict[str, Any]:
    version = r.latest()
    assert version is not None  # a report is created with its first version
    data = version.payload()
    return {
        **data,
        "id": r.pk,
        "organisation": r.organisation_id,
        "state": r.state,
        "version": version.number,
        "sha256": version.sha256,
        "published": version.published_at is not None,
        "note": r.note,
        "findings": version.findings,
    }


def _visible(request: HttpRequest, report_id: int) -> AnnualReport:
    found = (
        permissions.reports_visible_to(request.auth)
        .select_related("organisation")
        .filter(pk=report_id)
        .first()
    )
    if found is None:
        raise HttpError(404, "找不到该年度报告，或无权查看")
    return found


@router.get("", response=ReportList, url_name="reports")
def list_reports(request: HttpRequest, year: int | None = None) -> dict[str, Any]:
    qs = permissions.reports_visible_to(request.auth).select_related("organisation")
    if year is not None:
        qs = qs.filter(year=year)
    return {"items": [item(r) for r in qs.order_by("-year", "organisation__path")]}


@router.post("", response={201: ReportItem, 200: ReportItem}, url_name="start_report")
def start_report(request: HttpRequest, payload: StartIn) -> Status[dict[str, Any]]:
    user = request.auth
    orgs = permissions.orgs_preparing_reports(user)
    if payload.organisation is not None:
        org = orgs.filter(pk=payload.organisation).first()
        if org is None:
            exists = Organisation.objects.filter(pk=payload.organisation).exists()
            raise HttpError(
                403 if exists else 422, "无权编制该机关的年度报告" if exists else "没有该机关"
            )
    else:
        found = list(orgs[:2])
        if len(found) != 1:
            raise HttpError(
                403 if not found else 422,
                "您没有可编制年度报告的机关"
                if not found
                else "您属于多个机关，请用 organisation 指明",
            )
        org = found[0]
    existed = AnnualReport.objects.filter(organisation=org, year=payload.year).exists()
    try:
        report = service.start(org, payload.year, user)
    except service.ReportError as e:
        raise HttpError(e.status, e.message) from None
    return Status(200 if existed else 201, item(report))


@router.get("/{report_id}", url_name="report")
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    return detail(_visible(request, report_id))


@router.get("/{report_id}/export", url_name="report_export")
def export_report(
    request: HttpRequest, report_id: int, to: str = "docx", version: int | None = None
) -> HttpResponse:
    report = _visible(request, report_id)
    if to not in KINDS:
        raise HttpError(422, f"不支持的导出格式：{to}（可用：{'、'.join(KINDS)}）")
    qs = report.versions.all()
    found = qs.filter(number=version).first() if version else qs.order_by("-number").first()
    if found is None:
        raise HttpError(404, "没有该版本")
    return export_response(found, to)


@router.post("/{report_id}/sections", url_name="report_sections")
def save_sections(request: HttpRequest, report_id: int, payload: SectionsIn) -> dict[str, Any]:
    report = _visible(request, report_id)
    if not permissions.can_prepare_report(request.auth, report.organisation):
        raise HttpError(403, "您只能查看该报告，不能修改")
    known = {s.number for s in formats.get(report.format).sections}
    unknown = sorted(set(payload.sections) - known)
    if unknown:
        raise HttpError(422, f"没有第{'、'.join(map(str, unknown))}部分（正文共六部分，编号1–6）")
    try:
        report, _ = service.save_text(
            report.pk,
            payload.version,
            report.preamble if payload.preamble is None else payload.preamble,
            payload.sections,
            request.auth,
        )
    except service.ReportError as e:
        raise HttpError(e.status, e.message) from None
    return detail(report)


@router.post(
    "/{report_id}/transitions",
    response={200: ReportItem, 403: dict[str, str], 409: dict[str, str], 422: dict[str, str]},
    url_name="report_transitions",
)
def take_transition(
    request: HttpRequest, report_id: int, payload: TransitionIn
) -> Status[dict[str, Any]]:
    report = _visible(request, report_id)
    if not permissions.can_act_on_report(request.auth, report, payload.action.value):
        raise HttpError(403, "您的角色不能对该报告执行此操作")
    try:
        report = service.transition(
            report.pk, payload.action, payload.note, request.auth, payload.version
        )
    except service.ReportError as e:
        raise HttpError(e.status, e.message) from None
    return Status(200, item(report))


__all__ = ["router"]
