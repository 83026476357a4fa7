"""``GET /api/v1/stats?by=…``: the supervisor's roll-up as JSON."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["年报汇总（公开办）"])
