"""Included at the root: ``/reports/…`` (login) and ``/public/reports/…`` (no login; 404 until
published). The public-side app owns ``/public/agencies/…``; these names are ``reports:…``."""

from __future__ import annotations

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/start/", views.start, name="start"),
    path("reports/calendar/", views.calendar, name="calendar"),
    path("reports/<int:pk>/", views.detail, name="detail"),
    path("reports/<int:pk>/save/", views.save, name="save"),
    path("reports/<int:pk>/transition/", views.transition, name="transition"),
    path("reports/<int:pk>/export/<str:kind>/", views.export, name="export"),
    path("public/reports/<int:pk>/", views.public, name="public"),
    path("public/reports/<int:pk>/docx/", views.public_docx, name="public_docx"),
]
