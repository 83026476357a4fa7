"""The findings browser (``/supervise/reports/``) and the report page of an uploaded file.

Every view is for 公开办 members (:func:`.access.supervisor_required`) and reads only the
reports of their own offices (:func:`permissions.ingested_visible_to`): another office's report
is a 404. The report page draws the parsed report with :mod:`gongkai.web.reports.present` (the
cells and sentences of its findings marked, as on part 2's report page) and puts the two
passages of a cross-report finding side by side (:mod:`.pairs`).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from gongkai.check.finding import SEVERITY_ZH

from .. import permissions
from ..orgs.models import Level, Organisation
from ..reports import present
from ..transfer import xlsx
from . import pairs, review
from .access import supervisor_required
from .models import FileStatus, IngestedFinding, IngestedReport, Review, Stage
from .rulebook import catalogue

PAGE_SIZE = getattr(settings, "PAGE_SIZE", 50)
FILTERS = (
    "round",
    "rule",
    "severity",
    "organisation",
    "level",
    "region",
    "under",
    "status",
    "review",
    "year",
    "sort",
)


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def apply(qs: QuerySet[IngestedReport], g: QueryDict) -> QuerySet[IngestedReport]:
    """The list's filters (each ignored when empty or not understood) and its order."""
    if (rnd := _int(g.get("round"))) is not None:
        qs = qs.filter(round_id=rnd)
    if rule := g.get("rule", "").strip():
        qs = qs.filter(Exists(IngestedFinding.objects.filter(report_id=OuterRef("pk"), rule=rule)))
    severity = g.get("severity")
    if severity in ("error", "warning", "info"):
        qs = qs.filter(**{f"n_{severity}__gt": 0})
    if (org := _int(g.get("organisation"))) is not None:
        qs = qs.filter(organisation_id=org)
    if (level := g.get("level")) in Level.values:
        qs = qs.filter(organisation__level=level)
    if region := g.get("region", "").strip():
        # A GB/T 2260 code names its region and everything under it: 330100 is 杭州市 and
        # its districts (3301xx), 330000 the province.
        prefix = region.rstrip("0") if region.isdigit() else region
        if len(prefix) % 2:
            prefix += "0"
        qs = qs.filter(organisation__region_code__startswith=prefix)
    if (under := _int(g.get("under"))) is not None:
        path = Organisation.objects.filter(pk=under).values_list("path", flat=True).first()
        qs = qs.filter(organisation__path__startswith=path) if path else qs.none()
    if (status := g.get("status")) in FileStatus.values:
        qs = qs.filter(status=status)
    rv = g.get("review")
    if rv == "none":
        qs = qs.filter(review=Review.NONE)
    elif rv in (Review.ACCEPTED, Review.RETURNED):
        qs = qs.filter(review=rv)
    if (year := _int(g.get("year"))) is not None:
        qs = qs.filter(year=year)
    if g.get("sort") == "errors":
        return qs.order_by("-n_error", "-n_warning", "pk")
    return qs.order_by("-pk")


def _scope(request: HttpRequest) -> QuerySet[IngestedReport]:
    return permissions.ingested_visible_to(request.user)


def _options(scope: QuerySet[IngestedReport]) -> dict[str, Any]:
    """The filters' choices: the bodies matched, their ancestors, the rounds."""
    bodies = list(
        Organisation.objects.filter(pk__in=scope.values("organisation_id"))
        .order_by("path")
        .only("pk", "name", "path", "region_code")
    )
    ancestor_ids = {int(p) for b in bodies for p in b.path.strip("/").split("/")[:-1] if p}
    ancestors = list(
        Organisation.objects.filter(pk__in=ancestor_ids).order_by("path").only("pk", "name")
    )
    regions = sorted({b.region_code for b in bodies if b.region_code})
    return {"bodies": bodies, "ancestors": ancestors, "regions": regions}


def _row(r: IngestedReport) -> dict[str, Any]:
    return {
        "pk": r.pk,
        "file": r.file,
        "organisation": r.organisation.name if r.organisation else "",
        "match": r.get_match_display() if r.organisation else "",
        "agency": r.agency,
        "year": r.year or "",
        "format": r.format,
        "status": r.status,
        "status_label": r.get_status_display(),
        "error": r.error,
        "n_error": r.n_error,
        "n_warning": r.n_warning,
        "n_info": r.n_info,
        "review": r.get_review_display(),
        "round": str(r.round) if r.round else "",
    }


@supervisor_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    qs = apply(scope, request.GET).select_related("organisation", "round")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    g = request.GET
    rest = urlencode({k: v for k, v in g.items() if k != "page" and v})
    return render(
        request,
        "supervise/reports.html",
        {
            "page": page,
            "rows": [_row(r) for r in page.object_list],
            "filters": {k: g.get(k, "") for k in FILTERS},
            "rest": rest,
            "rules": sorted(catalogue()),
            "severities": list(SEVERITY_ZH.items()),
            "levels": Level.choices,
            "statuses": FileStatus.choices,
            "rounds": list(permissions.rounds_visible_to(request.user)),
            **_options(scope),
        },
    )


COLUMNS = (
    xlsx.Column("编号", lambda r: r.pk, "number", 8),
    xlsx.Column("文件名", lambda r: r.file, width=36),
    xlsx.Column("报告中的机关名称", lambda r: r.agency, width=28),
    xlsx.Column("对应机关", lambda r: r.organisation.name if r.organisation else "", width=28),
    xlsx.Column("年度", lambda r: r.year, "number", 8),
    xlsx.Column("格式", lambda r: r.format, width=8),
    xlsx.Column("状态", lambda r: r.get_status_display(), width=10),
    xlsx.Column("错误信息", lambda r: r.error, width=40),
    xlsx.Column("错误", lambda r: r.n_error, "number", 8),
    xlsx.Column("警告", lambda r: r.n_warning, "number", 8),
    xlsx.Column("提示", lambda r: r.n_info, "number", 8),
    xlsx.Column("审查", lambda r: r.get_review_display(), width=10),
    xlsx.Column("退回意见", lambda r: r.review_note, width=40),
    xlsx.Column("轮次", lambda r: str(r.round) if r.round else "", width=30),
)


@supervisor_required
@require_GET
def report_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The list as XLSX: the same rows as ``/supervise/reports/?…`` with the same filters."""
    qs = apply(_scope(request), request.GET).select_related("organisation", "round")
    rows = qs.defer("report_json").iterator(chunk_size=2000)
    return xlsx.response(
        f"年度报告核查-{dt.date.today():%Y%m%d}.xlsx",
        lambda f: xlsx.write(f, "年度报告", COLUMNS, rows),
    )


@supervisor_required
@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    """The rules of docs/rules.md, from the registries that file is held to (offline)."""
    found = [
        {
            "id": r.id,
            "severity": r.severity,
            "severity_label": SEVERITY_ZH.get(r.severity, r.severity),
            "description": r.description,
            "source": r.source,
            "group": r.group,
        }
        for r in sorted(catalogue().values(), key=lambda r: (r.group, r.id))
    ]
    return render(request, "supervise/rules.html", {"rules": found})


def _finding_dict(f: IngestedFinding) -> dict[str, Any]:
    loc = json.loads(f.location) if f.location else {}
    return {
        "rule": f.rule,
        "severity": f.severity,
        "message": f.message,
        "cells": json.loads(f.cells) if f.cells else [],
        "location": loc if isinstance(loc, dict) else {},
    }


def _page_context(report: IngestedReport, user: Any) -> dict[str, Any]:
    rows = list(report.findings.select_related("related_report").order_by("pk"))
    data = report.parsed()
    book = catalogue()
    items = [_finding_dict(f) for f in rows]
    split = [pairs.split_cells(report, f, d) for f, d in zip(rows, items, strict=True)]
    # On this report's page, a cross-year finding marks this year's cells only.
    here = [{**d, "cells": cur} for d, (cur, _) in zip(items, split, strict=True)]
    listed = present.findings_view(here)
    visible = set(
        permissions.ingested_visible_to(user)
        .filter(pk__in={f.related_report_id for f in rows if f.related_report_id})
        .values_list("pk", flat=True)
    )
    sides = pairs.side_by_side(report, rows, split, visible)
    for item, f in zip(listed, rows, strict=True):
        rule = book.get(f.rule)
        item["pk"] = f.pk
        for c in item["cells"]:  # type: ignore[attr-defined]
            # A cell beyond the header (T0-1) has no place in the official layout.
            c["drawn"] = not c["id"].endswith("-extra")
        item["stage"] = f.stage
        item["source"] = f.source or (rule.source if rule else "")
        item["description"] = rule.description if rule else ""
        item["place"] = f.place or ""
        related = f.related_report if f.related_report_id in visible else None
        item["related"] = related
        item["pair"] = sides.get(f.pk)
    ctx: dict[str, Any] = {
        "report": report,
        "data": data,
        "findings": listed,
        "counts": {"error": report.n_error, "warning": report.n_warning, "info": report.n_info},
        "batch": sum(1 for f in rows if f.stage == Stage.BATCH),
        "members": list(report.assigned_members.select_related("round", "organisation")),
    }
    if data is None:
        return ctx
    m = present.marks(data, here)
    fmt = data.spec
    under = present.section_tables(fmt)
    shown: set[str] = set()
    sections = []
    for s in fmt.sections:
        stored = data.section(s.number)
        table_key = under.get(s.number)
        table = None
        if table_key and table_key in data.tables:
            table = present.table_html(data, table_key, m)
            shown.add(table_key)
        sections.append(
            {
                "number": s.number,
                "heading": stored.heading if stored else s.heading,
                "text": present.text_html(stored.text, s.number, m) if stored else None,
                "table": table,
                "table_missing": table_key if table_key and table_key not in data.tables else "",
            }
        )
    ctx["preamble"] = present.text_html(data.preamble, 0, m)
    ctx["sections"] = sections
    ctx["other_tables"] = [
        present.table_html(data, key, m) for key in data.tables if key not in shown
    ]
    return ctx


@supervisor_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(
        _scope(request).select_related("organisation", "round", "reviewed_by", "job"), pk=pk
    )
    return render(request, "supervise/report.html", _page_context(report, request.user))


@supervisor_required
@require_POST
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    """接收 or 退回 (POST only; the CSRF middleware guards the form)."""
    report = get_object_or_404(_scope(request), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "accept":
            review.accept(report, request.user)
            messages.success(request, "已接收该报告")
        elif action == "return":
            review.return_report(
                report,
                request.user,
                request.POST.get("note", ""),
                request.POST.getlist("finding"),
            )
            messages.success(request, "已退回该报告")
        else:
            raise Http404("未知的审查操作")
    except review.ReviewError as e:
        messages.error(request, e.message)
    return redirect("supervise:report", pk=report.pk)
