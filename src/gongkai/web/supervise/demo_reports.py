"""Demo data for the supervisor's dashboard: uploaded annual reports of the demo supervisor's
bodies, 2022–2025, generated (tables 三 and 四 from made-up but consistent counts, the six
sections as short text), rendered as the plain text a body would upload
(:func:`gongkai.render.render`) and ingested in-process like any upload
(:func:`.ingest.create_job` + :func:`.ingest.run_job`).

Four reports carry the mistakes evaluators find (a 总计 that does not add up, carry-over that
does not match last year's), and one file is unreadable, so that the error share and the
findings have something to show. Deterministic (a seeded RNG); loaded once.
"""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model

from ... import formats
from ...register.annual import build_report, counts_table
from ...render import render
from ...report import Report, Section
from ..orgs.models import Kind, Organisation
from .ingest import Upload, create_job, run_job
from .models import IngestedReport

YEARS = (2022, 2023, 2024, 2025)
# (body's position, year) → the mistake its report makes: the error share moves over the years
# (50 %, 50 %, 100 %, 0 %), as it does when an office starts checking.
MISTAKES = {(0, 2022): "carry", (1, 2023): "total", (0, 2024): "total", (1, 2024): "carry"}
DEMO_REGION = "990102"  # not a real GB/T 2260 code: the demo district's
SECTION_TEXT = {
    1: "本机关坚持以公开为常态、不公开为例外，认真贯彻落实《中华人民共和国政府信息公开条例》，"
    "健全工作机制，主动公开、依申请公开、政策解读和平台建设等工作有序推进。",
    2: "本年度通过门户网站政府信息公开专栏主动公开政府信息，及时更新公开指南和公开目录。",
    3: "本年度收到和处理政府信息公开申请情况见下表。",
    4: "本年度因政府信息公开工作被申请行政复议、提起行政诉讼的情况见下表。",
    5: "存在的主要问题：公开内容的及时性和规范性有待提高。改进措施：加强业务培训，完善审查机制。",
    6: "本年度未收取信息处理费。无其他需要报告的事项。",
}


def _t3(rng: random.Random, spec: formats.Table, carried: dict[str, int]) -> dict[str, Any]:
    """Table 三 as ``{row: {column: n}}``: per applicant column, r1 + r2 = outcomes + r4."""
    columns = [c.key for c in spec.columns if c.key != "total"]
    results = formats.t3_result_rows(spec)
    counts = {r.key: dict.fromkeys((c.key for c in spec.columns), 0) for r in spec.rows}
    weights = {"a": 40, "b": 8, "d1": 20, "e2": 4, "c4": 3, "c6": 2, "d2": 3}
    for column in columns:
        scale = 30 if column == "natural" else (6 if column == "commercial" else 1)
        new = rng.randint(0, scale)
        old = carried.get(column, 0)
        later = rng.randint(0, max(1, (new + old) // 8)) if new + old else 0
        later = min(later, new + old)
        counts["r1"][column], counts["r2"][column], counts["r4"][column] = new, old, later
        keys = [k for k in weights if k in results]
        for _ in range(new + old - later):
            counts[rng.choices(keys, [weights[k] for k in keys])[0]][column] += 1
    for column in columns:
        counts["t"][column] = sum(counts[r][column] for r in results)
    for row in counts.values():
        row["total"] = sum(row[c] for c in columns)
    return counts


def _report(
    rng: random.Random, agency: str, year: int, carried: dict[str, int], mistake: str = ""
) -> Report:
    base = build_report([], [], year, agency)
    spec = formats.get(base.format or "2021")
    t3 = _t3(rng, spec.table("t3"), carried)
    carried.clear()
    carried.update({c: n for c, n in t3["r4"].items() if c != "total"})
    if mistake == "total":  # a 总计 that does not add up (T3-1, T3-2, T3-3 find it)
        t3["t"]["total"] += rng.randint(1, 3)
    elif mistake == "carry":  # 上年结转 that the rest of the table does not account for
        t3["r2"]["natural"] += 1
        t3["r2"]["total"] += 1
    sections = [
        Section(number=s.number, heading=s.heading, text=SECTION_TEXT.get(s.number, ""))
        for s in spec.sections
    ]
    tables = dict(base.tables)
    tables["t3"] = counts_table(spec.table("t3"), t3, None)
    return base.model_copy(update={"tables": tables, "sections": sections})


def demo_uploads(orgs: list[Organisation], seed: int = 0) -> list[Upload]:
    """One plain-text report per body and year, and one file nobody can read."""
    rng = random.Random(seed)
    out = []
    for i, org in enumerate(orgs):
        carried: dict[str, int] = {}
        for year in YEARS:
            report = _report(rng, org.name, year, carried, MISTAKES.get((i, year), ""))
            text = render(report, "txt")
            out.append(Upload(f"{org.name}{year}年政府信息公开工作年度报告.txt", [text.encode()]))
    out.append(Upload("扫描件（无法识别）.docx", [b"PK\x03\x04 damaged upload"]))
    return out


def load_ingested(orgs: Any) -> int:
    """The demo supervisor's uploaded reports (once: nothing if the office has any)."""
    office: Organisation = orgs.district
    if IngestedReport.objects.filter(supervisor=office).exists():
        return 0
    supervisor = get_user_model().objects.filter(username="supervisor").first()
    if supervisor is None:
        return 0
    bodies = [orgs.agency_a, orgs.agency_b]
    # Kinds and a region code for the roll-ups (the demo tree leaves them blank).
    if not orgs.district.region_code:
        Organisation.objects.filter(pk=orgs.district.pk).update(
            kind=Kind.GOVERNMENT, region_code=DEMO_REGION
        )
    for body in bodies:
        if not body.kind:
            Organisation.objects.filter(pk=body.pk).update(
                kind=Kind.DEPARTMENT, region_code=DEMO_REGION
            )
    job = create_job(demo_uploads(bodies), supervisor=office, user=supervisor)
    run_job(job.pk)
    # The bodies are known: match each report to its body, as the office would.
    for body in bodies:
        IngestedReport.objects.filter(job=job, agency=body.name).update(
            organisation=body, match="confirmed"
        )
    return job.total
