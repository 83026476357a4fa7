"""The Django admin at ``/admin/``, for superusers only (:func:`.permissions.can_use_admin`).

The admin has no login page of its own: an anonymous visitor goes to the site's login form
(which throttles failed attempts), and a logged-in user who may not use the admin gets a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import permissions


class GongkaiAdminSite(admin.AdminSite):
    site_header = "gongkai 系统管理"
    site_title = "gongkai 系统管理"
    index_title = "系统管理（仅限超级用户）"
    final_catch_all_view = False  # an unknown admin URL is a plain 404

    def has_permission(self, request: HttpRequest) -> bool:
        return permissions.can_use_admin(request.user)

    def admin_view(self, view: Callable[..., Any], cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied("系统管理仅限超级用户")
            return inner(request, *args, **kwargs)

        guarded.__dict__.update(getattr(inner, "__dict__", {}))  # csrf_exempt etc.
        return guarded

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        if not request.user.is_authenticated:
            return redirect_to_login(index)
        if not self.has_permission(request):
            raise PermissionDenied("系统管理仅限超级用户")
        return redirect(index)
