"""``/supervise/reports/…``: the findings browser, the report pages and their review."""

from __future__ import annotations

from django.urls import path

from . import findings

urlpatterns = [
    path("", findings.report_list, name="reports"),
    path("export.xlsx", findings.report_list_xlsx, name="reports_xlsx"),
    path("rules/", findings.rules, name="rules"),
    path("<int:pk>/", findings.report_detail, name="report"),
    path("<int:pk>/review/", findings.report_review, name="report_review"),
]
