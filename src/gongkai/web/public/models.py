"""The public side's own records: the 公开指南 (versioned) and the online submissions that await
an office's confirmation.

An online application is not yet a register case: 条例 第三十一条第（三）项 makes the day both
sides confirm it the date of receipt. :class:`OnlineApplication` keeps what the applicant
submitted, its 查询号 and its state; an officer's confirmation creates the case (channel 网络,
received = the confirmation day) through :func:`gongkai.web.cases.register.create_case` and
links it here — the case's own stored fields and events then tell the applicant how it goes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from ..cases.models import APPLICANT_CHOICES, Case, RequestedForm
from ..orgs.models import Organisation

# The 申请方式 a 指南 states, each accepted or not, with its note (web.md §A1 申请方式).
GUIDE_CHANNELS: tuple[tuple[str, str], ...] = (
    ("in_person", "当面提交"),
    ("post", "信函（邮寄）"),
    ("online", "网络（本网站在线申请）"),
    ("email", "电子邮件"),
    ("fax", "传真"),
    ("phone", "电话"),
)
CHANNEL_LABELS = dict(GUIDE_CHANNELS)

# The text fields of a guide, in the order of the page (江苏省政府办公厅指南's five parts).
GUIDE_TEXT_FIELDS = (
    "classification",
    "arrangement",
    "access",
    "office_name",
    "address",
    "postcode",
    "hours",
    "phone",
    "fax",
    "email",
    "website",
    "fees",
    "remedy",
    "other",
)


class Guide(models.Model):
    """One version of an organisation's 政府信息公开指南 (条例 第十二条). Saving never changes a
    version: it adds the next one (:func:`gongkai.web.public.guides.save_version`)."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="guides", verbose_name="机关"
    )
    version = models.PositiveIntegerField("版本")
    updated = models.DateField("更新日期")
    # 政府信息的分类、编排体系、获取方式 (第十二条第一款)
    classification = models.TextField("政府信息的分类")
    arrangement = models.TextField("编排体系")
    access = models.TextField("获取方式")
    # 政府信息公开工作机构 (第十二条第一款)
    office_name = models.CharField("工作机构名称", max_length=200)
    address = models.CharField("办公地址", max_length=300)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    hours = models.CharField("办公时间", max_length=300)
    phone = models.CharField("联系电话", max_length=100)
    fax = models.CharField("传真号码", max_length=100, blank=True)
    email = models.CharField("电子邮箱", max_length=200, blank=True)
    website = models.CharField("网址", max_length=300, blank=True)
    channels = models.JSONField(
        "申请方式", default=list, help_text="[{kind, accepted, note}]，kind 见 GUIDE_CHANNELS"
    )
    fees = models.TextField("收费", blank=True)
    remedy = models.TextField("救济途径", blank=True)
    other = models.TextField("其他事项", blank=True)
    sha256 = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "政府信息公开指南"
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="unique_guide_version")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} 指南 第{self.version}版"

    def channel_rows(self) -> list[dict[str, Any]]:
        """The channels in the fixed order, each with its label."""
        by_kind = {c.get("kind"): c for c in self.channels or []}
        return [
            {
                "kind": kind,
                "label": label,
                "accepted": bool(by_kind.get(kind, {}).get("accepted")),
                "note": str(by_kind.get(kind, {}).get("note", "")),
            }
            for kind, label in GUIDE_CHANNELS
        ]

    def accepts_online(self) -> bool:
        return any(c["kind"] == "online" and c["accepted"] for c in self.channel_rows())


class IdType(models.TextChoices):
    RESIDENT = "resident", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
    OTHER = "other", "其他证件"


class SubmissionState(models.TextChoices):
    PENDING = "pending", "待机关确认"
    CONFIRMED = "confirmed", "已确认收到"
    REJECTED = "rejected", "不作为政府信息公开申请处理"


class OnlineApplication(models.Model):
    """What an applicant submitted online, until and after the office confirms it."""

    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="online_applications", verbose_name="申请机关"
    )
    tracking_code = models.CharField("查询号", max_length=12, unique=True)
    # The nonce of the form's challenge, or the API's Idempotency-Key: one application per key.
    submission_key = models.CharField(max_length=64, unique=True, null=True, editable=False)
    # sha256 of (机关, 类型, 姓名, 电话, 所需信息): a second identical submission while the first
    # awaits confirmation returns the first.
    fingerprint = models.CharField(max_length=64, db_index=True, editable=False)
    via = models.CharField("提交途径", max_length=10, default="form")  # form | api

    applicant_type = models.CharField("申请人类型", max_length=20, choices=APPLICANT_CHOICES)
    name = models.CharField("姓名或名称", max_length=200)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_rep = models.CharField("法定代表人", max_length=100, blank=True)
    contact_person = models.CharField("联系人", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=40)
    phone_digits = models.CharField(max_length=20, editable=False)  # for matching
    email = models.CharField("电子邮箱", max_length=200, blank=True)
    address = models.CharField("通信地址", max_length=300, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    description = models.TextField("所需信息的名称、文号或特征性描述")
    requested_form = models.CharField(
        "获取方式", max_length=10, choices=RequestedForm.choices, default=RequestedForm.EMAIL
    )
    purpose = models.TextField("用途（选填）", blank=True)

    state = models.CharField(
        "状态", max_length=10, choices=SubmissionState.choices, default=SubmissionState.PENDING
    )
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    decided_at = models.DateTimeField("处理时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_on = models.DateField("双方确认之日", null=True, blank=True)
    reject_reason = models.TextField("不予处理的理由（告知申请人）", blank=True)
    case = models.OneToOneField(
        Case,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="online_application",
        verbose_name="登记的申请",
    )

    class Meta:
        verbose_name = verbose_name_plural = "在线申请"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "state", "submitted_at"], name="online_org_state")
        ]

    def __str__(self) -> str:
        return self.tracking_code
