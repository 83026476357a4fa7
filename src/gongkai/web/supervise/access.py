"""The supervisor's side is for 公开办 members only: anyone else gets 403 (and anonymous
visitors the login page), on every page of it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from ..permissions import is_supervisor

View = Callable[..., HttpResponse]


def supervisor_required(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_supervisor(request.user):
            raise PermissionDenied("只有政务公开办（公开办角色）可以使用年报监督")
        return view(request, *args, **kwargs)

    return wrapped
