"""Writing a DOCX is linear in the report's length: the work per paragraph is a small constant.

Counted in Python function calls (``sys.setprofile``), not in time: rendering a report with
``2n`` more paragraphs than another may cost at most a fixed number of calls per added
paragraph. python-docx's ``Document.add_paragraph(text, style=name)``, used before, looked the
style up among every style of the template on each call (~2 500 calls per paragraph; now ~35) and
searched the body for ``w:sectPr``: a 40 000-line report took minutes.
"""

from __future__ import annotations

import io
import sys
from types import FrameType
from typing import Any

from docx import Document

from gongkai.render import render
from gongkai.report import Report, Section

from .test_roundtrip import reports_example

# Building one w:p of one run takes about a dozen calls; the bound leaves room for changes
# of python-docx or lxml, and is two orders of magnitude below the old cost.
MAX_CALLS_PER_PARAGRAPH = 60


SENTENCE = "第{}段：我局认真贯彻落实条例，持续推进政务公开。"


def long_report(paragraphs: int) -> Report:
    report = reports_example("2021")
    text = "\n".join(SENTENCE.format(i) for i in range(paragraphs))
    return report.model_copy(update={"sections": [Section(number=5, heading="五", text=text)]})


def calls_to_render(report: Report) -> int:
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event == "call":
            count += 1

    sys.setprofile(profile)
    try:
        render(report, "docx")
    finally:
        sys.setprofile(None)
    return count


def test_docx_cost_per_paragraph_is_constant() -> None:
    small, large = 200, 600
    calls_to_render(long_report(small))  # first-time work (imports, caches) out of the count
    base = calls_to_render(long_report(small))
    more = calls_to_render(long_report(large))
    per_paragraph = (more - base) / (large - small)
    assert per_paragraph <= MAX_CALLS_PER_PARAGRAPH, per_paragraph


def test_long_report_keeps_every_paragraph_in_order() -> None:
    report = long_report(300)
    doc = Document(io.BytesIO(render(report, "docx")))
    texts = [p.text for p in doc.paragraphs if p.text.startswith("第") and "段：" in p.text]
    assert texts == [SENTENCE.format(i) for i in range(300)]
    body = doc.element.body
    assert body[-1].tag.endswith("}sectPr")  # the section properties stay last
