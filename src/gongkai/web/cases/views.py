"""The register's pages. Permissions come from :mod:`gongkai.web.permissions` only."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from gongkai.errors import GongkaiError
from gongkai.register.cases import (
    EVENT_LABELS,
    STATE_LABELS,
    EventKind,
    RegisterError,
    State,
)
from gongkai.register.deadlines import ARTICLE_NOTES, DeadlineError
from gongkai.workdays import default_calendar

from .. import permissions
from ..orgs.models import Organisation
from . import queries, register
from .forms import FIELDS, EventForm, IntakeForm
from .masking import mask_id
from .models import APPLICANT_CHOICES, CHANNEL_CHOICES, OUTCOME_CHOICES, STATE_CHOICES, Case


def _visible(request: HttpRequest, case_id: int) -> Case:
    return get_object_or_404(
        permissions.cases_visible_to(request.user).select_related("organisation"), pk=case_id
    )


_APPLICANT_LABELS = dict(APPLICANT_CHOICES)
_STATE_LABELS = dict(STATE_CHOICES)
# The columns a list row shows: read as plain values (no model instance per row).
_ROW_FIELDS = (
    "pk",
    "number",
    "organisation_id",
    "received",
    "channel",
    "applicant_type",
    "applicant_name",
    "applicant_id_number",
    "state",
    "due",
)


def _row(c: dict[str, Any], org_names: dict[int, str]) -> dict[str, Any]:
    """One row of a case list, formatted here rather than by template filters (a page has
    50 rows; the filters' localisation machinery was most of the page's time)."""
    return {
        "url": reverse("cases:detail", args=[c["pk"]]),
        "number": c["number"],
        "organisation": org_names.get(c["organisation_id"], ""),
        "received": c["received"].isoformat(),
        "channel": c["channel"],
        "applicant": _APPLICANT_LABELS.get(c["applicant_type"], c["applicant_type"]),
        "applicant_name": c["applicant_name"],
        "masked_id": mask_id(c["applicant_id_number"]),
        "state": _STATE_LABELS.get(c["state"], c["state"]),
        "due": c["due"].isoformat() if c["due"] else "—",
    }


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    qs = queries.apply(permissions.cases_visible_to(request.user), g, dt.date.today(), request.user)
    qs = qs.order_by("-received", "-id").values(*_ROW_FIELDS)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(g.get("page"))
    cases = list(page.object_list)
    # The bodies' names in one small query: a join in the list query would also be in its
    # COUNT(*) and its OFFSET walk, which then could not be answered from an index alone.
    org_names = dict(
        Organisation.objects.filter(pk__in={c["organisation_id"] for c in cases}).values_list(
            "pk", "name"
        )
    )
    rest = urlencode({k: v for k, v in g.items() if k != "page" and v})
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "rows": [_row(c, org_names) for c in cases],
            "states": STATE_CHOICES,
            "channels": CHANNEL_CHOICES,
            "applicants": APPLICANT_CHOICES,
            "outcomes": OUTCOME_CHOICES,
            "filters": g,
            "rest": rest,
            "can_register": permissions.orgs_writable_by(request.user).exists(),
        },
    )


@login_required
def case_new(request: HttpRequest) -> HttpResponse:
    orgs = list(permissions.orgs_writable_by(request.user))
    if not orgs:
        raise PermissionDenied("您没有可登记申请的机关")
    form = IntakeForm(request.POST or None, orgs=[(o.pk, o.name) for o in orgs])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = next(o for o in orgs if o.pk == d["organisation"])
        try:
            case = register.create_case(
                org,
                register.Intake(
                    channel=d["channel"],
                    applicant_type=d["applicant_type"],
                    received=d["received"],
                    description=d["description"],
                    applicant_name=d["applicant_name"],
                    applicant_contact=d["applicant_contact"],
                    applicant_id_number=d["applicant_id_number"],
                    requested_form=d["requested_form"],
                    note=d["note"],
                ),
                request.user,
            )
        except (RegisterError, DeadlineError) as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"已登记申请 {case.number}")
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/new.html", {"form": form})


def _workdays_left(due: dt.date | None) -> int | None:
    if due is None:
        return None
    try:
        return int(default_calendar().workdays_between(dt.date.today(), due))
    except GongkaiError:  # a year with no holiday notice on file: say nothing rather than guess
        return None


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible(request, pk)
    rows = list(case.events.order_by("seq").select_related("recorded_by"))
    app = register.application(case, rows)
    deadline = register.deadline(app)
    rights = permissions.rights_in(request.user, case.organisation_id)
    editable = rights.write
    actions = []
    if editable:
        for kind in app.allowed():
            form = EventForm(initial={"kind": kind.value, "version": case.version}, prefix=kind)
            actions.append(
                {
                    "kind": kind.value,
                    "label": EVENT_LABELS[kind],
                    "form": form,
                    "fields": [form[f] for f in ("on", *FIELDS.get(kind, ()), "note")],
                }
            )
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "state_label": STATE_LABELS[State(case.state)],
            "masked_id": mask_id(case.applicant_id_number),
            "events": [(r, EVENT_LABELS[EventKind(r.kind)]) for r in rows],
            "deadline": deadline,
            "articles": [
                (a, ARTICLE_NOTES.get(a, "")) for a in (deadline.articles if deadline else [])
            ],
            "workdays_left": (left := _workdays_left(case.due) if not app.is_closed else None),
            "late_by": -left if left is not None and left < 0 else None,
            "actions": actions,
            "editable": editable,
            "rights": rights,  # for the letters and appeals parts of the page
        },
    )


@login_required
@require_POST
def case_event(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible(request, pk)
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied("您只能查看该申请，不能修改")
    kind = request.POST.get("kind", "")
    form = EventForm(request.POST, prefix=kind if kind in EventKind._value2member_map_ else None)
    if not form.is_valid():
        errors = "；".join(
            f"{form.fields[f].label or f}：{'、'.join(e)}" for f, e in form.errors.items()
        )
        messages.error(request, f"未保存：{errors}")
        return redirect("cases:detail", pk=case.pk)
    try:
        register.record(case.pk, form.cleaned_data["version"], form.event(), request.user)
    except register.StaleVersion as e:
        messages.error(request, e.message)
    except (RegisterError, DeadlineError) as e:
        messages.error(request, f"未保存：{e.message}")
    else:
        messages.success(request, f"已记录「{EVENT_LABELS[EventKind(kind)]}」")
    return redirect("cases:detail", pk=case.pk)
