"""The supervisor's dashboard (``/supervise/``): roll-ups and charts of the reports collected.

Every number comes from :func:`.stats.db_rollup` (the batch roll-up's accumulator over the
database): the page renders the tables, ``data.json`` gives the same numbers to the charts
(static/gongkai/supervise-dashboard.js, ECharts), the XLSX is ``write_rollup_xlsx`` of the same
roll-up, and the dataset download is the ``gongkai batch`` format.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ...batch.stats import ALL, Rollup, write_rollup_xlsx
from .. import permissions
from .access import supervisor_required
from .export import dataset_bytes
from .filters import Filters
from .stats import GROUPINGS, db_rollup, headline, timeliness

# The charts' roll-ups: (grouping, title).
PANELS = (("region", "按地区"), ("level", "按层级"), ("kind", "按机关类别"), ("format", "按格式"))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request: HttpRequest) -> Filters:
    return Filters.of(request.user, round=request.GET.get("round"), year=request.GET.get("year"))


def _applications(result: Rollup) -> list[dict[str, Any]]:
    """Per group (全部 left out): reports, 本年新收, 总计 of 办理结果, error share."""
    return [
        {
            "group": g.group,
            "reports": g.reports,
            "parsed": g.parsed,
            "new": g.total("t3", "r1", "total"),
            "handled": g.total("t3", "t", "total"),
            "with_errors": g.with_errors,
            "share": round(g.share_with_errors, 4),
            "share_text": f"{g.share_with_errors:.1%}",
        }
        for g in result.groups
        if g.group != ALL
    ]


def _data(f: Filters) -> dict[str, Any]:
    years = db_rollup(f.reports(), "year")
    whole = next((g for g in years.groups if g.group == ALL), None)
    head = headline(years)
    head["share_text"] = f"{head['share']:.1%}"
    return {
        "headline": head,
        "trend": _applications(years),
        "panels": [
            {"by": by, "title": title, "rows": _applications(db_rollup(f.reports(), by))}
            for by, title in PANELS
        ],
        "outcomes": [
            {
                "row": k,
                "label": label,
                "count": n,
                "share": round(share, 4),
                "share_text": f"{share:.1%}",
            }
            for k, label, n, share in (years.outcome_shares(whole) if whole else [])
        ],
        "timeliness": [t.to_dict() for t in timeliness(f.cases())],
    }


@supervisor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    f = _filters(request)
    data = _data(f)
    rounds = list(permissions.rounds_visible_to(request.user).order_by("-year"))
    years = sorted(
        {y for y in permissions.ingested_visible_to(request.user).values_list("year", flat=True)}
        - {None},
        reverse=True,
    )
    return render(
        request,
        "supervise/dashboard.html",
        {
            "f": f,
            "query": f.query(),
            "data": data,
            "rounds": rounds,
            "years": years,
        },
    )


@supervisor_required
def data_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(_data(_filters(request)), json_dumps_params={"ensure_ascii": False})


@supervisor_required
def rollup_xlsx(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "year")
    if by not in GROUPINGS:
        raise Http404("没有这种分组")
    result = db_rollup(_filters(request).reports(), by)
    with tempfile.TemporaryDirectory(prefix="gongkai-rollup-") as tmp:
        path = Path(tmp) / "rollup.xlsx"
        write_rollup_xlsx(result, path)
        body = path.read_bytes()
    return _attachment(body, XLSX, f"年报汇总-{by}.xlsx")


@supervisor_required
def timeliness_xlsx(request: HttpRequest) -> HttpResponse:
    import io

    import xlsxwriter  # type: ignore[import-untyped]

    rows = timeliness(_filters(request).cases())
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False})
    ws = book.add_worksheet("答复时效")
    header = ["机关", "登记年度", "收到申请", "已答复", "逾期", "平均工作日", "中位工作日"]
    for i, h in enumerate(header):
        ws.write_string(0, i, h)
    for r, t in enumerate(rows, start=1):
        d = t.to_dict()
        values = [d["organisation"], d["year"], d["received"], d["answered"], d["overdue"]]
        values += [d["mean_workdays"], d["median_workdays"]]
        for c, v in enumerate(values):
            if v is None:
                ws.write_blank(r, c, None)
            elif isinstance(v, str):
                ws.write_string(r, c, v)
            else:
                ws.write_number(r, c, v)
    ws.set_column(0, 0, 28)
    book.close()
    return _attachment(buf.getvalue(), XLSX, "答复时效.xlsx")


@supervisor_required
def dataset(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in ("sqlite", "parquet"):
        raise Http404("没有这种格式")
    body = dataset_bytes(_filters(request).reports(), kind)
    if kind == "sqlite":
        return _attachment(body, "application/vnd.sqlite3", "年报数据集.sqlite")
    return _attachment(body, "application/zip", "年报数据集-parquet.zip")


def _attachment(body: bytes, content_type: str, name: str) -> HttpResponse:
    from urllib.parse import quote

    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
