"""gongkai (公开): parse, check and render China's government information disclosure annual
reports (政府信息公开工作年度报告).

The public API::

    report = gongkai.parse("report.txt")       # -> Report (with .warnings)
    findings = gongkai.check(report)           # -> list[Finding]; never raises
    docx = gongkai.render(report, to="docx")   # the official layout (docx, html, md, txt)
"""

from __future__ import annotations

from .check import check
from .check.finding import CellRef, Finding
from .errors import FormatError, GongkaiError, ParseError, StrictParseError
from .parse import parse
from .render import render
from .report import Cell, CellKind, Location, ParseWarning, Report, Row, Section, Table

__version__ = "0.1.0"

__all__ = [
    "Cell",
    "CellKind",
    "CellRef",
    "Finding",
    "FormatError",
    "GongkaiError",
    "Location",
    "ParseError",
    "ParseWarning",
    "Report",
    "Row",
    "Section",
    "StrictParseError",
    "Table",
    "__version__",
    "check",
    "parse",
    "render",
]
