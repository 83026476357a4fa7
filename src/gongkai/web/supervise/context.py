"""Template context for every page: whether to show the 公开办's menu entry."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def nav(request: HttpRequest) -> dict[str, Any]:
    from ..permissions import is_supervisor

    # Lazy: a page that never shows the menu (the public side) asks nothing of the database.
    return {"is_supervisor": SimpleLazyObject(lambda: is_supervisor(request.user))}
