"""The catalogue's pages for officers. Permissions come from :mod:`gongkai.web.permissions`."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from gongkai.register.catalogue import (
    ARTICLE_20_BY_KEY,
    REVIEW_STEPS,
    STEP_LABELS,
    CatalogueError,
    Disclosure,
    ReviewState,
    ReviewStep,
    kind_label,
)
from gongkai.register.catalogue_sheet import write_template
from gongkai.register.table_two import counted_rows

from .. import permissions
from ..orgs.models import Organisation
from . import imports, queries, service
from .forms import DecisionForm, ItemForm, SettingsForm, UploadForm, field_name
from .models import (
    DISCLOSURE_CHOICES,
    GENRE_CHOICES,
    KIND_CHOICES,
    STATE_CHOICES,
    TOPIC_CHOICES,
    VALIDITY_CHOICES,
    CatalogueItem,
    CatalogueSettings,
    DecisionCount,
)
from .table_two import table_two

SESSION_UPLOADS = "catalogue_uploads"


def describe_changes(changes: dict[str, Any]) -> list[tuple[str, str, str]]:
    """An event's ``{field: [old, new]}`` for people: field names and choice values in
    Chinese, ISO dates as they were stored."""
    out = []
    for name, (old, new) in changes.items():
        try:
            field = CatalogueItem._meta.get_field(name)
        except Exception:  # a field no longer on the model: show the stored name
            out.append((name, str(old or "空"), str(new or "空")))
            continue
        choices = dict(getattr(field, "choices", None) or ())
        old, new = ("空" if v in (None, "") else str(choices.get(v, v)) for v in (old, new))
        out.append((str(field.verbose_name), old, new))
    return out


def _visible(request: HttpRequest, pk: int) -> CatalogueItem:
    return get_object_or_404(
        permissions.catalogue_visible_to(request.user).select_related("organisation"), pk=pk
    )


def _org(request: HttpRequest, pk: int) -> Organisation:
    return get_object_or_404(permissions.orgs_visible_to(request.user), pk=pk)


def _writable(request: HttpRequest) -> list[Organisation]:
    return list(permissions.orgs_writable_by(request.user))


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs = queries.apply(permissions.catalogue_visible_to(request.user), g)
    qs = qs.select_related("organisation").order_by("-written", "-id")
    page = Paginator(qs, settings.PAGE_SIZE).get_page(g.get("page"))
    writable = _writable(request)
    last_year = dt.date.today().year - 1
    return render(
        request,
        "catalogue/list.html",
        {
            "page": page,
            "filters": g,
            "rest": urlencode({k: v for k, v in g.items() if k != "page" and v}),
            "topics": TOPIC_CHOICES,
            "genres": GENRE_CHOICES,
            "kinds": KIND_CHOICES,
            "validities": VALIDITY_CHOICES,
            "states": STATE_CHOICES,
            "disclosures": DISCLOSURE_CHOICES,
            "orgs": list(permissions.orgs_visible_to(request.user)),
            "can_write": bool(writable),
            "last_year": last_year,
        },
    )


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    orgs = _writable(request)
    if not orgs:
        raise PermissionDenied("您没有可编制目录的机关")
    form = ItemForm(request.POST or None, orgs=[(o.pk, o.name) for o in orgs])
    if request.method == "POST" and form.is_valid():
        org = next(o for o in orgs if o.pk == form.cleaned_data["organisation"])
        try:
            item = service.create_item(org, form.item_data(), request.user)
        except service.InvalidItem as e:
            for p in e.problems:
                form.add_error(p.field if p.field in form.fields else None, p.message)
        except CatalogueError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已新建目录条目，索引号 {item.index_no}")
            return redirect("catalogue:detail", pk=item.pk)
    return render(request, "catalogue/form.html", {"form": form, "item": None})


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    editable = permissions.can_edit_catalogue(request.user, item.organisation)
    state = ReviewState(item.state)
    steps = [
        {
            "step": step.value,
            "label": STEP_LABELS[step],
            "at": getattr(item, at),
            "by": getattr(item, by),
        }
        for step, (at, by, _) in service.STEP_FIELDS.items()
    ]
    following = next((s for s in ReviewStep if REVIEW_STEPS[s][0] is state), None)
    if following is ReviewStep.PUBLISH and item.disclosure != Disclosure.PROACTIVE.value:
        following = None  # reviewed, but only 主动公开 items are published in the catalogue
    return render(
        request,
        "catalogue/detail.html",
        {
            "item": item,
            "article": ARTICLE_20_BY_KEY.get(item.article20),
            "steps": steps,
            "next_step": following.value if following else None,
            "next_label": STEP_LABELS[following] if following else None,
            "events": [
                (e, describe_changes(e.changes))
                for e in item.events.select_related("by").order_by("seq")
            ],
            "editable": editable,
        },
    )


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    if not permissions.can_edit_catalogue(request.user, item.organisation):
        raise PermissionDenied("您只能查看该目录条目，不能修改")
    form = ItemForm(request.POST or None, initial=ItemForm.initial_for(item))
    if request.method == "POST":
        sent = request.POST.get("index_no")
        if sent is not None and sent.strip() != item.index_no:
            form.is_valid()
            form.add_error(None, f"索引号一经生成不得更改（{item.index_no}），未保存任何改动")
        elif form.is_valid():
            try:
                service.edit_item(
                    item.pk, form.cleaned_data.get("version") or 0, form.item_data(), request.user
                )
            except service.InvalidItem as e:
                for p in e.problems:
                    form.add_error(p.field if p.field in form.fields else None, p.message)
            except CatalogueError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "已保存")
                return redirect("catalogue:detail", pk=item.pk)
    status = 409 if any("已被他人修改" in str(e) for e in form.non_field_errors()) else 200
    return render(request, "catalogue/form.html", {"form": form, "item": item}, status=status)


@login_required
@require_POST
def item_review(request: HttpRequest, pk: int) -> HttpResponse:
    item = _visible(request, pk)
    if not permissions.can_edit_catalogue(request.user, item.organisation):
        raise PermissionDenied("您只能查看该目录条目，不能审核")
    try:
        step = ReviewStep(request.POST.get("step", ""))
        version = int(request.POST.get("version", ""))
    except ValueError:
        messages.error(request, "未保存：请求不完整，请刷新后重试")
        return redirect("catalogue:detail", pk=item.pk)
    try:
        service.review(item.pk, version, step, request.user, request.POST.get("note", "")[:500])
    except service.StaleVersion as e:
        messages.error(request, e.message)
        return redirect("catalogue:detail", pk=item.pk)
    except CatalogueError as e:
        messages.error(request, f"未保存：{e.message}")
    else:
        messages.success(request, f"已记录「{STEP_LABELS[step]}」")
    return redirect("catalogue:detail", pk=item.pk)


@login_required
def settings_edit(request: HttpRequest, org: int) -> HttpResponse:
    organisation = _org(request, org)
    if not permissions.can_configure_catalogue(request.user, organisation):
        raise PermissionDenied("只有审核人或机关管理员可以设置索引号规则")
    row = CatalogueSettings.objects.filter(organisation=organisation).first()
    initial = (
        {"code": row.code, "rule": row.rule, "version": row.version}
        if row
        else {"rule": CatalogueSettings._meta.get_field("rule").default, "version": 0}
    )
    form = SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            service.save_settings(organisation, d["code"], d["rule"], d["version"], request.user)
        except CatalogueError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "已保存索引号规则；已生成的索引号不变")
            return redirect("catalogue:list")
    return render(request, "catalogue/settings.html", {"form": form, "org": organisation})


# --- import --------------------------------------------------------------------------------


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    orgs = _writable(request)
    if not orgs:
        raise PermissionDenied("您没有可编制目录的机关")
    form = UploadForm(
        request.POST or None, request.FILES or None, orgs=[(o.pk, o.name) for o in orgs]
    )
    if request.method == "POST" and form.is_valid():
        org = next(o for o in orgs if o.pk == form.cleaned_data["organisation"])
        upload = form.cleaned_data["file"]
        name = upload.name
        try:
            if upload.size > imports.MAX_BYTES:
                raise CatalogueError(f"文件 {name} 太大，请分成几个文件导入")
            data = upload.read()
            sha = imports.keep(data, name)
            result = imports.preview(org, data, name)
        except CatalogueError as e:
            form.add_error("file", e.message)
        else:
            uploads = request.session.get(SESSION_UPLOADS, {})
            uploads[sha] = {"name": name, "org": org.pk}
            request.session[SESSION_UPLOADS] = uploads
            return render(
                request,
                "catalogue/import_preview.html",
                {
                    "org": org,
                    "sha": sha,
                    "name": name,
                    "result": result,
                    "rows": [(r, kind_label(r.item.kind)) for r in result.rows],
                },
            )
    return render(request, "catalogue/import.html", {"form": form})


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    sha = request.POST.get("sha", "")
    upload = request.session.get(SESSION_UPLOADS, {}).get(sha)
    if upload is None:
        messages.error(request, "找不到这次上传（可能已导入或会话已过期），请重新上传")
        return redirect("catalogue:import")
    org = get_object_or_404(permissions.orgs_writable_by(request.user), pk=upload["org"])
    name = upload["name"]
    try:
        data = imports.kept(sha, name)
        result = imports.preview(org, data, name)
        if result.issues and request.POST.get("skip_bad") != "1":
            raise CatalogueError(
                f"文件中有{len(result.issues)}处问题；请修改后重新上传，或勾选“跳过有问题的行”"
            )
        if not result.rows:
            raise CatalogueError("没有可导入的行")
        created = service.import_rows(org, result.rows, request.user)
    except CatalogueError as e:
        messages.error(request, f"未导入任何条目：{e.message}")
        return redirect("catalogue:import")
    imports.forget(sha, name)
    uploads = request.session.get(SESSION_UPLOADS, {})
    uploads.pop(sha, None)
    request.session[SESSION_UPLOADS] = uploads
    skipped = len(result.bad_rows)
    messages.success(
        request,
        f"已导入{len(created)}个条目（待审核）"
        + (f"，跳过{skipped}行有问题的行" if skipped else ""),
    )
    return redirect(f"{redirect('catalogue:list').url}?org={org.pk}&state=draft")


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    buffer = io.BytesIO()
    write_template(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        'attachment; filename="catalogue-template.xlsx"; '
        "filename*=UTF-8''%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80%E7%9B%AE%E5%BD%95%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response


# --- table 二 --------------------------------------------------------------------------------


@login_required
def table_two_home(request: HttpRequest) -> HttpResponse:
    org = (
        permissions.orgs_writable_by(request.user).first()
        or permissions.orgs_visible_to(request.user).first()
    )
    if org is None:
        raise Http404("没有可查看的机关")
    return redirect("catalogue:table_two", org=org.pk, year=dt.date.today().year - 1)


@login_required
def table_two_page(request: HttpRequest, org: int, year: int) -> HttpResponse:
    organisation = _org(request, org)
    try:
        fmt = service.format_for(year)
    except CatalogueError as e:
        raise Http404(e.message) from None
    editable = permissions.can_edit_catalogue(request.user, organisation)
    if request.method == "POST" and not editable:
        raise PermissionDenied("您只能查看表二，不能填报")
    stored = DecisionCount.objects.filter(organisation=organisation, year=year).first()
    initial: dict[str, Any] = {"version": stored.version if stored else 0}
    if stored:
        initial["note"] = stored.note
        for row, cols in stored.values.items():
            for col, value in cols.items():
                initial[field_name(row, col)] = value
    form = DecisionForm(request.POST or None, initial=initial, fmt=fmt)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            service.save_decisions(
                organisation,
                year,
                form.raw_values(),
                form.cleaned_data.get("note", ""),
                form.cleaned_data["version"],
                request.user,
            )
        except service.StaleVersion as e:
            form.add_error(None, e.message)
            status = 409
        except CatalogueError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已保存{year}年度表二填报数")
            return redirect("catalogue:table_two", org=organisation.pk, year=year)
    table = table_two(organisation, year)
    spec = fmt.table("t2")
    counted = {r.key for r in counted_rows(spec)}
    rows = []
    width = max(len(spec.columns_for(r)) for r in spec.rows)
    for frow in spec.rows:
        got = table.row(frow.key)
        assert got is not None
        block = spec.block(frow.block) if frow.block else None
        rows.append(
            {
                "label": frow.label,
                "block": block.caption if block else "",
                "counted": frow.key in counted,
                "pad": width - len(spec.columns_for(frow)),
                "cells": [(c.full_label, got.cell(c.key)) for c in spec.columns_for(frow)],
            }
        )
    return render(
        request,
        "catalogue/table_two.html",
        {
            "org": organisation,
            "year": year,
            "fmt": fmt,
            "rows": rows,
            "span": width + 1,
            "form": form,
            "fields": [
                (row.label, column.full_label, form[name]) for row, column, name in form.cells
            ],
            "editable": editable,
            "stored": stored,
            "years": range(dt.date.today().year, 2018, -1),
        },
        status=status,
    )
