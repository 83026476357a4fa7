"""The proactive-disclosure catalogue (政府信息公开目录) as stored rows.

Every rule is :mod:`gongkai.register.catalogue`'s (vocabularies, validation, the 索引号 rule,
the review steps); :mod:`.service` is the one way to change a row: it validates, writes the
row and its :class:`ItemEvent` in one transaction, and refuses a stale ``version``.

* :class:`CatalogueSettings` — per organisation: the 前段码 (统一社会信用代码 or 组织机构代码)
  and the 索引号 rule (configuration; ``orgs`` has no such field and is not ours to migrate);
* :class:`IndexCounter` — the last serial issued per organisation and year, locked with
  ``select_for_update`` while a number is issued;
* :class:`CatalogueItem` — one item; ``index_no`` is unique and never changes once issued;
* :class:`ItemEvent` — the append-only history (who, when, what changed);
* :class:`DecisionCount` — table 二's entered rows for one organisation and year.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from gongkai.register.catalogue import (
    ARTICLE_20,
    DEFAULT_RULE,
    DISCLOSURE_LABELS,
    GENRES,
    STATE_LABELS,
    TOPICS,
    VALIDITY_LABELS,
    CatalogueError,
    DocKind,
    ReviewState,
    kind_label,
)

from ..orgs.models import Organisation

KIND_CHOICES = [(k.value, kind_label(k)) for k in DocKind]
DISCLOSURE_CHOICES = [(d.value, label) for d, label in DISCLOSURE_LABELS.items()]
VALIDITY_CHOICES = [(v.value, label) for v, label in VALIDITY_LABELS.items()]
STATE_CHOICES = [(s.value, label) for s, label in STATE_LABELS.items()]
ARTICLE_CHOICES = [(a.key, f"{a.number}{a.text}") for a in ARTICLE_20]
TOPIC_CHOICES = [(t, t) for t in TOPICS]
GENRE_CHOICES = [(g, g) for g in GENRES]


class CatalogueSettings(models.Model):
    organisation = models.OneToOneField(
        Organisation, models.CASCADE, related_name="catalogue_settings", verbose_name="机构"
    )
    code = models.CharField(
        "机构代码（索引号前段码）",
        max_length=20,
        help_text="18位统一社会信用代码或9位组织机构代码",
    )
    rule = models.CharField(
        "索引号规则",
        max_length=100,
        default=DEFAULT_RULE,
        help_text="可用 {code} {year} {month:02d} {serial:05d}；须含 {year} 和 {serial}",
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "目录设置"

    def __str__(self) -> str:
        return f"{self.organisation} {self.rule}"


class IndexCounter(models.Model):
    organisation = models.ForeignKey(Organisation, models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_index_counter")
        ]


class CatalogueItem(models.Model):
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="catalogue_items", verbose_name="机构"
    )
    index_no = models.CharField("索引号", max_length=100, unique=True, editable=False)
    title = models.CharField("名称", max_length=300)
    summary = models.CharField("内容概述", max_length=100, blank=True)
    doc_no = models.CharField("发文字号", max_length=60, blank=True)
    written = models.DateField("成文日期")
    published = models.DateField("发布日期", null=True, blank=True)
    publisher = models.CharField("发布机构", max_length=200)
    topic = models.CharField("主题分类", max_length=40, choices=TOPIC_CHOICES)
    genre = models.CharField("体裁分类", max_length=20, choices=GENRE_CHOICES)
    kind = models.CharField("文件类别", max_length=20, choices=KIND_CHOICES)
    article20 = models.CharField("第二十条事项", max_length=4, choices=ARTICLE_CHOICES)
    disclosure = models.CharField("公开属性", max_length=20, choices=DISCLOSURE_CHOICES)
    validity = models.CharField(
        "有效性", max_length=20, choices=VALIDITY_CHOICES, null=True, blank=True
    )
    effective = models.DateField("施行日期", null=True, blank=True)
    ended = models.DateField("废止或失效日期", null=True, blank=True)
    url = models.URLField("原文链接", max_length=500, blank=True)
    state = models.CharField(
        "审核状态", max_length=20, choices=STATE_CHOICES, default=ReviewState.DRAFT.value
    )
    content_reviewed_at = models.DateTimeField("内容审核时间", null=True, blank=True)
    content_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    secrecy_reviewed_at = models.DateTimeField("保密审查时间", null=True, blank=True)
    secrecy_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField("版本", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "目录条目"
        ordering = ["-written", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-written", "-id"], name="cat_org_written"),
            models.Index(fields=["organisation", "state", "disclosure"], name="cat_org_public"),
            models.Index(fields=["organisation", "kind"], name="cat_org_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.index_no} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # 索引号 never changes once issued (2008 指引), whatever code path saves the row.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("index_no", flat=True)
            if stored and stored[0] != self.index_no:
                raise CatalogueError(f"索引号一经生成不得更改（{stored[0]}）")
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.state == ReviewState.PUBLISHED.value and self.disclosure == "proactive"


class ItemEvent(models.Model):
    class Kind(models.TextChoices):
        CREATED = "created", "新建"
        IMPORTED = "imported", "导入"
        EDITED = "edited", "修改"
        CONTENT = "content", "内容审核"
        SECRECY = "secrecy", "保密审查"
        PUBLISH = "publish", "发布"
        REOPENED = "reopened", "修改后退回待审核"

    item = models.ForeignKey(CatalogueItem, models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    kind = models.CharField("事件", max_length=20, choices=Kind.choices)
    at = models.DateTimeField("时间", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField("改动", default=dict, blank=True)  # {field: [old, new]}
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "目录条目记录"
        ordering = ["item", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["item", "seq"], name="unique_item_event_seq")
        ]


class DecisionCount(models.Model):
    """Table 二's entered rows (许可、处罚、强制、收费 …) of one organisation and year, in the
    format of the year: ``values`` is ``{row key: {column key: "value"}}`` (strings, so that
    万元 amounts stay Decimal), validated against the format's cell types."""

    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="decision_counts", verbose_name="机构"
    )
    year = models.PositiveSmallIntegerField("年度")
    format = models.CharField("年报格式", max_length=10)
    values = models.JSONField("数值", default=dict)
    note = models.CharField("数据来源说明", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "表二填报数"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="unique_decision_year")
        ]
