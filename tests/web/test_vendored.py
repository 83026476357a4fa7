"""Vendored assets: every file VENDORED.md lists exists with its recorded sha256, every file in
the vendor directories is listed, and no template loads anything from the internet."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import gongkai.web

ROOT = Path(__file__).resolve().parents[2]
WEB = Path(gongkai.web.__file__).resolve().parent
VENDORED = WEB / "static" / "VENDORED.md"
VENDOR_DIRS = [WEB / "static" / "gongkai" / "vendor", ROOT / "tests" / "web" / "vendor"]
ROW = re.compile(r"^\|\s*`(?P<path>[^`]+)`\s*\|\s*`[^`]+`\s*\|\s*`(?P<sha>[0-9a-f]{64})`\s*\|$")


def listed() -> dict[str, str]:
    rows = {}
    for line in VENDORED.read_text(encoding="utf-8").splitlines():
        m = ROW.match(line.strip())
        if m:
            rows[m["path"]] = m["sha"]
    return rows


def test_every_listed_file_matches_its_sha256() -> None:
    rows = listed()
    assert len(rows) >= 10, "VENDORED.md lists too few files: its table format changed?"
    wrong = {}
    for rel, sha in rows.items():
        path = ROOT / rel
        assert path.is_file(), f"VENDORED.md lists {rel}, which does not exist"
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != sha:
            wrong[rel] = actual
    assert not wrong, f"files differ from the sha256 in VENDORED.md: {wrong}"


def test_every_vendored_file_is_listed_with_a_licence() -> None:
    rows = listed()
    present = {str(p.relative_to(ROOT)) for d in VENDOR_DIRS for p in d.rglob("*") if p.is_file()}
    assert present - set(rows) == set(), "vendored files missing from VENDORED.md"
    for d in VENDOR_DIRS:
        for package in (p for p in d.iterdir() if p.is_dir()):
            assert (package / "LICENSE").is_file(), f"{package} has no LICENSE beside it"


def test_vendored_md_records_version_licence_and_integrity() -> None:
    text = VENDORED.read_text(encoding="utf-8")
    for name in ("htmx.org", "echarts", "swagger-ui-dist", "axe-core"):
        block = text.split(f"`{name}@", 1)
        assert len(block) == 2, f"{name}: no npm package line"
        section = block[1].split("\n## ", 1)[0]
        assert re.match(r"\d+\.\d+\.\d+`", section), f"{name}: no version"
        assert "licence:" in section, f"{name}: no licence"
        assert re.search(r"`sha512-[A-Za-z0-9+/=]{80,}`", section), f"{name}: no integrity"


# A script, stylesheet or image taken from an absolute URL (http:, https:, or protocol-relative).
REMOTE = re.compile(
    r"<(?:script|link|img|source|iframe)\b[^>]*\b(?:src|href|srcset)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE,
)


def test_no_template_loads_from_the_internet() -> None:
    templates = sorted((WEB / "templates").rglob("*.html"))
    assert templates
    offenders = [str(t.relative_to(WEB)) for t in templates if REMOTE.search(t.read_text("utf-8"))]
    assert not offenders, f"templates loading from an absolute URL: {offenders}"
    # The pattern itself catches what it should (so that the test can fail).
    assert REMOTE.search('<script src="https://cdn.example/x.js">')
    assert REMOTE.search("<link rel=stylesheet href=//cdn.example/x.css>")
    assert not REMOTE.search('<script src="/static/gongkai/vendor/htmx/htmx.min.js">')


def test_static_scripts_and_styles_name_no_remote_source() -> None:
    # The application's own JS and CSS (not the vendored files) fetch nothing remote either.
    own = [
        p
        for p in (WEB / "static" / "gongkai").rglob("*")
        if p.suffix in (".js", ".css") and "vendor" not in p.parts
    ]
    assert own
    for p in own:
        text = p.read_text("utf-8")
        assert not re.search(r"(?:url\(|import\s|fetch\()\s*[\"']?(?:https?:)?//", text), p
