"""``/supervise/…``: the supervising office's side (403 for anyone who is not a 公开办 member).

Each part has its own module: the dashboard and roll-ups, the rounds with their members and
uploads, the findings browser with the report pages."""

from __future__ import annotations

from django.urls import include, path

app_name = "supervise"
urlpatterns = [
    path("", include("gongkai.web.supervise.dashboard_urls")),
    path("rounds/", include("gongkai.web.supervise.rounds_urls")),
    path("reports/", include("gongkai.web.supervise.findings_urls")),
]
