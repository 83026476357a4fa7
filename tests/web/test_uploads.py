"""The kept-upload store both previewed imports use (gongkai.web.uploads)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from gongkai.web.uploads import Kept


class TooBig(Exception):
    pass


def test_put_read_tamper_and_limit(tmp_path: Path) -> None:
    kept = Kept(tmp_path / "u", keep_seconds=60)
    sha = kept.put([b"ab", b"cd"], ".csv", 10, TooBig)
    assert sha == hashlib.sha256(b"abcd").hexdigest()
    assert kept.read(sha, ".csv") == b"abcd"
    assert kept.path(sha, ".xlsx") is None and kept.path("../" + sha, ".csv") is None
    (tmp_path / "u" / f"{sha}.csv").write_bytes(b"abce")  # changed behind our back
    assert kept.path(sha, ".csv") is not None and kept.read(sha, ".csv") is None
    with pytest.raises(TooBig):
        kept.put([b"12345", b"678901"], ".csv", 10, TooBig)
    assert sorted(p.name for p in (tmp_path / "u").iterdir()) == [f"{sha}.csv"]  # no leftovers
    kept.forget(sha, ".csv")
    assert kept.path(sha, ".csv") is None
