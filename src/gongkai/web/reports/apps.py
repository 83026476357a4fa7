from __future__ import annotations

from typing import Any

from django.apps import AppConfig


def published_links(org: Any) -> list[tuple[str, str]]:
    """The body's published annual reports, for its public home page (``public.sections``)."""
    from django.urls import reverse

    from .models import AnnualReport

    reports = AnnualReport.objects.filter(
        organisation=org, versions__published_at__isnull=False
    ).distinct()
    return [
        (f"{r.year}年度政府信息公开工作年度报告", reverse("reports:public", args=[r.pk]))
        for r in reports.order_by("-year")
    ]


class ReportsConfig(AppConfig):
    name = "gongkai.web.reports"
    label = "reports"
    verbose_name = "政府信息公开工作年度报告"

    def ready(self) -> None:
        try:
            from ..public.sections import register
        except ImportError:  # the public side is not installed
            return
        register(published_links)
