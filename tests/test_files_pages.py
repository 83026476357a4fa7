"""Page images of one scanned report grouped into one report (issue 13): the grouping rule
(files.group_images), find_files on folders and on named images, and `gongkai batch` over the
groups (one row each, resume, --no-ocr, bad pages, the time limit growing with OCR pages).
Nothing here runs OCR except the one batch test at the end (skipped without the extra)."""

from __future__ import annotations

import io
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from gongkai.batch import find_files, ingest, read_table, worker
from gongkai.batch import run as batch_run
from gongkai.batch.worker import (
    OCR_PAGE_SECONDS,
    FileTimeout,
    WorkerOptions,
    ocr_pages,
    pages_sha256,
    process_file,
    time_limit,
)
from gongkai.cli import main
from gongkai.files import Pages, group_images, missing_pages, natural_key, page_number
from gongkai.parse import ocr

from .scans import SCANS, SEED

SCAN = SCANS / "000_mild_150dpi.pdf"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32  # a PNG's signature: an image by name and by head


@pytest.mark.parametrize(
    ("name", "base", "number"),
    [
        ("某局2024_p3.png", "某局2024", 3),
        ("某局2024-3.jpg", "某局2024", 3),
        ("某局2024 第3页.png", "某局2024", 3),
        ("某局2024(3).png", "某局2024", 3),
        ("某局2024（12）.png", "某局2024", 12),
        ("某局2024_003.tif", "某局2024", 3),
        ("Scan_Page7.JPEG", "scan", 7),
        ("page9.png", "", 9),
        ("3.png", "", 3),
    ],
)
def test_a_trailing_page_number_is_found(name: str, base: str, number: int) -> None:
    found = page_number(name)
    assert found is not None and found[:2] == (base, number)


@pytest.mark.parametrize("name", ["某局2024.png", "某局_2024.png", "scan.png", "IMG_1234.jpg"])
def test_a_name_without_page_number(name: str) -> None:
    # A year (four digits) is no page number: 某局_2024.png is not page 2024 of 某局.
    assert page_number(name) is None


def test_images_beside_other_reports_group_by_their_name(tmp_path: Path) -> None:
    d = tmp_path
    images = [d / n for n in ("某局2024_p10.png", "封面.png", "某局2024_p2.png", "某局2024_p1.png")]
    images += [d / "乙局2023-1.jpg", d / "乙局2023-2.jpg", d / "丙局(1).png"]
    groups = group_images(images)
    assert groups == [
        Pages(
            str(d / "某局2024_p*.png"),
            (d / "某局2024_p1.png", d / "某局2024_p2.png", d / "某局2024_p10.png"),
            (1, 2, 10),
        ),
        d / "封面.png",  # no page number: a one-page report
        Pages(str(d / "乙局2023-*.jpg"), (d / "乙局2023-1.jpg", d / "乙局2023-2.jpg"), (1, 2)),
        d / "丙局(1).png",  # alone with its name: a one-page report
    ]


def test_the_same_name_in_two_folders_is_two_reports(tmp_path: Path) -> None:
    a, b = tmp_path / "a" / "局_p1.png", tmp_path / "b" / "局_p2.png"
    assert group_images([a, b]) == [a, b]


def test_a_folder_of_images_is_one_report_in_natural_order(tmp_path: Path) -> None:
    images = [tmp_path / n for n in ("page10.png", "cover.png", "page9.png")]
    (group,) = group_images(images, folder=str(tmp_path))
    assert isinstance(group, Pages) and group.label == str(tmp_path)
    assert [p.name for p in group.pages] == ["cover.png", "page9.png", "page10.png"]
    assert group.missing == []  # a page without a number: nothing to check


def test_a_gap_in_the_page_numbers_is_named() -> None:
    assert missing_pages([1, 2, 4]) == [3]
    assert missing_pages([0, 1, 2]) == []  # numbered from 0
    assert missing_pages([2, 5, 3]) == [4]
    assert missing_pages([1, None, 3]) == []


_BASES = st.sampled_from(["某局2024", "乙局", "scan", "甲"])
_FORMS = st.sampled_from(["{}_p{}", "{}-{}", "{} 第{}页", "{}({})", "{}_{:03d}"])


@st.composite
def _image_names(draw: st.DrawFn) -> list[str]:
    entries = draw(
        st.lists(
            st.tuples(_BASES, _FORMS, st.integers(0, 999), st.sampled_from([".png", ".jpg"])),
            max_size=20,
        )
    )
    names = [form.format(base, n) + ext for base, form, n, ext in entries]
    names += draw(st.lists(st.sampled_from(["封面.png", "scan.png", "x_2024.jpg"]), max_size=3))
    return list(dict.fromkeys(draw(st.permutations(names))))


@given(_image_names())
def test_every_image_lands_in_exactly_one_group_in_page_order(names: list[str]) -> None:
    images = [Path("d") / n for n in names]
    groups = group_images(images)
    seen = [p for g in groups for p in (g.pages if isinstance(g, Pages) else (g,))]
    assert sorted(seen) == sorted(images)  # each image once, none invented
    for g in groups:
        if isinstance(g, Pages):
            assert len(g.pages) >= 2
            assert len({page_number(p.name)[0] for p in g.pages}) == 1  # type: ignore[index]
            assert list(g.numbers) == sorted(g.numbers)  # page order
    (folder,) = group_images(images, folder="d") if images else [Pages("d", (), ())]
    assert list(folder.pages) == sorted(images, key=lambda p: natural_key(p.name))


def _tree(root: Path) -> None:
    (root / "scan").mkdir(parents=True)
    for n in ("p10.png", "p9.png", "p1.png"):
        (root / "scan" / n).write_bytes(PNG)
    (root / "scan" / "deeper").mkdir()
    (root / "scan" / "deeper" / "r.txt").write_text("x")
    (root / "mixed").mkdir()
    (root / "mixed" / "a.txt").write_text("x")
    for n in ("某局2024_p2.png", "某局2024_p1.png", "logo.png", "a.expected.json"):
        (root / "mixed" / n).write_bytes(PNG)


def test_find_files_groups_the_images_of_a_tree(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = find_files([tmp_path])
    assert found == [
        tmp_path / "mixed" / "a.txt",
        tmp_path / "mixed" / "logo.png",
        Pages(
            str(tmp_path / "mixed" / "某局2024_p*.png"),
            (tmp_path / "mixed" / "某局2024_p1.png", tmp_path / "mixed" / "某局2024_p2.png"),
            (1, 2),
        ),
        # only images in it: one report; its subfolder is walked on its own
        Pages(
            str(tmp_path / "scan"),
            tuple(tmp_path / "scan" / n for n in ("p1.png", "p9.png", "p10.png")),
            (1, 9, 10),
        ),
        tmp_path / "scan" / "deeper" / "r.txt",
    ]


def test_images_named_together_are_one_report(tmp_path: Path) -> None:
    _tree(tmp_path)
    m = tmp_path / "mixed"
    group = Pages(
        str(m / "某局2024_p*.png"), (m / "某局2024_p1.png", m / "某局2024_p2.png"), (1, 2)
    )
    named = [m / "某局2024_p2.png", m / "a.txt", m / "某局2024_p1.png", m / "logo.png"]
    assert find_files(named) == [group, m / "a.txt", m / "logo.png"]
    # The label is a glob, and given back it finds the same report.
    assert find_files([group.label]) == [group]
    assert find_files([m / "某局2024_p1.png"]) == [m / "某局2024_p1.png"]  # alone: one page


def _pages_folder(root: Path, n: int = 3) -> Path:
    folder = root / "局2024"
    folder.mkdir()
    for i in range(1, n + 1):
        (folder / f"p{i}.png").write_bytes(PNG + bytes([i]))
    return folder


def test_no_ocr_makes_a_group_one_error_row_and_resume_skips_it(tmp_path: Path) -> None:
    folder = _pages_folder(tmp_path)
    out = tmp_path / "out.sqlite"
    summary = ingest([tmp_path], out, ocr=False, copy=None)
    (row,) = read_table(out, "reports")
    assert summary.files == 1 and row["file"] == str(folder) and row["status"] == "error"
    assert "需要OCR" in row["error"] and "局2024" in row["error"]
    pages = [(folder / f"p{i}.png").read_bytes() for i in (1, 2, 3)]
    assert row["sha256"] == pages_sha256(pages) and row["size"] == sum(map(len, pages))
    # Resume: the same pages are skipped; a changed page makes the group be done again (a new
    # row, the earlier one kept, as for a changed file).
    assert ingest([tmp_path], out, ocr=False, resume=True, copy=None).skipped == 1
    (folder / "p2.png").write_bytes(PNG + b"changed")
    again = ingest([tmp_path], out, ocr=False, resume=True, copy=None)
    assert again.skipped == 0 and again.errors == 1
    first, second = read_table(out, "reports")
    assert first["sha256"] == pages_sha256(pages) and second["file"] == str(folder)
    assert second["sha256"] == pages_sha256((folder / f"p{i}.png").read_bytes() for i in (1, 2, 3))


def test_the_pages_sha256_follows_page_order() -> None:
    assert pages_sha256([b"a", b"b"]) != pages_sha256([b"b", b"a"])
    assert pages_sha256([b"ab"]) != pages_sha256([b"a", b"b"])


def test_read_in_parent_sends_the_pages(tmp_path: Path) -> None:
    folder = _pages_folder(tmp_path, 2)
    item = (1, str(folder), ((str(folder / "p1.png"), None), (str(folder / "p2.png"), None)))
    ((_, path, content),) = batch_run._with_contents([item])
    assert path == str(folder)
    assert content == tuple((str(folder / f"p{i}.png"), PNG + bytes([i])) for i in (1, 2))
    # Through an executor, with the pages sent from the parent: the same row.
    out = tmp_path / "out.sqlite"
    with ThreadPoolExecutor(2) as pool:
        ingest([tmp_path], out, ocr=False, copy=None, executor=pool, read_in_parent=True)
    (row,) = read_table(out, "reports")
    assert row["file"] == str(folder) and row["sha256"] == pages_sha256(c for _, c in content)


def test_a_page_that_is_no_image_names_the_page(tmp_path: Path) -> None:
    folder = _pages_folder(tmp_path)
    (folder / "p2.png").write_bytes(b"GIF89a not a page we read")
    record = process_file(
        1, str(folder), batch_run._pages(find_files([folder])[0]), WorkerOptions()
    )
    report = record["report"]
    assert report[9] == "error" and "p2.png" in report[10] and "Traceback" not in report[10]
    (folder / "p2.png").unlink()  # gone between finding and reading
    record = process_file(
        1, str(folder), tuple((str(folder / f"p{i}.png"), None) for i in (1, 2, 3)), WorkerOptions()
    )
    assert record["report"][9] == "error" and "p2.png" in record["report"][10]
    assert "文件不存在" in record["report"][10]


def test_the_time_limit_grows_with_ocr_pages() -> None:
    assert OCR_PAGE_SECONDS == 30
    assert time_limit(60, 0) == 60
    assert time_limit(60, 9) == 60 + 9 * 30  # a 9-page scan at 8 s a page fits
    assert time_limit(0, 9) == 0  # no limit stays no limit
    assert ocr_pages(SCAN.read_bytes()) == 5  # image-only PDF: every page
    assert ocr_pages(PNG) == 1
    assert ocr_pages(SEED.read_bytes()) == 0


def test_the_pdf_without_pictures_costs_nothing_to_count() -> None:
    from .pdfgen import Page, build

    assert ocr_pages(build([Page().text(72, 700, "一行字")])) == 0


def test_the_scaled_limit_is_the_one_applied(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def slow(*args: object, **kwargs: object) -> None:
        raise FileTimeout  # as SIGALRM would

    monkeypatch.setattr(worker, "parse_images", slow)
    monkeypatch.setattr(worker, "parse", slow)
    folder = _pages_folder(tmp_path)
    pages = tuple((str(folder / f"p{i}.png"), None) for i in (1, 2, 3))
    record = process_file(1, str(folder), pages, WorkerOptions(timeout=60))
    assert "超过150秒" in record["report"][10]
    record = process_file(2, str(SCAN), None, WorkerOptions(timeout=60))
    assert "超过210秒" in record["report"][10]
    record = process_file(3, str(SCAN), None, WorkerOptions(timeout=60, ocr=False))
    assert "超过60秒" in record["report"][10]  # nothing read through OCR


def test_batch_cli_no_ocr_on_named_pages(tmp_path: Path) -> None:
    folder = _pages_folder(tmp_path)
    out = tmp_path / "o.sqlite"
    args = ["batch", str(folder / "p1.png"), str(folder / "p2.png"), "-o", str(out), "--no-ocr"]
    result = CliRunner().invoke(main, [*args, "-j", "1", "-q"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    (row,) = read_table(out, "reports")
    assert row["file"] == str(folder / "p*.png") and "需要OCR" in row["error"]


@pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")
def test_batch_reads_a_scan_given_as_page_images(tmp_path: Path) -> None:
    """The checked-in scan split into page images beside a text report: two rows, the scan's
    ok with its cells marked OCR; one page number skipped (p4 missing) is a warning; resume
    skips both. OCR of five pages: about 20–40 s on two cores."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(SCAN)
    for i, number in enumerate((1, 2, 3, 5, 6)):  # no p4: a gap in the numbering
        img = pdf[i].render(scale=150 / 72).to_pil().convert("L")
        buf = io.BytesIO()
        img.save(buf, "PNG")
        (tmp_path / f"某局2020_p{number}.png").write_bytes(buf.getvalue())
    pdf.close()
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    out = tmp_path / "out.sqlite"
    summary = ingest([tmp_path], out, copy=None)
    assert summary.files == 2 and summary.ok == 2, read_table(out, "reports")
    rows = {Path(r["file"]).name: r for r in read_table(out, "reports")}
    scan = rows["某局2020_p*.png"]
    assert scan["status"] == "ok" and scan["agency"] == "杭州市临安区科学技术局"
    con = sqlite3.connect(out)
    marked, total = con.execute(
        "SELECT count(ocr), count(*) FROM cells WHERE report_id = ?", (scan["id"],)
    ).fetchone()
    assert total > 100 and marked == total
    assert con.execute(
        "SELECT count(*) FROM cells WHERE report_id = ? AND ocr IS NOT NULL",
        (rows["seed.txt"]["id"],),
    ).fetchone() == (0,)
    (gap,) = con.execute(
        "SELECT message FROM warnings WHERE report_id = ? AND code = 'missing-page'", (scan["id"],)
    ).fetchone()
    con.close()
    assert "缺少第4页" in gap
    assert ingest([tmp_path], out, resume=True, copy=None).skipped == 2


def test_check_cli_takes_named_pages_as_one_report(tmp_path: Path) -> None:
    import json

    folder = _pages_folder(tmp_path, 2)
    (folder / "p2.png").write_bytes(b"not an image")
    args = ["check", str(folder / "p1.png"), str(folder / "p2.png"), "--format", "json"]
    result = CliRunner().invoke(main, args)
    (entry,) = json.loads(result.stdout)
    assert entry["file"] == str(folder / "p*.png") and "p2.png" in entry["error"]
