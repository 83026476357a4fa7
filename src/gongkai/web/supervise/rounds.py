"""Collection rounds (年报报送, ``/supervise/rounds/…``): open a round for a year, choose its
members, follow each member's status, upload the reports of the bodies that do not use
gongkai and assign them to members.

Every view is for 公开办 members (:func:`~.access.supervisor_required`) and finds its round
through :func:`gongkai.web.permissions.rounds_visible_to` — another office's round is 404.
The round page's queries do not grow with its members or uploads (``tests/web/supervise/
test_rounds_scale.py``): members, their bodies' reports and those reports' events are one
query each, the uploads a counted page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import permissions
from ..orgs.models import Organisation
from ..reports import deadlines
from ..reports.models import AnnualReport, ReportEvent
from ..reports.states import STATE_LABELS, State
from . import ingest, matching, tasks
from .access import supervisor_required
from .models import FileStatus, IngestedReport, IngestJob, JobState, Match, Round, RoundMember
from .rounds_forms import MembersForm, RoundForm, default_dates, tree
from .status import LABELS, Status, Steps, status

FILES_PER_PAGE = 50
ACTIVE = (JobState.QUEUED, JobState.RUNNING)
STEP_ACTIONS = {"submit": "submitted_at", "return": "returned_at", "accept": "accepted_at"}


def _round(request: HttpRequest, pk: int) -> Round:
    qs = permissions.rounds_visible_to(request.user).select_related("supervisor")
    return get_object_or_404(qs, pk=pk)


@supervisor_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = (
        permissions.rounds_visible_to(request.user)
        .select_related("supervisor")
        .annotate(n_members=Count("members", distinct=True))
    )
    return render(request, "supervise/rounds/list.html", {"rounds": rounds})


def _office(request: HttpRequest) -> Organisation:
    """The office the new round is for: the one chosen, else the user's first."""
    offices = permissions.supervising_orgs(request.user).order_by("path")
    chosen = request.POST.get("supervisor") or request.GET.get("supervisor")
    if chosen and chosen.isdigit():
        found = offices.filter(pk=int(chosen)).first()
        if found is not None:
            return found
    first = offices.first()
    assert first is not None  # supervisor_required: the user is a 公开办 member somewhere
    return first


@supervisor_required
def round_new(request: HttpRequest) -> HttpResponse:
    office = _office(request)
    year = deadlines.today().year - 1
    if request.method == "POST":
        form = RoundForm(request.POST, user=request.user, office=office)
        if form.is_valid():
            d = form.cleaned_data
            new = Round.objects.create(
                supervisor=d["supervisor"],
                year=d["year"],
                submit_by=d["submit_by"],
                publish_by=d["publish_by"],
                note=d["note"],
                created_by=request.user,
            )
            RoundMember.objects.bulk_create(
                RoundMember(round=new, organisation=o) for o in d["members"]
            )
            messages.success(request, f"已创建{new}，共{len(d['members'])}个报送机关")
            return redirect("supervise:round", pk=new.pk)
    else:
        due, publish, _ = default_dates(office, year)
        form = RoundForm(
            user=request.user,
            office=office,
            initial={
                "supervisor": office,
                "year": year,
                "submit_by": due,
                "publish_by": publish,
                "members": list(permissions.bodies_supervised_by(office)),
            },
        )
    offices = permissions.supervising_orgs(request.user).order_by("path")
    return render(
        request,
        "supervise/rounds/new.html",
        {"form": form, "office": office, "offices": offices, "several": offices.count() > 1},
    )


@supervisor_required
def round_members(request: HttpRequest, pk: int) -> HttpResponse:
    r = _round(request, pk)
    current = set(r.members.values_list("organisation_id", flat=True))
    if request.method == "POST":
        form = MembersForm(request.POST, office=r.supervisor)
        if form.is_valid():
            chosen = {o.pk for o in form.cleaned_data["members"]}
            RoundMember.objects.filter(round=r, organisation_id__in=current - chosen).delete()
            RoundMember.objects.bulk_create(
                RoundMember(round=r, organisation_id=o) for o in chosen - current
            )
            added, removed = len(chosen - current), len(current - chosen)
            messages.success(request, f"已更新报送机关：新增{added}个，移除{removed}个")
            return redirect("supervise:round", pk=r.pk)
    else:
        form = MembersForm(office=r.supervisor, initial={"members": sorted(current)})
    return render(request, "supervise/rounds/members.html", {"round": r, "form": form})


@dataclass
class MemberRow:
    member: RoundMember
    depth: int
    steps: Steps
    status: Status
    report_id: int | None = None  # the body's report in gongkai, if it prepares it here
    report_state: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.status]

    @property
    def report_url(self) -> str:
        return reverse("reports:detail", kwargs={"pk": self.report_id}) if self.report_id else ""

    @property
    def dates(self) -> list[str]:
        """The four steps' dates as shown (formatted here: hundreds of rows render fast)."""
        s = self.steps
        return [_shown(d) for d in (s.submitted_at, s.returned_at, s.accepted_at, s.published_at)]


def _shown(d: dt.datetime | None) -> str:
    return timezone.localtime(d).strftime("%Y-%m-%d %H:%M") if d else "—"


def member_rows(r: Round, today: dt.date) -> list[MemberRow]:
    """Every member with its steps' dates and its status (three queries in all)."""
    members = list(
        RoundMember.objects.filter(round=r)
        .select_related("organisation", "ingested")
        .only(
            "round_id",
            "organisation__name",
            "organisation__path",
            "ingested__file",
            "ingested__review",
            "submitted_at",
            "returned_at",
            "accepted_at",
            "published_at",
            "note",
        )
        .order_by("organisation__path")
    )
    in_round = Q(organisation__round_memberships__round=r)
    reports = {
        row["organisation_id"]: row
        for row in AnnualReport.objects.filter(in_round, year=r.year).values(
            "pk", "organisation_id", "state"
        )
    }
    steps: dict[int, dict[str, dt.datetime]] = {}
    for ev in (
        ReportEvent.objects.filter(
            report__year=r.year,
            report__organisation__round_memberships__round=r,
            action__in=[*STEP_ACTIONS, "publish"],
        )
        .order_by("at", "pk")
        .values("report_id", "action", "at")
    ):
        field = STEP_ACTIONS.get(ev["action"], "published_at")
        steps.setdefault(ev["report_id"], {})[field] = ev["at"]  # the latest of each step
    top = min((m.organisation.path.count("/") for m in members), default=0)
    rows = []
    for m in members:
        report = reports.get(m.organisation_id)
        dates = steps.get(report["pk"], {}) if report else {}
        if dates.get("submitted_at"):
            s = Steps(**dates)  # the report arrived through gongkai: its events are the steps
        else:
            s = Steps(m.submitted_at, m.returned_at, m.accepted_at, m.published_at)
        rows.append(
            MemberRow(
                member=m,
                depth=min(m.organisation.path.count("/") - top, 5),
                steps=s,
                status=status(s, r.submit_by, today),
                report_id=report["pk"] if report else None,
                report_state=STATE_LABELS[State(report["state"])] if report else "",
            )
        )
    return rows


def _jobs(r: Round) -> list[IngestJob]:
    return list(r.jobs.order_by("-created_at", "-pk")[:3])


FILE_FILTERS = {
    "pending": ("待确认", Q(status=FileStatus.OK, organisation__isnull=True)),
    "error": ("无法读取", Q(status=FileStatus.ERROR)),
    "matched": ("已匹配", Q(organisation__isnull=False)),
}


@supervisor_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    r = _round(request, pk)
    rows = member_rows(r, deadlines.today())
    counts = {s: 0 for s in Status}
    for row in rows:
        counts[row.status] += 1
    wanted = request.GET.get("status", "")
    shown = [row for row in rows if row.status == wanted] if wanted in set(Status) else rows
    # The uploads: a counted page (thousands of files stay one page of 50).
    files_filter = request.GET.get("files", "")
    files = IngestedReport.objects.filter(round=r)
    totals = files.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=FILE_FILTERS["pending"][1]),
        error=Count("pk", filter=FILE_FILTERS["error"][1]),
        matched=Count("pk", filter=FILE_FILTERS["matched"][1]),
    )
    if files_filter in FILE_FILTERS:
        files = files.filter(FILE_FILTERS[files_filter][1])
    files = (
        files.select_related("organisation")
        .only(
            "file",
            "agency",
            "year",
            "status",
            "error",
            "match",
            "n_error",
            "n_warning",
            "n_info",
            "created_at",
            "round_id",
            "organisation__name",
        )
        .order_by("pk")
    )
    paginator = Paginator(files, FILES_PER_PAGE)
    paginator.count = _count(totals, files_filter)  # known from the aggregate: no COUNT again
    page = paginator.get_page(request.GET.get("page"))
    names = {row.member.organisation_id: row.member.organisation.name for row in rows}
    matcher = matching.Matcher(names.items())
    file_rows = []
    for f in page:
        reason, near = "", []
        if f.status == FileStatus.OK and f.organisation_id is None:
            found = matcher.candidates(f.agency)
            reason = matching.why_pending(f, found, r.year)
            near = [names[o] for o in found.best]
        file_rows.append({"file": f, "reason": reason, "near": near})
    jobs = _jobs(r)
    return render(
        request,
        "supervise/rounds/detail.html",
        {
            "round": r,
            "rows": shown,
            "n_members": len(rows),
            "counts": [(s, LABELS[s], counts[s]) for s in Status],
            "status": wanted,
            "page": page,
            "file_rows": file_rows,
            "totals": totals,
            "files_filter": files_filter,
            "file_filters": [(k, v[0]) for k, v in FILE_FILTERS.items()],
            "jobs": jobs,
            "active": any(j.state in ACTIVE for j in jobs),
            "Match": Match,
            "FileStatus": FileStatus,
        },
    )


def _count(totals: dict[str, int], key: str) -> int:
    return totals[key] if key in FILE_FILTERS else totals["total"]


@supervisor_required
def round_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The upload jobs' progress (the fragment the round page polls while a job runs)."""
    r = _round(request, pk)
    jobs = _jobs(r)
    active = any(j.state in ACTIVE for j in jobs)
    response = render(
        request, "supervise/rounds/_progress.html", {"round": r, "jobs": jobs, "active": active}
    )
    if request.headers.get("HX-Request") and request.GET.get("was_active") and not active:
        # The job has just finished: reload the page once, for its files and statuses.
        response["HX-Refresh"] = "true"
    return response


@supervisor_required
@require_POST
def round_upload(request: HttpRequest, pk: int) -> HttpResponse:
    r = _round(request, pk)
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, "请选择要上传的年度报告文件（可多选，或上传一个 ZIP 压缩包）")
        return redirect("supervise:round", pk=r.pk)
    job = ingest.create_job(
        ingest.uploads_from(files), supervisor=r.supervisor, user=request.user, round=r
    )
    tasks.enqueue(job)
    messages.success(request, f"已上传{job.total}个文件，正在后台读取")
    return redirect(reverse("supervise:round", kwargs={"pk": r.pk}) + "#progress")


@supervisor_required
def round_assign(request: HttpRequest, pk: int, report: int) -> HttpResponse:
    """Confirm, correct or make an uploaded report's match to a member."""
    r = _round(request, pk)
    f = get_object_or_404(
        IngestedReport.objects.filter(round=r).select_related("organisation").defer("report_json"),
        pk=report,
    )
    members = {m.organisation_id: m for m in r.members.select_related("organisation")}
    if request.method == "POST":
        chosen = request.POST.get("member", "")
        member = None
        if chosen:
            member = members.get(int(chosen)) if chosen.isdigit() else None
            if member is None:
                messages.error(request, "所选机关不是本轮次的报送机关")
                return redirect("supervise:round_assign", pk=r.pk, report=f.pk)
        try:
            matching.assign(f, member, request.user)
        except matching.AssignError as e:
            messages.error(request, str(e))
            return redirect("supervise:round", pk=r.pk)
        if member is None:
            messages.success(request, f"已取消「{f.file}」的机关匹配")
        else:
            messages.success(request, f"已确认「{f.file}」为{member.organisation.name}的报告")
        return redirect(reverse("supervise:round", kwargs={"pk": r.pk}) + "#files")
    matcher = matching.Matcher((o, m.organisation.name) for o, m in members.items())
    near = set(matcher.candidates(f.agency).best)
    ordered = tree(Organisation.objects.filter(pk__in=members))
    choices = [(o, d, o.pk in near) for o, d in ordered]
    return render(
        request,
        "supervise/rounds/assign.html",
        {"round": r, "f": f, "choices": choices, "current": f.organisation_id},
    )
