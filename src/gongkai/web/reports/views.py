"""The annual report's pages. Permissions come from :mod:`gongkai.web.permissions` only; every
write goes through :mod:`.service`."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai import formats
from gongkai.render import KINDS
from gongkai.render import render as render_report
from gongkai.report import Report

from .. import permissions
from ..orgs.models import Organisation
from . import deadlines, duplicates, present, service, sources, states
from .models import AnnualReport, ReportingCalendar, ReportVersion
from .states import ACTION_LABELS, Action, State

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}


def _visible(request: HttpRequest, pk: int) -> AnnualReport:
    return get_object_or_404(
        permissions.reports_visible_to(request.user).select_related("organisation"), pk=pk
    )


def reporting_year(today: dt.date) -> int:
    """The year whose report is being prepared: last year's."""
    return today.year - 1


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = deadlines.today()
    current = reporting_year(today)
    reports = list(permissions.reports_visible_to(user).select_related("organisation"))
    preparing = set(permissions.orgs_preparing_reports(user).values_list("pk", flat=True))
    kept = set(permissions.calendars_kept_by(user).values_list("pk", flat=True))
    visible = permissions.orgs_visible_to(user)
    orgs = {
        o.pk: o for o in visible.filter(pk__in={r.organisation_id for r in reports} | preparing)
    }
    orgs.update({o.pk: o for o in visible.filter(supervisor_id__in=kept)})
    by_key = {(r.organisation_id, r.year): r for r in reports}
    rows, banner = [], []
    for org in sorted(orgs.values(), key=lambda o: o.path):
        years = sorted({y for (o, y) in by_key if o == org.pk} | {current}, reverse=True)
        for year in years:
            report = by_key.get((org.pk, year))
            found = deadlines.reminders(org, year, report, today)
            if year >= current - 1:
                banner.extend(found)
            rows.append(
                {
                    "org": org,
                    "year": year,
                    "report": report,
                    "dues": deadlines.due_dates(org, year),
                    "reminders": found,
                    "can_start": report is None and org.pk in preparing,
                }
            )
    return render(
        request,
        "reports/dashboard.html",
        {
            "rows": rows,
            "banner": banner,
            "current": current,
            "startable": [o for o in orgs.values() if o.pk in preparing],
            "keeps_calendar": bool(kept),
        },
    )


@login_required
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    try:
        org_id, year = int(request.POST.get("organisation", "")), int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, "请选择机关并填写报告年度（如 2024）")
        return redirect("reports:dashboard")
    org = get_object_or_404(permissions.orgs_visible_to(request.user), pk=org_id)
    if not permissions.can_prepare_report(request.user, org):
        raise PermissionDenied("只有本机关的办理人员、审核人或机关管理员可以编制年度报告")
    try:
        report = service.start(org, year, request.user)
    except service.ReportError as e:
        messages.error(request, e.message)
        return redirect("reports:dashboard")
    return redirect("reports:detail", pk=report.pk)


def _context(request: HttpRequest, report: AnnualReport) -> dict[str, Any]:
    user = request.user
    version = report.latest()
    if version is None:  # a report is created with its first version; never reached
        raise Http404("报告没有任何版本")
    data = Report.from_json(version.data)
    findings = version.findings
    m = present.marks(data, findings)
    fmt = data.spec
    under = present.section_tables(fmt)
    last_year = duplicates.published_texts(report.organisation_id, report.year - 1)
    dup_by_part: dict[int, list[dict[str, Any]]] = {}
    for n, f in enumerate(findings, start=1):
        if f["rule"] == "DUP-1":
            line = (f.get("location") or {}).get("line")
            for s in data.sections:
                if s.location is not None and s.location.line == line:
                    dup_by_part.setdefault(s.number, []).append({"n": n, **f})
    sections = []
    for s in fmt.sections:
        stored = data.section(s.number)
        table_key = under.get(s.number)
        sections.append(
            {
                "number": s.number,
                "heading": stored.heading if stored else s.heading,
                "text": report.section_text(s.number),
                "last_year": (last_year or {}).get(s.number),
                "marked": present.text_html(stored.text, s.number, m)
                if stored and present.has_marks(s.number, m)
                else None,
                "duplicates": dup_by_part.get(s.number, []),
                "table": present.table_html(data, table_key, m)
                if table_key and table_key in data.tables
                else None,
                "table_missing": table_key if table_key and table_key not in data.tables else None,
            }
        )
    editable = State(report.state) in states.EDITABLE and permissions.can_prepare_report(
        user, report.organisation
    )
    actions = [
        {
            "action": a.value,
            "label": ACTION_LABELS[a],
            "note": a in states.NOTE_REQUIRED,
        }
        for a in states.allowed(report.state)
        if permissions.can_act_on_report(user, report, a.value)
    ]
    errors = sum(1 for f in findings if f["severity"] == "error")
    return {
        "report": report,
        "version": version,
        "data": data,
        "format": fmt,
        "findings": present.findings_view(findings),
        "errors": errors,
        "preamble_marked": present.text_html(data.preamble, 0, m)
        if present.has_marks(0, m)
        else None,
        "sections": sections,
        "editable": editable,
        "actions": actions,
        "versions": list(report.versions.order_by("-number").select_related("created_by")),
        "events": list(report.events.order_by("-at", "-id").select_related("by")),
        "locked": State(report.state) in states.LOCKING,
        "kinds": KINDS,
        "table_two_available": sources.table_two_available(),
        "reviews_available": sources.reviews_available(),
        "has_last_year": last_year is not None,
        "dues": deadlines.due_dates(report.organisation, report.year),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk)
    return render(request, "reports/detail.html", _context(request, report))


@login_required
@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk)
    if not permissions.can_prepare_report(request.user, report.organisation):
        raise PermissionDenied("您只能查看该报告，不能修改")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, "未保存：缺少版本号，请刷新页面后重试")
        return redirect("reports:detail", pk=report.pk)
    fmt = formats.get(report.format)
    texts = {
        s.number: request.POST[f"section_{s.number}"]
        for s in fmt.sections
        if f"section_{s.number}" in request.POST
    }
    preamble = request.POST.get("preamble", report.preamble)
    try:
        report, latest = service.save_text(report.pk, version, preamble, texts, request.user)
    except service.ReportError as e:
        messages.error(request, f"未保存：{e.message}")
    else:
        errors = sum(1 for f in latest.findings if f["severity"] == "error")
        messages.success(
            request,
            f"已保存为第{latest.number}版；检查发现{len(latest.findings)}项问题，其中错误{errors}项",
        )
    return redirect("reports:detail", pk=report.pk)


@login_required
@require_POST
def transition(request: HttpRequest, pk: int) -> HttpResponse:
    report = _visible(request, pk)
    action = request.POST.get("action", "")
    if action not in Action._value2member_map_:
        messages.error(request, "未知的操作")
        return redirect("reports:detail", pk=report.pk)
    if not permissions.can_act_on_report(request.user, report, action):
        raise PermissionDenied(f"您的角色不能「{ACTION_LABELS[Action(action)]}」该报告")
    version = request.POST.get("version")
    try:
        service.transition(
            report.pk,
            action,
            request.POST.get("note", ""),
            request.user,
            int(version) if version and version.isdigit() else None,
        )
    except service.ReportError as e:
        messages.error(request, f"未{ACTION_LABELS[Action(action)]}：{e.message}")
    else:
        report.refresh_from_db()
        messages.success(
            request, f"已{ACTION_LABELS[Action(action)]}，报告状态：{report.state_label}"
        )
    return redirect("reports:detail", pk=report.pk)


def export_response(version: ReportVersion, kind: str) -> HttpResponse:
    report = Report.from_json(version.data)
    body = render_report(report, kind)
    stored = version.report
    name = (
        f"{stored.organisation.name}{stored.year}年度政府信息公开工作年度报告"
        f"-第{version.number}版.{kind}"
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-SHA256-Data"] = version.sha256
    return response


def _version(report: AnnualReport, number: str | None) -> ReportVersion:
    qs = report.versions.all()
    if number:
        if not number.isdigit():
            raise Http404("没有该版本")
        return get_object_or_404(qs, number=int(number))
    found = qs.order_by("-number").first()
    if found is None:
        raise Http404("没有该版本")
    return found


@login_required
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    report = _visible(request, pk)
    if kind not in KINDS:
        raise Http404("不支持的导出格式")
    return export_response(_version(report, request.GET.get("version")), kind)


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    kept = list(permissions.calendars_kept_by(request.user))
    if not kept:
        raise PermissionDenied("只有公开办可以设置年报报送日程")
    year = reporting_year(deadlines.today())
    if request.method == "POST":
        org = next((o for o in kept if str(o.pk) == request.POST.get("supervisor")), None)
        if org is None or not permissions.can_keep_calendar(request.user, org):
            raise PermissionDenied("只能设置本公开办的报送日程")
        try:
            year = int(request.POST.get("year", ""))
            submit_by = _date(request.POST.get("submit_by", ""), "报送截止日期")
            publish_by = _date(request.POST.get("publish_by", ""), "发布截止日期")
        except ValueError as e:
            messages.error(request, f"未保存：{e}" if str(e) else "未保存：报告年度应为整数")
        else:
            ReportingCalendar.objects.update_or_create(
                supervisor=org,
                year=year,
                defaults={
                    "submit_by": submit_by,
                    "publish_by": publish_by,
                    "note": request.POST.get("note", "")[:200],
                    "updated_by": request.user,
                },
            )
            messages.success(request, f"已保存{org.name}{year}年度的报送日程")
        return redirect("reports:calendar")
    return render(
        request,
        "reports/calendar.html",
        {
            "kept": kept,
            "year": year,
            "calendars": ReportingCalendar.objects.filter(supervisor__in=kept).order_by(
                "-year", "supervisor__path"
            ),
        },
    )


def _date(text: str, label: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{label}应写成 YYYY-MM-DD，收到“{text}”") from None


# --- the public side (no login) -----------------------------------------------------------


def _published(pk: int) -> tuple[AnnualReport, ReportVersion]:
    report = get_object_or_404(AnnualReport.objects.select_related("organisation"), pk=pk)
    version = report.published()
    if version is None:
        raise Http404("该报告尚未发布")
    return report, version


def public(request: HttpRequest, pk: int) -> HttpResponse:
    report, version = _published(pk)
    data = Report.from_json(version.data)
    m = present.Marks()
    under = present.section_tables(data.spec)
    sections = [
        {
            "heading": s.heading,
            "text": present.text_html(s.text, s.number, m),
            "table": present.table_html(data, under[s.number], m)
            if s.number in under and under[s.number] in data.tables
            else None,
        }
        for s in data.sections
    ]
    earlier = report.versions.filter(published_at__isnull=False).exclude(pk=version.pk)
    return render(
        request,
        "reports/public.html",
        {
            "report": report,
            "version": version,
            "data": data,
            "preamble": present.text_html(data.preamble, 0, m),
            "sections": sections,
            "earlier": list(earlier.order_by("-number")),
        },
    )


def public_docx(request: HttpRequest, pk: int) -> HttpResponse:
    report, version = _published(pk)
    number = request.GET.get("version")
    if number:
        version = get_object_or_404(
            report.versions.filter(published_at__isnull=False),
            number=int(number) if number.isdigit() else -1,
        )
    return export_response(version, "docx")


def organisations_for_start(user: Any) -> list[Organisation]:
    return list(permissions.orgs_preparing_reports(user))
