"""Reconsideration and litigation cases (表四) as stored rows, their history, and ledger imports.

The rules are :mod:`gongkai.register.reviews`': the three kinds of table 四, the results, "a
decided case has both its date and its result", "not decided before it was filed", and the
counting rule of each report year. :mod:`.service` builds a
:class:`~gongkai.register.reviews.ReviewCase` from every row before it is saved, so a row the
library refuses is never stored. ``result`` holds ``pending`` (尚未审结) for an open case — the
column suffix of table 四 — where the library has ``None``.

Every change writes an :class:`AppealEvent` (who, when recorded, the legal date, what changed)
in the same transaction; ``version`` goes up by one, and an edit based on an older version is
refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.register.reviews import PENDING, ReviewKind, ReviewResult, kind_label, result_label

from ..cases.models import Case
from ..orgs.models import Organisation

KIND_CHOICES = [(k.value, kind_label(k)) for k in ReviewKind]
RESULT_CHOICES = [(r.value, result_label(r)) for r in ReviewResult] + [
    (PENDING, result_label(PENDING))
]


class Appeal(models.Model):
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="appeals", verbose_name="被申请或被诉机关"
    )
    number = models.CharField(
        "编号", max_length=60, help_text="本机关的复议诉讼案件编号（如复议案号、诉讼案号）"
    )
    kind = models.CharField("案件类型", max_length=10, choices=KIND_CHOICES)
    case = models.ForeignKey(
        Case,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name="关联的依申请公开申请",
    )
    # The 关联申请编号 as given (a ledger import) when no application of the register has it:
    # kept, so that nothing the officer wrote is lost and the ledger export gives it back.
    application_number = models.CharField("关联申请编号", max_length=60, blank=True)
    filed = models.DateField("收案日期", help_text="收到复议申请书或起诉状副本之日")
    authority = models.CharField("复议机关或人民法院", max_length=200, blank=True)
    result = models.CharField("审结结果", max_length=10, choices=RESULT_CHOICES)
    concluded = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政复议和行政诉讼案件"
        ordering = ["-filed", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="unique_appeal_number")
        ]
        indexes = [
            models.Index(fields=["organisation", "-filed", "-id"], name="appeal_org_filed"),
            models.Index(fields=["organisation", "kind", "result"], name="appeal_org_kind"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def application_ref(self) -> str:
        """The 关联申请编号: the linked case's 登记号, else the number as given."""
        return self.case.number if self.case_id and self.case else self.application_number


class AppealEvent(models.Model):
    """One change of an appeal: what (``kind`` and the fields changed, old → new), the legal
    date it concerns (``on``: the filing, the conclusion, or the day of a correction), who
    recorded it and when."""

    class Kind(models.TextChoices):
        FILED = "filed", "收案登记"
        IMPORTED = "imported", "台账导入"
        CHANGED = "changed", "修改"
        CONCLUDED = "concluded", "审结"
        REOPENED = "reopened", "改为尚未审结"

    appeal = models.ForeignKey(Appeal, models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField("事件", max_length=10, choices=Kind.choices)
    on = models.DateField("日期")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField("改动", default=dict, blank=True)  # {field: [old, new]}
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "复议诉讼案件记录"
        ordering = ["appeal", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "seq"], name="unique_appeal_event_seq")
        ]

    def __str__(self) -> str:
        return f"{self.appeal_id}#{self.seq} {self.kind}"


class ImportBatch(models.Model):
    """One confirmed import of an Excel ledger into a body's register. The same file (by
    sha256) is not imported into the same body twice."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="imports", verbose_name="导入机关"
    )
    sha256 = models.CharField(max_length=64)
    filename = models.CharField("文件名", max_length=255)
    size = models.PositiveIntegerField("文件大小（字节）")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cases = models.PositiveIntegerField("导入申请数", default=0)
    appeals = models.PositiveIntegerField("导入复议诉讼数", default=0)
    excluded = models.PositiveIntegerField("排除的有错误行数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "台账导入"
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "sha256"], name="unique_import_file")
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.sha256[:12]})"


class ImportedRow(models.Model):
    """Where an imported case or appeal came from: the ledger's sheet, row and 编号. Lets a
    later import link a review to an application imported before, and refuse a row already
    imported."""

    batch = models.ForeignKey(ImportBatch, models.CASCADE, related_name="rows")
    sheet = models.CharField(max_length=40)
    row = models.PositiveIntegerField()
    ledger_id = models.CharField(max_length=100)
    case = models.ForeignKey(Case, models.CASCADE, null=True, blank=True, related_name="+")
    appeal = models.ForeignKey(Appeal, models.CASCADE, null=True, blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["sheet", "ledger_id"], name="imported_sheet_id")]
