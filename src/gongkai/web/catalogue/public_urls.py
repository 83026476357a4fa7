"""Public catalogue URLs, mounted at ``/public/agencies/<org>/catalogue/`` (no login)."""

from __future__ import annotations

from django.urls import path

from . import public

app_name = "public_catalogue"
urlpatterns = [
    path("", public.catalogue, name="list"),
    path("download.csv", public.download, name="download"),
    path("<int:pk>/", public.detail, name="detail"),
]
