"""Catalogue rows for the web tests, made through the service (as the pages make them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from gongkai.register.catalogue import Disclosure, DocKind, ItemData, ReviewStep, Validity
from gongkai.web.catalogue import service
from gongkai.web.catalogue.models import CatalogueItem, CatalogueSettings
from gongkai.web.orgs.models import Organisation

CODES = ("11330100000000001L", "11330100000000002P")


def configure(org: Organisation, rule: str = "{code}/{year}-{serial:05d}") -> None:
    if not CatalogueSettings.objects.filter(organisation=org).exists():
        code = CODES[org.pk % 2]
        service.save_settings(org, code, rule, 0, None)


def data(**kw: Any) -> ItemData:
    base = ItemData(
        title="示范区行政规范性文件管理办法",
        written=dt.date(2025, 3, 1),
        topic="综合政务",
        genre="办法",
        kind=DocKind.NORMATIVE,
        article20="i1",
        disclosure=Disclosure.PROACTIVE,
        validity=Validity.IN_FORCE,
        doc_no="示政办发〔2025〕3号",
        summary="规范行政规范性文件的制定和管理",
    )
    return dataclasses.replace(base, **kw)


def item(org: Organisation, user: Any = None, *, steps: int = 0, **kw: Any) -> CatalogueItem:
    configure(org)
    row = service.create_item(org, data(**kw), user)
    for step in list(ReviewStep)[:steps]:
        row = service.review(row.pk, row.version, step, user)
    return row


def published(org: Organisation, user: Any = None, **kw: Any) -> CatalogueItem:
    return item(org, user, steps=3, **kw)


def one_published(org: Organisation) -> CatalogueItem:
    """One published item of ``org`` (made on first use): for the URL permission registry."""
    found = CatalogueItem.objects.filter(organisation=org, state="published").first()
    return found or published(org, title="权限测试用的已发布条目")


FORM = {
    "title": "示范区某办法（修改）",
    "written": "2025-03-01",
    "topic": "综合政务",
    "genre": "办法",
    "kind": "normative",
    "article20": "i1",
    "disclosure": "proactive",
    "validity": "in_force",
}
