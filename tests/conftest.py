"""Shared test switches: ``--update-golden`` rewrites golden files, ``--run-slow`` runs the slow
tier (.ci/run turns it on)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
# The shared corpus of real reports lives beside the repository (used in place, never copied).
SHARED_REAL = ROOT.parent / "shared" / "corpus" / "real"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite golden *.expected.json files from the current output (review the diff!)",
    )
    parser.addoption("--run-slow", action="store_true", help="also run tests marked slow")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-slow") or os.environ.get("GONGKAI_RUN_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow tier: run with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
