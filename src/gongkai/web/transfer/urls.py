from __future__ import annotations

from django.urls import path

from . import views

app_name = "transfer"
urlpatterns = [
    path("imports/", views.import_start, name="import"),
    path("imports/<int:org>/<str:sha>/", views.import_preview, name="import_preview"),
    path("exports/cases.xlsx", views.cases_xlsx, name="cases_xlsx"),
    path("exports/appeals.xlsx", views.appeals_xlsx, name="appeals_xlsx"),
    path("exports/ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
]
