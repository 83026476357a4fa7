"""The supervising office's side (年报报送 and 核查): collection rounds, ingest jobs, and the
reports they read.

An ingested report keeps the rows of the batch dataset (``gongkai.batch.schema``: cells,
findings, parse warnings, sections) under the same column names, so that what the web shows
and what ``gongkai batch`` writes are one schema; the parsed report itself is kept too (its
JSON, zlib-compressed) so that its page can render it with the findings marked.
"""

from __future__ import annotations

import zlib
from typing import Any

from django.conf import settings
from django.db import models

from ..orgs.models import Organisation


class Round(models.Model):
    """One supervisor's collection of one year's annual reports (年报报送)."""

    supervisor = models.ForeignKey(
        Organisation, models.PROTECT, related_name="rounds", verbose_name="政务公开办"
    )
    year = models.PositiveSmallIntegerField("报告年度")
    title = models.CharField("名称", max_length=200, blank=True)
    submit_by = models.DateField("报送截止日期")
    publish_by = models.DateField("发布截止日期", null=True, blank=True)
    note = models.CharField("依据（通知文号等）", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="创建人"
    )

    class Meta:
        verbose_name = verbose_name_plural = "年报报送轮次"
        ordering = ["-year", "supervisor"]
        constraints = [
            models.UniqueConstraint(fields=["supervisor", "year"], name="one_round_per_year")
        ]

    def __str__(self) -> str:
        return self.title or f"{self.year}年度政府信息公开工作年度报告报送"


class RoundMember(models.Model):
    """A body whose report the round expects, with the date of each step. The status shown
    (未提交, 已提交, 退回, 已接收, 已发布, 逾期) is derived from these dates and the round's
    due date, never stored, so it cannot go stale."""

    round = models.ForeignKey(Round, models.CASCADE, related_name="members", verbose_name="轮次")
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="round_memberships", verbose_name="机关"
    )
    # The report as submitted through gongkai (part 2's workflow), if the body uses it.
    report = models.ForeignKey(
        "reports.AnnualReport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="round_members",
        verbose_name="系统内报告",
    )
    # The uploaded file assigned to this body (the latest one counts).
    ingested = models.ForeignKey(
        "IngestedReport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_members",
        verbose_name="上传的报告",
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)
    accepted_at = models.DateTimeField("接收时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    note = models.TextField("退回意见", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "报送机关"
        ordering = ["round", "organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["round", "organisation"], name="member_once")
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.organisation}"


class JobState(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class IngestJob(models.Model):
    """One upload (one or many files, or a ZIP), read in the background."""

    supervisor = models.ForeignKey(
        Organisation, models.PROTECT, related_name="ingest_jobs", verbose_name="政务公开办"
    )
    round = models.ForeignKey(
        Round, models.SET_NULL, null=True, blank=True, related_name="jobs", verbose_name="轮次"
    )
    state = models.CharField(
        "状态", max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    total = models.PositiveIntegerField("文件数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    error = models.TextField("错误", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    # Who is reading the job ("host:pid:random", see ingest.claim) and when it last showed
    # life: one task at a time writes a job's rows; a dead worker's claim is taken over.
    claim = models.CharField(max_length=120, blank=True)
    heartbeat = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="上传人"
    )

    class Meta:
        verbose_name = verbose_name_plural = "报告读取任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"读取任务 {self.pk}（{self.done}/{self.total}）"


class FileStatus(models.TextChoices):
    QUEUED = "queued", "待处理"
    OK = "ok", "已读取"
    ERROR = "error", "无法读取"


class Match(models.TextChoices):
    NONE = "", "未匹配"
    AUTO = "auto", "按名称自动匹配"
    CONFIRMED = "confirmed", "已确认"


class Review(models.TextChoices):
    NONE = "", "未处理"
    ACCEPTED = "accepted", "已接收"
    RETURNED = "returned", "已退回"


class IngestedReport(models.Model):
    """One uploaded file: the batch dataset's ``reports`` row, its body match and review."""

    job = models.ForeignKey(IngestJob, models.CASCADE, related_name="reports")
    # Denormalised from the job: every query of the supervisor's side is scoped by it.
    supervisor = models.ForeignKey(
        Organisation, models.PROTECT, related_name="ingested", verbose_name="政务公开办"
    )
    round = models.ForeignKey(
        Round, models.SET_NULL, null=True, blank=True, related_name="reports", verbose_name="轮次"
    )
    file = models.CharField("文件名", max_length=255)
    stored = models.CharField("存储路径", max_length=500)  # relative to the data directory
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField("字节数", null=True)
    # The batch schema's report columns.
    agency = models.CharField("机关名称", max_length=200, blank=True)
    agency_key = models.CharField("机关标准名", max_length=200, blank=True)
    year = models.PositiveSmallIntegerField("年度", null=True)
    format = models.CharField("格式", max_length=10, blank=True)
    title = models.CharField("标题", max_length=300, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=FileStatus.choices, default=FileStatus.QUEUED
    )
    error = models.TextField("错误信息", blank=True)
    n_warnings = models.PositiveIntegerField("解析提示数", default=0)
    # Finding counts per severity (kept with the findings, for the lists' filters and sorts).
    n_error = models.PositiveIntegerField("错误数", default=0)
    n_warning = models.PositiveIntegerField("警告数", default=0)
    n_info = models.PositiveIntegerField("提示数", default=0)
    report_json = models.BinaryField("解析结果（zlib 压缩的 JSON）", null=True, editable=False)
    # Copy detection's features of the sections (``batch.similarity.Features``, marshalled and
    # zlib-compressed), computed by the worker that read the file: the batch stage of a later
    # upload does not compute them again.
    features = models.BinaryField(null=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="ingested_reports",
        verbose_name="对应机关",
    )
    match = models.CharField("匹配", max_length=10, choices=Match.choices, blank=True)
    review = models.CharField("审查", max_length=10, choices=Review.choices, blank=True)
    review_note = models.TextField("退回意见", blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "上传的年度报告"
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["supervisor", "year"], name="ingested_supervisor_year"),
            models.Index(fields=["round", "status"], name="ingested_round_status"),
            models.Index(fields=["agency_key", "year"], name="ingested_agency_year"),
        ]

    def __str__(self) -> str:
        return self.file

    def parsed(self) -> Any:
        """The parsed :class:`gongkai.report.Report`, or None for a file that was not read."""
        if not self.report_json:
            return None
        from ...report import Report

        return Report.from_json(zlib.decompress(bytes(self.report_json)))


class IngestedCell(models.Model):
    """``gongkai.batch.schema.CELLS``, column for column."""

    report = models.ForeignKey(IngestedReport, models.CASCADE, related_name="cells")
    table_key = models.CharField(max_length=10)
    row_key = models.CharField(max_length=20)
    column_key = models.CharField(max_length=20)
    row_label = models.TextField(null=True)
    column_label = models.TextField(null=True)
    raw = models.TextField(null=True)
    value = models.FloatField(null=True)
    value_text = models.TextField(null=True)
    kind = models.CharField(max_length=10)
    unit = models.CharField(max_length=10, null=True)
    inferred = models.BooleanField(default=False)
    extra = models.BooleanField(default=False)
    page = models.IntegerField(null=True)
    line = models.IntegerField(null=True)
    grid_row = models.IntegerField(null=True)
    grid_column = models.IntegerField(null=True)
    ocr = models.FloatField(null=True)
    # No index but the report's: every query of cells starts from reports, and a second index
    # on two million rows cost the ingest a third of its time (benchmarks/web_ingest.py).


class Stage(models.TextChoices):
    FILE = "file", "单份报告"
    BATCH = "batch", "跨报告（跨年度、雷同）"


class IngestedFinding(models.Model):
    """``gongkai.batch.schema.FINDINGS``; ``stage`` tells the per-file findings from the
    cross-report ones (T3-6 … and DUP-1), which are recomputed whenever reports are added."""

    report = models.ForeignKey(IngestedReport, models.CASCADE, related_name="findings")
    rule = models.CharField(max_length=20)
    severity = models.CharField(max_length=10)
    message = models.TextField()
    source = models.TextField(null=True)
    table_key = models.CharField(max_length=10, null=True)
    place = models.TextField(null=True)
    cells = models.TextField(null=True)  # JSON, as in the dataset
    location = models.TextField(null=True)  # JSON, as in the dataset
    related_report = models.ForeignKey(IngestedReport, models.SET_NULL, null=True, related_name="+")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.FILE)

    class Meta:
        indexes = [models.Index(fields=["rule", "severity"], name="finding_rule")]


class IngestedWarning(models.Model):
    """``gongkai.batch.schema.WARNINGS`` (the parser's own notes)."""

    report = models.ForeignKey(IngestedReport, models.CASCADE, related_name="parse_warnings")
    code = models.CharField(max_length=40)
    message = models.TextField()
    place = models.TextField(null=True)
    location = models.TextField(null=True)


class IngestedSection(models.Model):
    """``gongkai.batch.schema.SECTIONS`` (the narrative, for copy detection side by side)."""

    report = models.ForeignKey(IngestedReport, models.CASCADE, related_name="sections")
    number = models.IntegerField()
    heading = models.TextField(null=True)
    text = models.TextField(null=True)
    page = models.IntegerField(null=True)
    line = models.IntegerField(null=True)
