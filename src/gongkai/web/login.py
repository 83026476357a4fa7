"""Django's login form with throttling: after :data:`MAX_FAILURES` failed attempts for one
user name from one address within :data:`WINDOW` seconds, further attempts are refused for the
rest of the window (in Chinese), whatever the password."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

MAX_FAILURES = 5
WINDOW = 15 * 60


def _key(request: HttpRequest) -> str:
    name = str(request.POST.get("username", "")).strip().lower()
    return f"login-failures:{request.META.get('REMOTE_ADDR', '')}:{name}"


class LoginView(auth_views.LoginView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if cache.get(_key(request), 0) >= MAX_FAILURES:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, "登录失败次数过多，请15分钟后再试")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        key = _key(self.request)
        cache.set(key, cache.get(key, 0) + 1, WINDOW)
        return super().form_invalid(form)
