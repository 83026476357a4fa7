from __future__ import annotations

from django.urls import path

from . import views

app_name = "letters"
urlpatterns = [
    path("cases/<int:pk>/issue/", views.issue, name="issue"),
    path("<int:pk>/download/", views.download, name="download"),
    path("settings/<int:org_id>/", views.settings, name="settings"),
]
