"""Organisations (the tree 省 → 市 → 县/区 → 部门/乡镇), people's memberships and API tokens.

Each body names its supervising office (the 政务公开办 that collects its annual report — not
always its parent) and, after a 机构改革, its successor. ``path`` is a materialised path of
ids ("/1/4/9/") so that "everything under this body" is one indexed prefix query.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models


class Level(models.TextChoices):
    PROVINCE = "province", "省"
    CITY = "city", "市"
    COUNTY = "county", "县/区"
    DEPARTMENT = "department", "部门"
    TOWNSHIP = "township", "乡镇/街道"


class Kind(models.TextChoices):
    """The kind of body (web.md §E), for the supervisor's roll-ups."""

    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府部门"
    AGENCY = "agency", "派出机构"
    AUTHORISED = "authorised", "法律法规授权组织"
    TOWNSHIP = "township", "乡镇/街道"
    OTHER = "other", "其他"


class Organisation(models.Model):
    name = models.CharField("名称", max_length=200)
    level = models.CharField("层级", max_length=20, choices=Level.choices)
    kind = models.CharField("机关类型", max_length=20, choices=Kind.choices, blank=True)
    region_code = models.CharField(
        "行政区划代码",
        max_length=6,
        blank=True,
        help_text="GB/T 2260 六位代码，用于按地区汇总",
    )
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name="上级"
    )
    supervisor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised",
        verbose_name="政务公开工作主管部门",
        help_text="收集本机关年度报告的政务公开办，不一定是上级机关",
    )
    successor = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name="机构改革后的承继机关",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = verbose_name_plural = "机构"
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)

    def subtree(self) -> models.QuerySet[Organisation]:
        return Organisation.objects.filter(path__startswith=self.path)


class Role(models.TextChoices):
    OFFICER = "officer", "办理人员"
    REVIEWER = "reviewer", "审核人"
    ADMIN = "admin", "机关管理员"
    SUPERVISOR = "supervisor", "公开办（监督下级）"
    READONLY = "readonly", "只读"


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name="用户"
    )
    organisation = models.ForeignKey(
        Organisation, models.CASCADE, related_name="memberships", verbose_name="机构"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = verbose_name_plural = "成员"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Token(models.Model):
    """An API token for scripts (``Authorization: Bearer …``). Only its sha256 is stored: the
    key is shown once, when it is created (``manage.py gongkai_token``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name="用户"
    )
    name = models.CharField("用途", max_length=100, blank=True)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "接口令牌"

    @classmethod
    def issue(cls, user: Any, name: str = "") -> tuple[Token, str]:
        key = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=_digest(key)), key

    @classmethod
    def user_for(cls, key: str) -> Any | None:
        token = cls.objects.select_related("user").filter(digest=_digest(key)).first()
        if token is None or not token.user.is_active:
            return None
        return token.user
