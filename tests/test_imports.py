"""The core never imports the web framework or the CLI toolkit (architecture §3)."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "gongkai",
    "gongkai.formats",
    "gongkai.report",
    "gongkai.parse",
    "gongkai.check",
    "gongkai.render",
    "gongkai.workdays",
    "gongkai.register",
    "gongkai.register.cases",
    "gongkai.register.annual",
    "gongkai.register.ledger",
    "gongkai.batch",
]


def test_core_imports_neither_django_nor_click() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'django', 'click', 'rich'})\n"
        + "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
