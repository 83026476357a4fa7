"""Import and export pages. Importing is writing (a write role in the body); exporting a list
is reading it (the same filters and the same visible rows as the list page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .. import permissions
from ..appeals import queries as appeal_queries
from ..appeals.models import ImportBatch
from ..cases import queries as case_queries
from ..orgs.models import Organisation
from . import exports, ledger_io, xlsx


class UploadForm(forms.Form):
    organisation = forms.TypedChoiceField(label="导入到机关", coerce=int)
    file = forms.FileField(label="台账文件（.xlsx，gongkai ledger 格式）")

    def __init__(self, *args: Any, orgs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = orgs  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_BYTES
        if f.size > limit:
            raise forms.ValidationError(
                f"文件大小 {f.size / 1024 / 1024:.1f} MB，超过 {limit / 1024 / 1024:.0f} MB 的上限"
            )
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 文件（旧版 .xls 请在 Excel 中另存为 .xlsx）")
        return f


def _writable(request: HttpRequest) -> list[Organisation]:
    orgs = list(permissions.orgs_writable_by(request.user))
    if not orgs:
        raise PermissionDenied("只有办理人员、审核人或机关管理员可以导入台账")
    return orgs


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    orgs = _writable(request)
    form = UploadForm(
        request.POST or None, request.FILES or None, orgs=[(o.pk, o.name) for o in orgs]
    )
    if request.method == "POST" and form.is_valid():
        org = next(o for o in orgs if o.pk == form.cleaned_data["organisation"])
        try:
            sha = ledger_io.store(request.user, org, form.cleaned_data["file"])
        except ledger_io.ImportRefused as e:
            form.add_error("file", e.message)
        else:
            return redirect("transfer:import_preview", org=org.pk, sha=sha)
    batches = ImportBatch.objects.filter(organisation__in=orgs).select_related(
        "organisation", "imported_by"
    )[:20]
    return render(
        request,
        "transfer/import.html",
        {"form": form, "batches": batches, "limit_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
    )


@login_required
def import_preview(request: HttpRequest, org: int, sha: str) -> HttpResponse:
    # Another body's, or another user's, upload is not found: the path is the user's own.
    body = permissions.orgs_writable_by(request.user).filter(pk=org).first()
    path = ledger_io.stored(request.user, body, sha) if body is not None else None
    if body is None or path is None:
        raise Http404("找不到该导入预览（或已导入、已失效），请重新上传台账")
    name = ledger_io.stored_name(path)
    try:
        plan = ledger_io.plan(body, path, sha, name)
    except ledger_io.ImportRefused as e:
        return render(
            request, "transfer/preview.html", {"org": body, "refused": e.message, "name": name}
        )
    status = 200
    if request.method == "POST":
        if plan.refusal:
            messages.error(request, plan.refusal)
            status = 422
        elif request.POST.get("digest") != plan.digest():
            messages.error(
                request, "登记簿或台账在预览后有变化，以下为最新的预览，请核对后重新确认"
            )
            status = 409
        elif plan.errors and request.POST.get("exclude") != "1":
            messages.error(
                request, "台账有错误行：请修改台账后重新上传，或勾选「排除有错误的行」后确认"
            )
            status = 422
        else:
            try:
                batch = ledger_io.execute(body, plan, request.user, path.stat().st_size)
            except ledger_io.ImportRefused as e:
                messages.error(request, e.message)
                status = 422
            else:
                path.unlink(missing_ok=True)
                path.with_suffix(".name").unlink(missing_ok=True)
                messages.success(
                    request,
                    f"已导入 {batch.cases} 件申请、{batch.appeals} 件复议诉讼案件（{name}）"
                    + (f"，排除有错误的 {batch.excluded} 行" if batch.excluded else ""),
                )
                return redirect("cases:list")
    return render(
        request,
        "transfer/preview.html",
        {"org": body, "plan": plan, "name": name, "digest": plan.digest()},
        status=status,
    )


@login_required
@require_GET
def cases_xlsx(request: HttpRequest) -> HttpResponse:
    """The case list as XLSX: the same rows as ``/cases/?…`` with the same filters."""
    qs = case_queries.apply(
        permissions.cases_visible_to(request.user), request.GET, dt.date.today(), request.user
    )
    rows = exports.case_rows(qs.order_by("-received", "-id"))
    return xlsx.response(
        f"依申请公开申请-{dt.date.today():%Y%m%d}.xlsx",
        lambda f: xlsx.write(f, "申请列表", exports.CASE_COLUMNS, rows),
    )


@login_required
@require_GET
def appeals_xlsx(request: HttpRequest) -> HttpResponse:
    qs = appeal_queries.apply(permissions.appeals_visible_to(request.user), request.GET)
    rows = exports.appeal_rows(appeal_queries.ordered(qs))
    return xlsx.response(
        f"行政复议和行政诉讼-{dt.date.today():%Y%m%d}.xlsx",
        lambda f: xlsx.write(f, "复议诉讼", exports.APPEAL_COLUMNS, rows),
    )


@login_required
@require_GET
def ledger_xlsx(request: HttpRequest) -> HttpResponse:
    """One body's register as a ``gongkai ledger`` workbook (optionally one 登记年度)."""
    visible = permissions.orgs_visible_to(request.user)
    raw = request.GET.get("organisation", "")
    if not raw.isdigit():
        orgs = list(visible)
        if len(orgs) != 1:
            return render(request, "transfer/ledger_export.html", {"orgs": orgs})
        org = orgs[0]
    else:
        found = visible.filter(pk=int(raw)).first()
        if found is None:
            raise Http404("找不到该机关，或无权查看")
        org = found
    cases = permissions.cases_visible_to(request.user).filter(organisation=org)
    appeals = permissions.appeals_visible_to(request.user).filter(organisation=org)
    year = request.GET.get("year", "")
    if year.isdigit():
        cases, appeals = cases.filter(year=int(year)), appeals.filter(filed__year=int(year))
    suffix = f"-{year}" if year.isdigit() else ""
    return xlsx.response(
        f"{org.name}-台账{suffix}.xlsx", lambda f: ledger_io.write_register(f, cases, appeals)
    )
