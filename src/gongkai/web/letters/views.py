"""The letter pages: issue (POST, write right) and download (view right), both under
``/letters/``. Permissions come from :mod:`gongkai.web.permissions` only."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import permissions
from ..cases.models import Case
from . import service
from .forms import LetterSettingsForm
from .kinds import LABELS, LetterKind
from .models import Letter, LetterSettings


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(permissions.cases_visible_to(request.user), pk=pk)
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied("您只能查看该申请，不能出具文书")
    try:
        seq = int(request.POST.get("event", ""))
    except ValueError:
        messages.error(request, "未出具：请指明办理事件")
        return redirect("cases:detail", pk=case.pk)
    kind = request.POST.get("kind", "")
    try:
        letter, created = service.issue(
            case, seq, kind, request.user, request.POST.get("addressee", "")[:200]
        )
    except service.LetterError as e:
        if e.status == 404:
            raise Http404(e.message) from None
        messages.error(request, f"未出具：{e.message}")
    else:
        label = LABELS[LetterKind(letter.kind)]
        if created:
            messages.success(request, f"已出具「{label}」，文号 {letter.number}")
        else:
            messages.info(
                request,
                f"「{label}」已于此前出具（文号 {letter.number}），未重新编号；请下载已出具的文书",
            )
    return redirect("cases:detail", pk=case.pk)


def visible_letter(user: object, pk: int) -> Letter:
    """The letter if its case is visible to ``user``; 404 otherwise."""
    letter = get_object_or_404(Letter.objects.select_related("case"), pk=pk)
    if not permissions.can_view_case(user, letter.case):
        raise Http404("找不到该文书，或无权查看")
    return letter


def file_response(letter: Letter) -> FileResponse:
    """The stored file, checked against its sha256 (:class:`service.LetterFileError`)."""
    data = service.read(letter)
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=service.filename(letter),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponse:
    letter = visible_letter(request.user, pk)
    try:
        return file_response(letter)
    except service.LetterFileError as e:
        case: Case = letter.case
        return render(
            request, "letters/refused.html", {"message": e.message, "case": case}, status=409
        )


@login_required
def settings(request: HttpRequest, org_id: int) -> HttpResponse:
    """A body's letter settings, for its 机关管理员."""
    org = get_object_or_404(permissions.orgs_visible_to(request.user), pk=org_id)
    if not permissions.can_manage_org(request.user, org):
        raise PermissionDenied("只有本机关的机关管理员可以修改文书设置")
    instance = LetterSettings.objects.filter(organisation=org).first() or LetterSettings(
        organisation=org
    )
    form = LetterSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"已保存「{org.name}」的文书设置")
        return redirect("letters:settings", org_id=org.pk)
    return render(request, "letters/settings.html", {"form": form, "org": org})
