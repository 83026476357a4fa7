"""The appeal list filters, shared by the page, its XLSX export and the API."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q, QuerySet

from gongkai.register.reviews import PENDING, ReviewKind, ReviewResult

from .models import Appeal

RESULTS = {r.value for r in ReviewResult} | {PENDING}


def apply(qs: QuerySet[Appeal], params: Mapping[str, str]) -> QuerySet[Appeal]:
    """kind (a :class:`ReviewKind` value), result (a :class:`ReviewResult` value or
    ``pending``), year (收案年度), organisation (id), case (id of the linked application), q
    (编号, 复议机关或法院, 备注). Unknown values are ignored, as in the case list."""
    if params.get("kind") in ReviewKind._value2member_map_:
        qs = qs.filter(kind=params["kind"])
    if params.get("result") in RESULTS:
        qs = qs.filter(result=params["result"])
    for param, field in (
        ("year", "filed__year"),
        ("organisation", "organisation_id"),
        ("case", "case_id"),
    ):
        if str(params.get(param, "")).isdigit():
            qs = qs.filter(**{field: int(params[param])})
    q = str(params.get("q", "")).strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(authority__icontains=q) | Q(note__icontains=q))
    return qs


def ordered(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return qs.order_by("-filed", "-id")
