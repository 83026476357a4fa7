from __future__ import annotations

from django.urls import path

from . import rounds

urlpatterns = [
    path("", rounds.round_list, name="rounds"),
    path("new/", rounds.round_new, name="round_new"),
    path("<int:pk>/", rounds.round_detail, name="round"),
    path("<int:pk>/members/", rounds.round_members, name="round_members"),
    path("<int:pk>/upload/", rounds.round_upload, name="round_upload"),
    path("<int:pk>/progress/", rounds.round_progress, name="round_progress"),
    path("<int:pk>/files/<int:report>/assign/", rounds.round_assign, name="round_assign"),
]
