"""The supervisor's API: ``/api/v1/ingest…``, ``/api/v1/ingested/{id}`` (this router) and
``/api/v1/stats`` (``stats_api.py``). Same conventions as the rest of ``/api/v1``."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["年报核查（公开办）"])
