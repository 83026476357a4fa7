from __future__ import annotations

from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.index, name="index"),
    path("agencies/<int:pk>/", views.agency, name="agency"),
    path("agencies/<int:pk>/guide/", views.guide, name="guide"),
    path("agencies/<int:pk>/guide/versions/", views.guide_versions, name="guide_versions"),
    path("agencies/<int:pk>/guide/versions/<int:version>/", views.guide, name="guide_version"),
    path("agencies/<int:pk>/guide/edit/", views.guide_edit, name="guide_edit"),
    path("agencies/<int:pk>/apply/", views.apply, name="apply"),
    path("track/", views.track, name="track"),
    path("queue/", views.queue, name="queue"),
    path("queue/<int:pk>/", views.queue_detail, name="queue_detail"),
    path("queue/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("queue/<int:pk>/reject/", views.reject, name="reject"),
]
