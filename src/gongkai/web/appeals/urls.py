from __future__ import annotations

from django.urls import path

from . import views

app_name = "appeals"
urlpatterns = [
    path("", views.appeal_list, name="list"),
    path("new/", views.appeal_new, name="new"),
    path("<int:pk>/", views.appeal_detail, name="detail"),
]
