from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.web.reports"
    label = "reports"
    verbose_name = "政府信息公开工作年度报告"
