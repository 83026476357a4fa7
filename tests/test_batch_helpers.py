"""Helpers shared by the batch tests (no tests here): datasets as comparable data, seed variants."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from gongkai.batch import read_table
from gongkai.batch.schema import TABLES

from .conftest import CORPUS

SEEDS = sorted(CORPUS.glob("*.txt"))
DATA_TABLES = [t for t in TABLES if t != "meta"]


def seed(prefix: str) -> Path:
    return next(p for p in SEEDS if p.name.startswith(prefix))


def contents(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but meta, rows sorted: two datasets compare equal whatever the row order."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table in DATA_TABLES:
        rows = [tuple(r.values()) for r in read_table(path, table)]
        out[table] = sorted(rows, key=repr)
    return out


def copy_seeds(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for p in SEEDS:
        shutil.copy(p, folder / p.name)
    return folder


def variant(
    src: Path,
    dest: Path,
    *,
    agency: tuple[str, str] | None = None,
    year: tuple[int, int] | None = None,
    lines: dict[int, str] | None = None,
) -> Path:
    """A copy of a seed with its agency name replaced, its years shifted and some lines (1-based
    line numbers, as in cell locations) replaced."""
    text = src.read_text(encoding="utf-8")
    if agency:
        text = text.replace(*agency)
    if year:
        shift = year[1] - year[0]
        text = re.sub(r"20[12][0-9]", lambda m: str(int(m.group()) + shift), text)
    if lines:
        rows = text.split("\n")
        for n, new in lines.items():
            rows[n - 1] = new
        text = "\n".join(rows)
    dest.write_text(text, encoding="utf-8")
    return dest
