"""Per-body letter settings, the 文号 counters, and the issued letters.

A letter belongs to one event of a case and one kind (:mod:`.kinds`); it is issued once —
(event, kind) is unique — and its file is kept: downloading it again returns the stored file,
never a re-rendering, so a 文号 is never spent twice and what the applicant received is what the
register holds. The file's sha256 is stored and checked on every download.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..cases.models import Case, CaseEvent
from ..orgs.models import Organisation
from .kinds import KIND_CHOICES


class ReviewRoute(models.TextChoices):
    """Where an applicant asks for 行政复议 against this body's answers (行政复议法)."""

    DEPARTMENT = "department", "本级人民政府工作部门（2024年起向本级人民政府申请复议）"
    VERTICAL = "vertical", "垂直管理机关（海关、金融、外汇、税务、国家安全等，向上一级主管部门）"
    GOVERNMENT = "government", "地方人民政府（向上一级地方人民政府）"


class LetterSettings(models.Model):
    """What a body's letters need that the organisation tree does not hold (the ``orgs`` app
    stays as it is): the 文号 prefix, the review bodies, the signature and contact."""

    organisation = models.OneToOneField(
        Organisation, models.CASCADE, related_name="letter_settings", verbose_name="机关"
    )
    number_prefix = models.CharField(
        "文号前缀", max_length=40, help_text="如“示范区政办公复”，文号为 前缀〔年份〕序号号"
    )
    signature = models.CharField(
        "落款机关名称", max_length=200, blank=True, help_text="空则用机关名称"
    )
    review_route = models.CharField(
        "行政复议途径", max_length=20, choices=ReviewRoute.choices, default=ReviewRoute.DEPARTMENT
    )
    review_body = models.CharField(
        "行政复议机关（本级人民政府）", max_length=200, blank=True, help_text="如“示范区人民政府”"
    )
    superior_body = models.CharField(
        "上一级主管部门或上一级人民政府",
        max_length=200,
        blank=True,
        help_text="垂直管理机关、地方人民政府，以及2024年1月1日前的答复书需要",
    )
    contact = models.CharField("联系人及电话", max_length=200, blank=True)
    payment = models.CharField(
        "信息处理费缴纳方式", max_length=500, blank=True, help_text="收费通知书引用"
    )

    class Meta:
        verbose_name = verbose_name_plural = "文书设置"

    def __str__(self) -> str:
        return f"{self.organisation} 文书设置"

    @property
    def vertical(self) -> bool:
        """A vertically managed body (行政复议法 2023 第二十七条)."""
        return self.review_route == ReviewRoute.VERTICAL

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.review_route == ReviewRoute.DEPARTMENT and not self.review_body.strip():
            errors["review_body"] = "本级人民政府工作部门须填写行政复议机关（本级人民政府）"
        if self.review_route != ReviewRoute.DEPARTMENT and not self.superior_body.strip():
            errors["superior_body"] = (
                "垂直管理机关和地方人民政府须填写上一级主管部门或上一级人民政府"
            )
        if "〔" in self.number_prefix or "号" in self.number_prefix[-1:]:
            errors["number_prefix"] = "只填前缀（如“示范区政办公复”），年份和序号自动生成"
        if errors:
            raise ValidationError(errors)

    def signing_name(self) -> str:
        return self.signature.strip() or self.organisation.name


class LetterCounter(models.Model):
    """The last 文号 number of a body in a year; locked (``select_for_update``) while a
    letter is issued, in the same transaction as the letter row."""

    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "文号计数"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_letter_counter")
        ]


class Letter(models.Model):
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="letters", verbose_name="出具机关"
    )
    case = models.ForeignKey(Case, models.PROTECT, related_name="letters")
    event = models.ForeignKey(CaseEvent, models.PROTECT, related_name="letters")
    kind = models.CharField("文书", max_length=30, choices=KIND_CHOICES)
    year = models.PositiveSmallIntegerField("文号年度")
    seq = models.PositiveIntegerField("文号序号")
    number = models.CharField("文号", max_length=80)
    title = models.CharField("标题", max_length=200)
    letter_date = models.DateField("文书日期")
    addressee = models.CharField("收件人", max_length=200)
    articles = models.JSONField("引用条款", default=list)
    wording = models.JSONField("所用措辞", default=list)  # Entry ids, e.g. remedy.department@…
    file = models.CharField("文件", max_length=255)  # relative to MEDIA_ROOT
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    issued_at = models.DateTimeField("出具时间", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "文书"
        ordering = ["case", "event__seq", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["event", "kind"], name="unique_letter_per_event"),
            models.UniqueConstraint(
                fields=["organisation", "year", "seq"], name="unique_letter_number"
            ),
        ]

    def __str__(self) -> str:
        return self.number
