"""The annual report of one body and year, its versions, its history, and the supervisors'
reporting calendars.

* :class:`AnnualReport` — one per body and year: the state, the working copy of the text (the
  preamble and the six sections, as the body writes them), and the last version's number.
* :class:`ReportVersion` — append-only: every save that changes the assembled report, and every
  submission, stores the report JSON (the schema of ``gongkai parse --format json``), its
  findings and the sha256 of the JSON. A row is never updated — except ``published_at``, set
  once — nor deleted; a published version is what the public page serves.
* :class:`ReportEvent` — append-only: each transition (who, when, from, to, note).
* :class:`ReportingCalendar` — a supervising 公开办's own dates for a year (local notices set
  earlier dates than 条例第四十九条's 1月31日 and 3月31日).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models

from ..orgs.models import Organisation
from .states import STATE_LABELS, State

STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]


class ImmutableVersion(Exception):
    """A stored version was about to be changed or deleted."""


class AnnualReport(models.Model):
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="annual_reports", verbose_name="机关"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    format = models.CharField("年报格式", max_length=10)
    state = models.CharField("状态", max_length=20, choices=STATE_CHOICES, default=State.DRAFT)
    preamble = models.TextField("前言", blank=True)
    # {"1": text, …, "6": text}: the six sections as written (keys are the section numbers).
    sections = models.JSONField("正文", default=dict, blank=True)
    version = models.PositiveIntegerField("当前版本", default=0)
    note = models.TextField("公开办退回意见或更正说明", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_report_year")
        ]
        indexes = [models.Index(fields=["year", "state"], name="report_year_state")]

    def __str__(self) -> str:
        return f"{self.organisation}{self.year}年度报告"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state)]

    def section_text(self, number: int) -> str:
        return str(self.sections.get(str(number), ""))

    def latest(self) -> ReportVersion | None:
        return self.versions.order_by("-number").first()

    def published(self) -> ReportVersion | None:
        """The version the public sees: the last one published."""
        return self.versions.filter(published_at__isnull=False).order_by("-number").first()


def digest(data: str) -> str:
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


class ReportVersion(models.Model):
    report = models.ForeignKey(AnnualReport, models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    state = models.CharField("形成时的状态", max_length=20, choices=STATE_CHOICES)
    data = models.TextField("报告数据（JSON）")
    findings = models.JSONField("检查结果", default=list)
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度报告版本"
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} 第{self.number}版"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableVersion(f"{self}已保存，不能修改（每次改动都另存为新版本）")
        self.sha256 = digest(self.data)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableVersion(f"{self}不能删除")

    def payload(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.data)
        return loaded

    def intact(self) -> bool:
        """Whether the stored JSON still has the sha256 stored with it."""
        return digest(self.data) == self.sha256


class ReportEvent(models.Model):
    report = models.ForeignKey(AnnualReport, models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20)
    from_state = models.CharField(max_length=20, choices=STATE_CHOICES)
    to_state = models.CharField(max_length=20, choices=STATE_CHOICES)
    version = models.PositiveIntegerField("版本号")
    note = models.TextField("意见或说明", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "年度报告流转记录"
        ordering = ["report", "at", "id"]


class ReportingCalendar(models.Model):
    """A supervising 公开办's dates for the reports of ``year`` of the bodies that name it as
    their supervisor (``Organisation.supervisor``)."""

    supervisor = models.ForeignKey(
        Organisation, models.CASCADE, related_name="reporting_calendars", verbose_name="公开办"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    submit_by = models.DateField("报送截止日期", null=True, blank=True)
    publish_by = models.DateField("发布截止日期", null=True, blank=True)
    note = models.CharField("依据（通知文号等）", max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "年报报送日程"
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "year"], name="unique_calendar_year")
        ]
