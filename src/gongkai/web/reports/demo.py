"""Demo data of the annual reports: the draft report of agency A for last year (its register
is complete for that year), with section texts that state the register's own numbers, and
the demo supervisor's 公开办 role in the agencies' supervising office. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.report import Report

from ..orgs.models import Membership, Role
from . import service
from .models import AnnualReport


def _n(report: Report, row: str, table: str = "t3", column: str = "total") -> int:
    return int(report.number(table, row, column))


def texts(report: Report) -> dict[int, str]:
    """Plausible section texts that agree with the report's tables 三 and 四."""
    y = report.year
    r1, r2, t, r4 = (_n(report, k) for k in ("r1", "r2", "t", "r4"))
    a, b = _n(report, "a"), _n(report, "b")
    rows = [r.key for r in report.spec.table("t3").rows]
    c, d, e, f = (sum(_n(report, k) for k in rows if k[0] == g and k[1:].isdigit()) for g in "cdef")
    f += _n(report, "f") if "f" in rows else 0  # the 2019 format's single （六） row
    t4 = report.spec.table("t4").rows[0].key
    reviews = _n(report, t4, "t4", "review_total")
    suits = _n(report, t4, "t4", "direct_total") + _n(report, t4, "t4", "after_total")
    if reviews or suits:
        appeals = f"本年度因政府信息公开工作被申请行政复议{reviews}件、被提起行政诉讼{suits}件。"
    else:
        appeals = "本年度本机关未发生因政府信息公开工作被申请行政复议、提起行政诉讼的情况。"
    return {
        1: (
            f"{y}年，本机关坚持以公开为常态、不公开为例外，认真贯彻落实《条例》，"
            "围绕中心工作推进决策、执行、管理、服务、结果公开。\n"
            "（一）主动公开情况。通过区政府门户网站“政府信息公开”专栏及时发布机构职能、"
            "规范性文件、财政预决算等信息，做到应公开尽公开。\n"
            f"（二）依申请公开情况。全年新收政府信息公开申请{r1}件，均在法定期限内登记、办理和答复。\n"
            "（三）政府信息管理。严格执行公开前保密审查和内容审核制度，动态更新政府信息公开目录。\n"
            "（四）平台建设。持续优化门户网站政府信息公开专栏的栏目设置和检索功能。\n"
            "（五）监督保障。将政府信息公开工作纳入年度绩效考核，组织业务培训，畅通社会评议渠道。"
        ),
        2: "本机关主动公开政府信息的情况见下表。",
        3: (
            f"本年度新收政府信息公开申请{r1}件，上年结转{r2}件；本年度办结{t}件，"
            f"其中予以公开{a}件，部分公开{b}件，不予公开{c}件，无法提供{d}件，不予处理{e}件，"
            f"其他处理{f}件；结转下年度继续办理{r4}件。"
        ),
        4: appeals,
        5: (
            "存在的主要问题：部分信息发布不够及时，依申请公开答复的说理还需加强。"
            "改进情况：建立信息发布提醒机制，规范答复文书，加强对办理人员的业务培训。"
        ),
        6: (
            "本年度未收取信息处理费。本机关认真落实上级年度政务公开工作要点，"
            "按时公开人大代表建议和政协提案办理结果。"
        ),
    }


def load_reports(agency_a: Any, office: Any, today: dt.date | None = None) -> AnnualReport | None:
    """The draft report of ``agency_a`` for last year, written once (a report that exists is
    left as it is: it may have moved on)."""
    User = get_user_model()
    supervisor = User.objects.filter(username="supervisor").first()
    if supervisor is not None:
        Membership.objects.get_or_create(user=supervisor, organisation=office, role=Role.SUPERVISOR)
    year = (today or dt.date.today()).year - 1
    found = AnnualReport.objects.filter(organisation=agency_a, year=year).first()
    if found is not None:
        return found
    officer = User.objects.filter(username="officer_a").first()
    report = service.start(agency_a, year, officer)
    first = report.latest()
    assert first is not None
    report, _ = service.save_text(
        report.pk, report.version, report.preamble, texts(Report.from_json(first.data)), officer
    )
    return report
