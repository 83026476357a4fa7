"""``GET /api/v1/stats?by=…``: the supervisor's roll-up as JSON — the shape of
``gongkai stats --format json`` (``Rollup.to_dict()``), over the reports of the user's
supervising offices; ``/api/v1/stats/timeliness``: the register's answer times."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from .. import permissions
from .filters import Filters
from .stats import db_rollup, timeliness

router = Router(tags=["年报汇总（公开办）"])

By = Literal["year", "region", "level", "kind", "format"]


def _filters(request: HttpRequest, round: int | None, year: int | None) -> Filters:
    if not permissions.is_supervisor(request.auth):
        raise HttpError(403, "只有政务公开办（公开办角色）可以查看年报汇总")
    return Filters.of(request.auth, round=round, year=year)


@router.get("/stats", url_name="stats")
def stats(
    request: HttpRequest, by: By = "year", round: int | None = None, year: int | None = None
) -> dict[str, Any]:
    return db_rollup(_filters(request, round, year).reports(), by).to_dict()


@router.get("/stats/timeliness", url_name="stats_timeliness")
def stats_timeliness(
    request: HttpRequest, round: int | None = None, year: int | None = None
) -> dict[str, Any]:
    f = _filters(request, round, year)
    return {"items": [t.to_dict() for t in timeliness(f.cases())]}
