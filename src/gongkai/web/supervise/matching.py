"""Which round member an uploaded report is from, by the agency name the report gives.

Names are compared as ``gongkai.batch.agencies.normalise`` keys (上海市人民政府办公厅 and
上海市政府办公厅 are one key), then with the batch's place-prefix rule
(:func:`~gongkai.batch.agencies.merge_suffixes`): a key that starts with a place name of its
own and is the tail of a longer key right after one of its place units (临安区科技局 of
杭州市临安区科技局) names the same body. A report's key is a *candidate* for a member when the
keys are equal, or when either is such a tail of the other; equal keys win over tails.

Exactly one candidate, and the report's year is the round's (or unknown): assigned
automatically (``match="auto"``). None, several, or another year: 待确认 (the supervisor
assigns it by hand, :func:`assign`, ``match="confirmed"``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from ...batch.agencies import normalise, place_tails
from .models import FileStatus, IngestedReport, IngestJob, Match, RoundMember


def tails(key: str) -> set[str]:
    """The batch's place tails of ``key`` (杭州市临安区科技局 → {临安区科技局})."""
    return set(place_tails(key))


def same_body(a: str, b: str) -> bool:
    """Whether two normalised keys may name one body (equal, or one a place tail of the other)."""
    return a == b or a in tails(b) or b in tails(a)


@dataclass(frozen=True)
class Candidates:
    """The members a report's agency name may be."""

    exact: list[int]  # organisation ids with the same key
    tail: list[int]  # organisation ids related by the place-prefix rule

    @property
    def best(self) -> list[int]:
        return self.exact or self.tail


class Matcher:
    """The keys of a round's members, computed once for many reports."""

    def __init__(self, members: Iterable[tuple[int, str]]) -> None:
        self.keys = [(org_id, normalise(name)) for org_id, name in members]
        self.by_key: dict[str, list[int]] = {}
        self.by_tail: dict[str, list[int]] = {}
        for org_id, key in self.keys:
            self.by_key.setdefault(key, []).append(org_id)
            for t in tails(key):
                self.by_tail.setdefault(t, []).append(org_id)

    def candidates(self, agency: str | None) -> Candidates:
        if not agency:
            return Candidates([], [])
        key = normalise(agency)
        exact = list(self.by_key.get(key, ()))
        tail = set(self.by_tail.get(key, ()))  # the report gives the short form
        for t in tails(key):  # the report gives the longer form
            tail.update(self.by_key.get(t, ()))
        return Candidates(exact, sorted(tail - set(exact)))


def why_pending(report: IngestedReport, found: Candidates, year: int) -> str:
    """Why a read report was not assigned automatically, in Chinese."""
    if report.year is not None and report.year != year:
        return f"报告年度为{report.year}年，与本轮次（{year}年度）不符"
    if not report.agency:
        return "报告中未读出机关名称"
    if len(found.best) > 1:
        return f"「{report.agency}」与{len(found.best)}个报送机关名称相近"
    return f"「{report.agency}」与本轮次的报送机关名称均不相符"


def _latest_for(member: RoundMember) -> IngestedReport | None:
    return (
        IngestedReport.objects.filter(
            round_id=member.round_id,
            organisation_id=member.organisation_id,
            status=FileStatus.OK,
        )
        .defer("report_json")
        .order_by("-created_at", "-pk")
        .first()
    )


def _refresh(member: RoundMember) -> None:
    """The member's upload is its latest assigned file (its submission date: the upload's)."""
    latest = _latest_for(member)
    member.ingested = latest
    member.submitted_at = latest.created_at if latest else None
    member.save(update_fields=["ingested", "submitted_at"])


@transaction.atomic
def auto_match(job: IngestJob) -> int:
    """Assign the job's read reports that match exactly one member; returns how many. Reports
    already matched (automatically or by hand) are left as they are, so a rerun changes
    nothing."""
    if job.round_id is None:
        return 0
    round_ = job.round
    assert round_ is not None
    members = {
        m.organisation_id: m
        for m in RoundMember.objects.filter(round=round_).select_related("organisation")
    }
    matcher = Matcher((o, m.organisation.name) for o, m in members.items())
    touched: set[int] = set()
    n = 0
    pending = IngestedReport.objects.filter(
        job=job, status=FileStatus.OK, organisation__isnull=True, match=Match.NONE
    ).only("pk", "agency", "year", "created_at")
    for report in pending:
        if report.year is not None and report.year != round_.year:
            continue
        best = matcher.candidates(report.agency).best
        if len(best) != 1:
            continue
        IngestedReport.objects.filter(pk=report.pk).update(
            organisation_id=best[0], match=Match.AUTO
        )
        touched.add(best[0])
        n += 1
    for org_id in touched:
        _refresh(members[org_id])
    return n


class AssignError(Exception):
    pass


@transaction.atomic
def assign(report: IngestedReport, member: RoundMember | None, user: Any = None) -> None:
    """The supervisor's decision: ``report`` is ``member``'s (confirmed), or no member's."""
    if report.status != FileStatus.OK:
        raise AssignError("无法读取的文件不能指定报送机关")
    if member is not None and member.round_id != report.round_id:
        raise AssignError("所选机关不是本轮次的报送机关")
    before = report.organisation_id
    report.organisation_id = member.organisation_id if member else None
    report.match = Match.CONFIRMED if member else Match.NONE
    report.save(update_fields=["organisation", "match"])
    for org_id in {before, report.organisation_id} - {None}:
        m = RoundMember.objects.filter(round_id=report.round_id, organisation_id=org_id).first()
        if m is not None:
            _refresh(m)
