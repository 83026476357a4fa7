"""The public pages (no login) and the office's pages for the 指南 and the online queue.
Who may see or do what comes from :mod:`gongkai.web.permissions` only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gongkai.register.cases import RegisterError
from gongkai.register.deadlines import DeadlineError

from .. import permissions
from ..cases.masking import mask_id
from ..orgs.models import Organisation
from . import challenge, guides, intake, sections, throttle, tracking
from .forms import ApplicationForm, ConfirmForm, GuideForm, RejectForm, TrackForm
from .models import Guide, OnlineApplication, SubmissionState


def _agency(pk: int) -> Organisation:
    return get_object_or_404(permissions.public_agencies(), pk=pk)


def _too_many(
    request: HttpRequest, template: str, context: dict[str, Any], wait: int
) -> HttpResponse:
    response = render(
        request, template, {**context, "throttled": throttle.message(wait)}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


# --- public pages -------------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    agencies = list(permissions.public_agencies())
    current = {g.organisation_id: g for g in (guides.current(a) for a in agencies) if g}
    return render(
        request,
        "public/index.html",
        {"rows": [(a, current.get(a.pk)) for a in agencies]},
    )


def agency(request: HttpRequest, pk: int) -> HttpResponse:
    org = _agency(pk)
    guide = guides.current(org)
    return render(
        request,
        "public/agency.html",
        {
            "agency": org,
            "guide": guide,
            "accepts_online": guide is None or guide.accepts_online(),
            "links": sections.links(org),
        },
    )


def guide(request: HttpRequest, pk: int, version: int | None = None) -> HttpResponse:
    org = _agency(pk)
    latest = guides.current(org)
    shown = (
        latest if version is None else get_object_or_404(Guide, organisation=org, version=version)
    )
    return render(
        request,
        "public/guide.html",
        {"agency": org, "guide": shown, "latest": latest, "is_latest": shown == latest},
    )


def guide_versions(request: HttpRequest, pk: int) -> HttpResponse:
    org = _agency(pk)
    return render(
        request,
        "public/guide_versions.html",
        {"agency": org, "versions": Guide.objects.filter(organisation=org).order_by("-version")},
    )


@never_cache
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    org = _agency(pk)
    current = guides.current(org)
    context: dict[str, Any] = {"agency": org}
    if current is not None and not current.accepts_online():
        return render(request, "public/apply_closed.html", {**context, "guide": current})
    if request.method == "POST":
        form = ApplicationForm(request.POST.copy())
        wait = throttle.hit(request, "apply")
        if wait is not None:
            return _too_many(request, "public/apply.html", {**context, **_fresh(form)}, wait)
        if form.is_valid():
            app, created = intake.submit(org, form.submission(), key=form.nonce, via="form")
            return render(
                request,
                "public/apply_done.html",
                {
                    **context,
                    "code": tracking.display(app.tracking_code),
                    "created": created,
                    "pending_note": intake.PENDING_NOTE,
                },
                status=201 if created else 200,
            )
        return render(request, "public/apply.html", {**context, **_fresh(form)})
    return render(request, "public/apply.html", {**context, **_fresh(ApplicationForm())})


def _fresh(form: ApplicationForm) -> dict[str, Any]:
    """The form with a new challenge (a bound form keeps what was typed, but the answer)."""
    ch = challenge.issue()
    if form.is_bound:
        form.data["token"] = ch.token
        form.data["answer"] = ""
    else:
        form.initial["token"] = ch.token
    return {"form": form, "question": ch.question}


@never_cache
def track(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "public/track.html", {"form": TrackForm()})
    form = TrackForm(request.POST)
    wait = throttle.hit(request, "track")
    if wait is not None:
        return _too_many(request, "public/track.html", {"form": form}, wait)
    status = None
    not_found = False
    if form.is_valid():
        app = intake.find(form.cleaned_data["code"], form.cleaned_data["phone"])
        if app is None:
            not_found = True
        else:
            status = intake.status(app)
            form = TrackForm()  # the result replaces the typed phone number on the page
    return render(
        request,
        "public/track.html",
        {
            "form": form,
            "status": status,
            "code": tracking.display(status.tracking_code) if status else "",
            "not_found": not_found,
            "pending_note": intake.PENDING_NOTE,
        },
        status=404 if not_found else 200,
    )


# --- the office's pages -------------------------------------------------------------------


@login_required
def guide_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk)
    if not permissions.can_edit_guide(request.user, org):
        if permissions.orgs_visible_to(request.user).filter(pk=org.pk).exists():
            raise PermissionDenied("只有本机关的机关管理员或审核人可以修改公开指南")
        raise Http404
    latest = guides.current(org)
    form = GuideForm(request.POST or None, initial=guides.initial(latest))
    if request.method == "POST" and form.is_valid():
        saved, new = guides.save_version(org, form.content(), request.user)
        if new:
            messages.success(
                request, f"已保存公开指南第 {saved.version} 版（更新日期 {saved.updated:%Y-%m-%d}）"
            )
        else:
            messages.info(request, "内容与当前版本相同，未生成新版本")
        return redirect("public:guide", pk=org.pk)
    return render(
        request, "public/guide_edit.html", {"agency": org, "form": form, "latest": latest}
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    qs = permissions.online_applications_for(request.user).select_related("organisation", "case")
    editable = [
        o
        for o in permissions.orgs_visible_to(request.user)
        if permissions.can_edit_guide(request.user, o)
    ]
    return render(
        request,
        "public/queue.html",
        {
            "pending": qs.filter(state=SubmissionState.PENDING).order_by("submitted_at"),
            "decided": qs.exclude(state=SubmissionState.PENDING).order_by("-decided_at")[:50],
            "guide_orgs": editable,
        },
    )


def _queued(request: HttpRequest, pk: int) -> OnlineApplication:
    return get_object_or_404(
        permissions.online_applications_for(request.user).select_related("organisation", "case"),
        pk=pk,
    )


@login_required
def queue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _queued(request, pk)
    return render(
        request,
        "public/queue_detail.html",
        {
            "app": app,
            "code": tracking.display(app.tracking_code),
            "masked_id": mask_id(app.id_number),
            "confirm_form": ConfirmForm(),
            "reject_form": RejectForm(),
        },
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    app = _queued(request, pk)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "未确认：" + "；".join(e for errs in form.errors.values() for e in errs)
        )
        return redirect("public:queue_detail", pk=app.pk)
    try:
        app = intake.confirm(app.pk, form.cleaned_data["on"], request.user)
    except intake.DecisionError as e:
        messages.error(request, e.message)
        return redirect("public:queue_detail", pk=app.pk)
    except (RegisterError, DeadlineError) as e:
        messages.error(request, f"未确认：{e.message}")
        return redirect("public:queue_detail", pk=app.pk)
    assert app.case is not None
    messages.success(
        request,
        f"已确认收到，登记为申请 {app.case.number}（收到申请之日 {app.confirmed_on:%Y-%m-%d}）",
    )
    return redirect("cases:detail", pk=app.case.pk)


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    app = _queued(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "未处理：请填写理由（将告知申请人）")
        return redirect("public:queue_detail", pk=app.pk)
    try:
        intake.reject(app.pk, form.cleaned_data["reason"], request.user)
    except intake.DecisionError as e:
        messages.error(request, e.message)
        return redirect("public:queue_detail", pk=app.pk)
    messages.success(
        request,
        f"已将在线申请 {tracking.display(app.tracking_code)} 标记为不作为政府信息公开申请处理",
    )
    return redirect("public:queue")
