"""Readers and the table reader."""

from __future__ import annotations

from pathlib import Path

from ..report import Report


def parse(source: str | bytes | Path, *, strict: bool = False, name: str | None = None) -> Report:
    raise NotImplementedError
