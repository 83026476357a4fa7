"""The stored report → the library's :class:`~gongkai.report.Report`, and its findings.

Tables 三 and 四 are :func:`gongkai.register.annual.build_report` on :mod:`.sources`; table 二
is the catalogue's (:func:`.sources.table_two`) when there is one; the preamble and the six
sections are the body's text. The narrative is numbered like a text file (line 1 is the
title, then the preamble, then each section's heading and its lines), so that a finding about
a sentence names a line, and :func:`line_map` says which section and which of its lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from gongkai import formats
from gongkai.check import Finding, check
from gongkai.register.annual import build_report
from gongkai.render.layout import CHINESE_NUMBERS
from gongkai.report import Location, Report, Section, Table

from ..orgs.models import Organisation
from . import duplicates, sources
from .models import AnnualReport

PREAMBLE = 0  # the part number of the preamble in :func:`line_map`


def heading(section: formats.Section) -> str:
    return f"{CHINESE_NUMBERS[section.number - 1]}、{section.heading}"


def default_preamble(year: int, fmt: formats.Format) -> str:
    """The opening paragraph most reports have: the legal basis and the 统计期限 (spec §2)."""
    return (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条和{fmt.document}"
        f"要求编制。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )


def _lines(text: str, first: int) -> list[int | None]:
    return list(range(first, first + len(text.split("\n"))))


def narrative(
    preamble: str, texts: dict[int, str], fmt: formats.Format
) -> tuple[list[int | None], list[Section]]:
    """The preamble's line numbers and the six sections, numbered as in :func:`line_map`."""
    preamble_lines = _lines(preamble, 2)
    line = 2 + len(preamble_lines)
    sections: list[Section] = []
    for s in fmt.sections:
        text = texts.get(s.number, "").replace("\r\n", "\n").strip("\n")
        title = heading(s)
        # the heading takes one line; the text follows it
        sections.append(
            Section(
                number=s.number,
                heading=title,
                text=text,
                location=Location(label=title, line=line),
                lines=_lines(text, line + 1),
            )
        )
        line += 1 + len(text.split("\n"))
    return preamble_lines, sections


def line_map(report: Report) -> dict[int, tuple[int, int]]:
    """Narrative line number → (part, index of the line in the part's text); part 0 is the
    preamble, 1–6 the sections."""
    out: dict[int, tuple[int, int]] = {}
    for i, n in enumerate(report.preamble_lines):
        if n is not None:
            out[n] = (PREAMBLE, i)
    for s in report.sections:
        for i, n in enumerate(s.lines):
            if n is not None:
                out[n] = (s.number, i)
    return out


def texts_of(stored: AnnualReport) -> dict[int, str]:
    return {int(k): str(v) for k, v in stored.sections.items()}


def build(
    org: Organisation,
    year: int,
    format_key: str,
    preamble: str,
    texts: dict[int, str],
    *,
    table_two: Table | None = None,
) -> Report:
    """The report of ``org`` for ``year`` with tables from the register (and ``table_two``)."""
    built = build_report(
        sources.register_cases(org, year), sources.reviews(org, year), year, org.name, format_key
    )
    fmt = built.spec
    tables = dict(built.tables)
    if table_two is not None:
        tables = {"t2": table_two, **tables}
    preamble = preamble.replace("\r\n", "\n").strip("\n")
    preamble_lines, sections = narrative(preamble, texts, fmt)
    return built.model_copy(
        update={
            "tables": {t.key: tables[t.key] for t in fmt.tables if t.key in tables},
            "preamble": preamble,
            "preamble_lines": preamble_lines,
            "sections": sections,
        }
    )


def assemble(stored: AnnualReport) -> Report:
    org = stored.organisation
    return build(
        org,
        stored.year,
        stored.format,
        stored.preamble,
        texts_of(stored),
        table_two=sources.table_two(org, stored.year),
    )


@dataclass(frozen=True)
class Checked:
    report: Report
    findings: list[Finding]

    @property
    def data(self) -> str:
        return self.report.to_json()

    def findings_json(self) -> list[dict[str, object]]:
        return [f.model_dump(mode="json") for f in self.findings]


def checked(stored: AnnualReport) -> Checked:
    """The assembled report and every finding: :func:`gongkai.check` and the similarity
    warnings (rule DUP-1) against last year's published text and other bodies' reports."""
    report = assemble(stored)
    findings = check(report) + duplicates.findings(stored, report)
    return Checked(report, findings)
