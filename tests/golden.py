"""Golden files: the expected parse result and findings of a corpus report, checked by hand
once, then guarding every change. ``pytest --update-golden`` rewrites them from the current
output; review the diff cell by cell before committing it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import gongkai


def actual(path: Path) -> dict[str, Any]:
    report = gongkai.parse(path)
    return {
        "report": report.model_dump(mode="json"),
        "findings": [f.model_dump(mode="json") for f in gongkai.check(report)],
    }


def golden_path(path: Path, golden_dir: Path | None = None) -> Path:
    folder = golden_dir or path.parent
    return folder / (path.stem + ".expected.json")


def compare(path: Path, update: bool, golden_dir: Path | None = None) -> None:
    got = actual(path)
    gold = golden_path(path, golden_dir)
    if update:
        gold.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return
    assert gold.exists(), f"{gold.name} missing: run pytest --update-golden, then review it"
    expected = json.loads(gold.read_text(encoding="utf-8"))
    # Compare piece by piece so that a failure names the table and row that changed.
    for key in ("agency", "year", "format", "title", "preamble", "sections", "warnings"):
        assert got["report"][key] == expected["report"][key], f"{path.name}: {key} differs"
    for tkey, table in expected["report"]["tables"].items():
        got_rows = {r["key"]: r for r in got["report"]["tables"].get(tkey, {}).get("rows", [])}
        for row in table["rows"]:
            assert got_rows.get(row["key"]) == row, f"{path.name}: {tkey}.{row['key']} differs"
        assert len(got_rows) == len(table["rows"]), f"{path.name}: {tkey} row count differs"
    assert got["report"] == expected["report"]
    assert got["findings"] == expected["findings"], f"{path.name}: findings differ"
