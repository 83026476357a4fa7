"""The checker: identities, cell types and narrative cross-checks. Never raises on a Report."""

from __future__ import annotations

from ..report import Report
from .finding import Finding


def check(report: Report) -> list[Finding]:
    raise NotImplementedError  # filled by the checker modules
