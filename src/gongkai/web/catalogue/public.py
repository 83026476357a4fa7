"""The catalogue for everyone, without login (条例 第二十四条: 检索、查阅、下载). Only what
:func:`gongkai.web.permissions.public_catalogue` returns is shown: published, 主动公开
items — never a draft, an item in review, or one 依申请公开 / 不予公开; never who reviewed it."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gongkai.register.catalogue import ARTICLE_20_BY_KEY
from gongkai.register.catalogue_sheet import COLUMNS, label_of

from .. import permissions
from ..orgs.models import Organisation
from . import queries
from .models import GENRE_CHOICES, KIND_CHOICES, TOPIC_CHOICES, VALIDITY_CHOICES

# The public list's columns, in the catalogue's own order; the 索引号 first (2008 指引).
PUBLIC_FIELDS = (
    "index_no",
    "title",
    "doc_no",
    "written",
    "published",
    "publisher",
    "topic",
    "genre",
    "kind",
    "article20",
    "validity",
    "effective",
    "ended",
    "summary",
    "url",
)


def _items(request: HttpRequest, org: int) -> tuple[Organisation, object]:
    organisation = get_object_or_404(Organisation, pk=org)
    qs = queries.apply(permissions.public_catalogue(organisation), request.GET, internal=False)
    return organisation, qs.order_by("-published", "-id")


def catalogue(request: HttpRequest, org: int) -> HttpResponse:
    organisation, qs = _items(request, org)
    page = Paginator(qs, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/public_list.html",
        {
            "org": organisation,
            "page": page,
            "filters": request.GET,
            "rest": urlencode({k: v for k, v in request.GET.items() if k != "page" and v}),
            "topics": TOPIC_CHOICES,
            "genres": GENRE_CHOICES,
            "kinds": KIND_CHOICES,
            "validities": VALIDITY_CHOICES,
        },
    )


def detail(request: HttpRequest, org: int, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=org)
    item = get_object_or_404(permissions.public_catalogue(organisation), pk=pk)
    return render(
        request,
        "catalogue/public_detail.html",
        {"org": organisation, "item": item, "article": ARTICLE_20_BY_KEY.get(item.article20)},
    )


def download(request: HttpRequest, org: int) -> HttpResponse:
    """The (searched) public catalogue as CSV, UTF-8 with BOM so that Excel opens it."""
    organisation, qs = _items(request, org)
    headers = {c.key: c.header for c in COLUMNS}
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="catalogue-{organisation.pk}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([headers[f] for f in PUBLIC_FIELDS])
    for item in qs[:10000]:
        row = []
        for f in PUBLIC_FIELDS:
            value = getattr(item, f)
            if f in ("kind", "article20", "validity") and value:
                value = label_of(f, value)
            row.append("" if value is None else str(value))
        writer.writerow(row)
    return response
