"""The ``gongkai`` command: thin click commands over the library.

Each command module registers its commands on :data:`main`. Exit codes: 0 = no error-severity
finding, 1 = error findings or a file that could not be read, 2 = usage error. Messages are in
Chinese and bad input never produces a traceback.
"""

from __future__ import annotations

from . import (
    batch_cmds,  # noqa: F401
    deadline_cmds,  # noqa: F401  (registers deadline, workdays)
    ledger_cmds,  # noqa: F401
    render_cmds,  # noqa: F401
    report_cmds,  # noqa: F401  (registers parse, check)
    serve_cmds,  # noqa: F401
)
from ._app import main

__all__ = ["main"]
