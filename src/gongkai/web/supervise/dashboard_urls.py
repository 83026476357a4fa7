from __future__ import annotations

from django.urls import path

from . import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dashboard/data.json", dashboard.data_json, name="dashboard_data"),
    path("dashboard/rollup.xlsx", dashboard.rollup_xlsx, name="rollup_xlsx"),
    path("dashboard/timeliness.xlsx", dashboard.timeliness_xlsx, name="timeliness_xlsx"),
    path("dashboard/dataset.<str:kind>", dashboard.dataset, name="dataset"),
]
