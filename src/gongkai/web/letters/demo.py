"""Letter settings of the demo agencies (``gongkai serve --demo``), idempotent."""

from __future__ import annotations

from typing import Any

from .models import LetterSettings, ReviewRoute

# (demo body attribute, 文号 prefix, 上一级主管部门) — both are 示范区人民政府's departments.
DEMO = (
    ("agency_a", "示范区政办公复", "示范市人民政府办公室"),
    ("agency_b", "示范区教公复", "示范市教育局"),
)


def load_settings(orgs: Any) -> None:
    for attr, prefix, superior in DEMO:
        LetterSettings.objects.get_or_create(
            organisation=getattr(orgs, attr),
            defaults={
                "number_prefix": prefix,
                "review_route": ReviewRoute.DEPARTMENT,
                "review_body": "示范区人民政府",
                "superior_body": superior,
                "contact": "示范区政务服务中心 0571-00000000",
                "payment": "持本通知书到本机关办理，或者通过非税收入缴款平台缴纳",
            },
        )
