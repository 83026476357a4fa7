"""Table 二 of one organisation and year: the one bridge from the catalogue to the library's
:func:`gongkai.register.table_two.build_table` (the annual report uses this)."""

from __future__ import annotations

from gongkai.register.catalogue import DocKind, ReviewState, Validity
from gongkai.register.table_two import CountedItem, build_table, counted_rows
from gongkai.report import Table

from ..orgs.models import Organisation
from . import service
from .models import CatalogueItem


def counted_items(org: Organisation) -> list[CountedItem]:
    """The organisation's published 规章 and 行政规范性文件, as table 二 counts them."""
    spec = service.format_for(2021).table("t2")  # the kinds are the counted rows' keys
    kinds = [r.key for r in counted_rows(spec)]
    rows = CatalogueItem.objects.filter(
        organisation=org, state=ReviewState.PUBLISHED.value, kind__in=kinds
    ).values_list("kind", "written", "published", "validity", "ended")
    return [CountedItem(DocKind(k), w, p, Validity(v) if v else None, e) for k, w, p, v, e in rows]


def table_two(org: Organisation, year: int) -> Table:
    """Table 二 of ``year`` in the year's format: （一） counted from the catalogue, the other
    rows as entered (blank where nothing was entered). Raises
    :class:`~gongkai.register.catalogue.CatalogueError` for a year no format covers."""
    fmt = service.format_for(year)
    return build_table(
        counted_items(org),
        service.decisions(org, year),
        year,
        fmt.key,
        source=f"{org.name}政府信息公开目录",
    )
