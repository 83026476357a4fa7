"""Uploads kept between an import's preview and its confirmation.

Every import with a preview (the ledger, the catalogue sheet) stores the uploaded file under
the data directory, named by its sha256, so that the confirming request reads the very bytes
the officer saw previewed and never trusts anything the client sends back but the digest.
Files never confirmed are swept after a while. Callers give their own folder, size limit and
Chinese messages (their errors are their own types)."""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

SHA = re.compile(r"^[0-9a-f]{64}$")


class Kept:
    """A folder of uploads named ``<sha256><suffix>``, kept ``keep_seconds``."""

    def __init__(self, folder: Path, keep_seconds: int) -> None:
        self.folder, self.keep_seconds = folder, keep_seconds

    def put(
        self,
        chunks: Iterable[bytes],
        suffix: str,
        max_bytes: int,
        too_big: Callable[[], Exception],
    ) -> str:
        """Write the upload (refused with ``too_big()`` past ``max_bytes`` while reading, so a
        large file is never held whole); returns its sha256. Sweeps old uploads first."""
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sweep()
        digest, size = hashlib.sha256(), 0
        with tempfile.NamedTemporaryFile(dir=self.folder, prefix=".upload-", delete=False) as out:
            tmp = Path(out.name)
            try:
                for chunk in chunks:
                    size += len(chunk)
                    if size > max_bytes:
                        raise too_big()
                    digest.update(chunk)
                    out.write(chunk)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
        sha = digest.hexdigest()
        tmp.replace(self.folder / f"{sha}{suffix}")
        return sha

    def path(self, sha: str, suffix: str) -> Path | None:
        """The kept file with this digest, if there is one (a malformed digest: none)."""
        if not SHA.match(sha):
            return None
        path = self.folder / f"{sha}{suffix}"
        return path if path.is_file() else None

    def read(self, sha: str, suffix: str) -> bytes | None:
        """The kept bytes if they still have this digest; None if absent or changed."""
        path = self.path(sha, suffix)
        if path is None:
            return None
        data = path.read_bytes()
        return data if hashlib.sha256(data).hexdigest() == sha else None

    def forget(self, sha: str, suffix: str) -> None:
        if SHA.match(sha):
            (self.folder / f"{sha}{suffix}").unlink(missing_ok=True)

    def sweep(self) -> None:
        """Forget uploads older than ``keep_seconds`` (never confirmed)."""
        if not self.folder.is_dir():
            return
        limit = time.time() - self.keep_seconds
        for path in self.folder.iterdir():
            try:
                if path.is_file() and path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:  # another worker swept it first
                continue
