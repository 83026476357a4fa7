"""URL configuration. Every pattern here must have an entry in the permission test's registry
(tests/web/test_permissions_urls.py) or the suite fails."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from .api import api
from .login import LoginView


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def home(request: HttpRequest) -> HttpResponse:
    """Staff go to their register; anyone else to the public side (a citizen who types the
    address should find the 指南 and the online application, not a login form)."""
    return redirect("cases:list" if request.user.is_authenticated else "public:index")


urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("cases/", include("gongkai.web.cases.urls")),
    path("letters/", include("gongkai.web.letters.urls")),
    path("public/", include("gongkai.web.public.urls")),
    path("catalogue/", include("gongkai.web.catalogue.urls")),
    path("public/agencies/<int:org>/catalogue/", include("gongkai.web.catalogue.public_urls")),
    path("appeals/", include("gongkai.web.appeals.urls")),
    path("", include("gongkai.web.transfer.urls")),
    path("", include("gongkai.web.reports.urls")),
    path("supervise/", include("gongkai.web.supervise.urls")),  # /reports/… and /public/reports/…
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
