"""The data directory of a running instance: database, uploaded and generated files, and the
generated SECRET_KEY. ``GONGKAI_DATA`` names it (``gongkai serve --data DIR`` sets it)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "SECRET_KEY"


def data_dir() -> Path:
    return Path(os.environ.get("GONGKAI_DATA") or Path.cwd() / "gongkai-data").resolve()


def prepare(directory: Path) -> None:
    """Create the directory layout (idempotent)."""
    for sub in ("", "files", "static"):
        (directory / sub).mkdir(parents=True, exist_ok=True)


def secret_key(directory: Path) -> str:
    """The instance's secret key, generated on first use and kept private (mode 0600), so that
    sessions survive a restart and no key is ever committed."""
    path = directory / SECRET_KEY_FILE
    if not path.exists():
        prepare(directory)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
