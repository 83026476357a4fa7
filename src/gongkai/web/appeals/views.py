"""The pages of reconsideration and litigation cases. Permissions come from
:mod:`gongkai.web.permissions` only; rules from :mod:`gongkai.register.reviews` (via
:mod:`.service`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.register.reviews import PENDING, ReviewKind, ReviewResult, kind_label, result_label

from .. import permissions
from ..cases.models import Case
from . import queries, service
from .forms import AppealForm
from .models import KIND_CHOICES, RESULT_CHOICES, Appeal, AppealEvent


def _visible(request: HttpRequest, pk: int) -> Appeal:
    qs = permissions.appeals_visible_to(request.user).select_related("organisation", "case")
    return get_object_or_404(qs, pk=pk)


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs = queries.apply(permissions.appeals_visible_to(request.user), g)
    qs = queries.ordered(qs.select_related("organisation", "case"))
    page = Paginator(qs, settings.PAGE_SIZE).get_page(g.get("page"))
    rest = urlencode({k: v for k, v in g.items() if k != "page" and v})
    return render(
        request,
        "appeals/list.html",
        {
            "page": page,
            "kinds": KIND_CHOICES,
            "results": RESULT_CHOICES,
            "filters": g,
            "rest": rest,
            "can_write": permissions.orgs_writable_by(request.user).exists(),
        },
    )


def _orgs(request: HttpRequest) -> list[Any]:
    orgs = list(permissions.orgs_writable_by(request.user))
    if not orgs:
        raise PermissionDenied("您没有可登记复议诉讼案件的机关")
    return orgs


@login_required
def appeal_new(request: HttpRequest) -> HttpResponse:
    orgs = _orgs(request)
    initial: dict[str, Any] = {"result": PENDING}
    case_pk = request.GET.get("case", "")
    if case_pk.isdigit():  # from the case page: only a case the user may write
        case = permissions.cases_visible_to(request.user).filter(pk=int(case_pk)).first()
        if case is not None and permissions.can_edit_case(request.user, case):
            initial |= {"organisation": case.organisation_id, "case_number": case.number}
    form = AppealForm(request.POST or None, orgs=[(o.pk, o.name) for o in orgs], initial=initial)
    if request.method == "POST" and form.is_valid():
        org = next(o for o in orgs if o.pk == form.cleaned_data["organisation"])
        try:
            appeal = service.create(org, form.data_(), request.user)
        except service.AppealError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, f"已登记复议诉讼案件 {appeal.number}")
            return redirect("appeals:detail", pk=appeal.pk)
    return render(request, "appeals/form.html", {"form": form, "appeal": None})


def _initial(appeal: Appeal) -> dict[str, Any]:
    return {
        "organisation": appeal.organisation_id,
        "number": appeal.number,
        "kind": appeal.kind,
        "case_number": appeal.case.number if appeal.case else "",
        "filed": appeal.filed,
        "authority": appeal.authority,
        "result": appeal.result,
        "concluded": appeal.concluded,
        "note": appeal.note,
        "version": appeal.version,
    }


def _event_lines(appeal: Appeal) -> list[tuple[AppealEvent, str]]:
    out = []
    for e in appeal.events.order_by("seq").select_related("recorded_by"):
        parts = []
        for field, (old, new) in e.changes.items():
            label = service.LABELS.get(field, field)
            old_s, new_s = _show(field, old), _show(field, new)
            parts.append(f"{label}：{old_s} → {new_s}" if old is not None else f"{label}：{new_s}")
        out.append((e, "；".join(parts)))
    return out


def _show(field: str, value: Any) -> str:
    if value in (None, ""):
        return "（空）"
    if field == "kind" and value in ReviewKind._value2member_map_:
        return kind_label(value)
    if field == "result" and (value == PENDING or value in ReviewResult._value2member_map_):
        return result_label(value)
    return str(value)


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _visible(request, pk)
    editable = permissions.can_edit_appeal(request.user, appeal)
    orgs = [(appeal.organisation_id, appeal.organisation.name)]
    form = None
    if editable:
        form = AppealForm(request.POST or None, orgs=orgs, initial=_initial(appeal))
    elif request.method == "POST":
        raise PermissionDenied("您只能查看该案件，不能修改")
    status = 200
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.data_(appeal.application_number)
        values = {f: getattr(data, f) for f in service.EDITABLE}
        try:
            service.update(appeal.pk, form.cleaned_data.get("version") or 0, values, request.user)
        except service.StaleVersion as e:
            # The page again with what the officer typed (nothing lost, nothing saved) and
            # the current version's values above it.
            form.add_error(None, e.message)
            status = 409
        except service.AppealError as e:
            form.add_error(e.field if e.field in form.fields else None, e.message)
        else:
            messages.success(request, "已保存")
            return redirect("appeals:detail", pk=appeal.pk)
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "events": _event_lines(appeal),
            "form": form,
            "editable": editable,
        },
        status=status,
    )


def appeals_of_case(user: Any, case: Case) -> list[Appeal]:
    """The appeals about ``case`` that ``user`` may see (for the case page)."""
    return list(permissions.appeals_visible_to(user).filter(case=case).order_by("filed", "id"))
