"""The catalogue's list filters, shared by the pages, the public pages and the API."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q, QuerySet

from .models import STATE_CHOICES, VALIDITY_CHOICES, CatalogueItem

_STATES = {v for v, _ in STATE_CHOICES}
_VALIDITIES = {v for v, _ in VALIDITY_CHOICES}


def search(qs: QuerySet[CatalogueItem], text: str) -> QuerySet[CatalogueItem]:
    """名称, 发文字号 or 索引号 containing ``text`` (条例 第二十四条: 检索)."""
    text = text.strip()
    if not text:
        return qs
    return qs.filter(
        Q(title__icontains=text) | Q(doc_no__icontains=text) | Q(index_no__icontains=text)
    )


def apply(
    qs: QuerySet[CatalogueItem], params: Mapping[str, str], *, internal: bool = True
) -> QuerySet[CatalogueItem]:
    """Filters from query parameters: q, year (成文年份), topic, genre, kind, validity, and
    for officers (``internal``) state, disclosure and org. Unknown values are ignored."""
    qs = search(qs, str(params.get("q", "")))
    if str(params.get("year", "")).isdigit():
        qs = qs.filter(written__year=int(params["year"]))
    for param in ("topic", "genre", "kind", "article20"):
        if params.get(param):
            qs = qs.filter(**{param: params[param]})
    if params.get("validity") in _VALIDITIES:
        qs = qs.filter(validity=params["validity"])
    if internal:
        if params.get("state") in _STATES:
            qs = qs.filter(state=params["state"])
        if params.get("disclosure"):
            qs = qs.filter(disclosure=params["disclosure"])
        if str(params.get("org", "")).isdigit():
            qs = qs.filter(organisation_id=int(params["org"]))
    return qs
