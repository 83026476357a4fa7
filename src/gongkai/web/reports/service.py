"""The one write path of annual reports: start, save the text, take a transition. Each runs in
one transaction; the report row is locked (``select_for_update``) and a stale ``version`` is
refused, as the register refuses a stale case.

A *version* (:class:`~.models.ReportVersion`) is stored whenever the assembled report differs
from the last one stored (its sha256), and at every submission: its data is the report JSON of
``gongkai parse --format json``, with the findings of that moment. Publishing marks the
submitted (and accepted) version published — unchanged, since the year was locked from
submission. 更正 makes the report a draft again as a new version; the published one stays
what the public page shows until the correction is published.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from gongkai import formats
from gongkai.errors import GongkaiError

from ..orgs.models import Organisation
from . import assemble, states
from .models import AnnualReport, ReportEvent, ReportVersion, digest
from .states import Action, State


class ReportError(GongkaiError):
    """A Chinese reason an operation on a report was refused; ``status`` is the HTTP one."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


def stale(current: int, given: int) -> ReportError:
    return ReportError(
        f"报告已被他人修改（当前第{current}版，提交的是第{given}版），未保存任何改动；"
        "请刷新后重新操作",
        409,
    )


def snapshot(report: AnnualReport, user: Any) -> ReportVersion:
    """Store the assembled report as a new version unless the last one is the same (same data
    and same state). Call inside the transaction that holds the report row."""
    result = assemble.checked(report)
    data = result.data
    latest = report.latest()
    if latest is not None and latest.state == report.state and latest.sha256 == digest(data):
        return latest
    version = ReportVersion(
        report=report,
        number=report.version + 1,
        state=report.state,
        data=data,
        findings=result.findings_json(),
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    version.save()
    report.version = version.number
    report.save(update_fields=["version", "updated_at"])
    return version


def start(org: Organisation, year: int, user: Any) -> AnnualReport:
    """The body's report for ``year`` (created as a draft with version 1 if there is none)."""
    fmt = formats.for_year(year)
    if fmt is None:
        raise ReportError(f"{year}年没有适用的年报格式（现行条例的年报格式自2019年度起适用）")
    with transaction.atomic():
        report, created = AnnualReport.objects.select_for_update().get_or_create(
            organisation=org,
            year=year,
            defaults={
                "format": fmt.key,
                "preamble": assemble.default_preamble(year, fmt),
                "created_by": user if getattr(user, "is_authenticated", False) else None,
            },
        )
        if created:
            snapshot(report, user)
    return report


def save_text(
    report_id: int, version: int, preamble: str, texts: dict[int, str], user: Any
) -> tuple[AnnualReport, ReportVersion]:
    """Save the preamble and the sections (only in 草稿 or 退回) and check the result."""
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .select_related("organisation")
            .get(pk=report_id)
        )
        if report.version != version:
            raise stale(report.version, version)
        if State(report.state) not in states.EDITABLE:
            raise ReportError(
                f"报告当前状态为「{report.state_label}」，不能修改正文"
                "（提交后如需修改，请公开办退回；已发布的报告请先“更正”）",
                409,
            )
        known = {s.number for s in formats.get(report.format).sections}
        report.preamble = preamble
        report.sections = {str(n): texts.get(n, report.section_text(n)) for n in sorted(known)}
        report.save(update_fields=["preamble", "sections", "updated_at"])
        latest = snapshot(report, user)
    return report, latest


def transition(
    report_id: int, action: Action | str, note: str, user: Any, version: int | None = None
) -> AnnualReport:
    """Take ``action``; the caller has checked the role
    (:func:`gongkai.web.permissions.can_act_on_report`). Raises :class:`ReportError` with 409
    when the state does not allow it (or ``version`` is stale), 422 without a required note."""
    action = Action(action)
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update()
            .select_related("organisation")
            .get(pk=report_id)
        )
        if version is not None and report.version != version:
            raise stale(report.version, version)
        before = State(report.state)
        after = states.target(before, action)
        if after is None:
            raise ReportError(states.refusal(before, action), 409)
        note = note.strip()
        if action in states.NOTE_REQUIRED and not note:
            what = "退回意见" if action is Action.RETURN else "更正说明"
            raise ReportError(f"请填写{what}", 422)
        report.state = after.value
        if action in states.NOTE_REQUIRED:
            report.note = note
        elif action is Action.SUBMIT:
            report.note = ""
        report.save(update_fields=["state", "note", "updated_at"])
        if action in (Action.SUBMIT, Action.CORRECT):
            # Submission: the tables as the register stands now (from now on it is locked).
            # Correction: a new draft version; the published one is kept as it is.
            snapshot(report, user)
        elif action is Action.PUBLISH:
            ReportVersion.objects.filter(
                report=report, number=report.version, published_at__isnull=True
            ).update(published_at=timezone.now())
        ReportEvent.objects.create(
            report=report,
            action=action.value,
            from_state=before.value,
            to_state=after.value,
            version=report.version,
            note=note,
            by=user if getattr(user, "is_authenticated", False) else None,
        )
    return report
