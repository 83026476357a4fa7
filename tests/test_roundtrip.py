"""The main test of the renderers and readers: parse(render(report, to=k)) gives back the same
tables, cell by cell (raw text, kind and value), for every seed report and for random valid
reports of both formats, through DOCX, HTML, Markdown and text (and, in the slow tier, through
LibreOffice's PDF of the DOCX)."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gongkai
from gongkai import formats
from gongkai.formats import CellType
from gongkai.parse.values import read_value
from gongkai.render import KINDS, render
from gongkai.report import Cell, CellKind, Report, Row, Section, Table

from .conftest import CORPUS

SEEDS = sorted(CORPUS.glob("*.txt"))

AGENCIES = (
    "杭州市临安区科学技术局",
    "某省人民政府办公厅",
    "上海市黄浦区人民政府",
    "某县自然资源和规划局",
    "国家某某管理局",
    "某市生态环境局某某分局",
)
SENTENCES = (
    "本年度我局认真贯彻落实《中华人民共和国政府信息公开条例》。",
    "全年主动公开政府信息128条，其中政策文件12件。",
    "依申请公开工作严格按照法定时限办理，未发生逾期答复情况。",
    "政府信息公开平台建设进一步加强，门户网站运行平稳。",
    "存在的主要问题是公开内容还不够全面，解读形式较为单一。",
    "下一步将加强培训，提升工作人员业务水平。",
    "本年度未收取信息处理费。",
    "统计期限自2021年1月1日起至2021年12月31日止。",
)


# Sections whose prose the parser reads back: all six (prose inside a table's region, such as
# the text of section 三 around table 三, is kept as narrative).
PROSE_SECTIONS = (1, 2, 3, 4, 5, 6)


def cell_key(c: Cell, *, spaces: bool = True) -> tuple[object, ...]:
    raw = c.raw if spaces else "".join(c.raw.split())
    return (raw, c.kind, c.value, type(c.value).__name__)


def assert_same_tables(
    want: Report, got: Report, where: str, *, spaces: bool = True, blanks_absent: bool = False
) -> None:
    """Cell by cell: raw text, kind, value and the value's type. ``spaces=False`` ignores
    whitespace in the raw text (a PDF's text layer does not keep it: 1.68万元 → 1.68 万元).
    ``blanks_absent``: a blank cell of ``want`` may have no cell in ``got`` (a layout that
    cannot hold a blank cell)."""
    for tkey, table in want.tables.items():
        back = got.tables.get(tkey)
        assert back is not None, f"{where}: {tkey} missing"
        for row in table.rows:
            brow = back.row(row.key)
            assert brow is not None, f"{where}: {tkey}.{row.key} missing"
            for cell in row.cells:
                bcell = brow.cell(cell.column)
                if bcell is None and blanks_absent and cell.kind is CellKind.BLANK:
                    continue
                assert bcell is not None, f"{where}: {tkey}.{row.key}.{cell.column} missing"
                assert cell_key(bcell, spaces=spaces) == cell_key(cell, spaces=spaces), (
                    f"{where}: {tkey}.{row.key}.{cell.column}"
                )
        assert [r.key for r in back.rows] == [r.key for r in table.rows], f"{where}: {tkey} rows"


def assert_same_report(want: Report, got: Report, where: str) -> None:
    assert_same_tables(want, got, where)
    assert (got.agency, got.year, got.format) == (want.agency, want.year, want.format), where
    assert got.preamble == want.preamble, f"{where}: preamble"
    for s in want.sections:
        back = got.section(s.number)
        assert back is not None and back.text == s.text, f"{where}: section {s.number}"


def reparse(report: Report, kind: str) -> Report:
    out = render(report, kind)
    data = out if isinstance(out, bytes) else out.encode("utf-8")
    return gongkai.parse(data, name=f"rendered.{kind}")


# -- seeds -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("path", SEEDS, ids=[p.stem[:3] for p in SEEDS])
def test_seed_round_trip(path: Path, kind: str) -> None:
    report = gongkai.parse(path)
    assert_same_report(report, reparse(report, kind), f"{path.name} → {kind}")


# -- generated reports -----------------------------------------------------------------------


@st.composite
def raw_values(draw: st.DrawFn, type_: CellType) -> str:
    shape = draw(st.sampled_from(["blank", "slash", "dash", "number", "number", "number"]))
    if shape == "blank":
        return ""
    if shape == "slash":
        return "/"
    if shape == "dash":
        return "-"
    if type_ is CellType.AMOUNT:
        amount = draw(st.decimals(min_value=0, max_value=10**7, places=4))
        text = format(amount.normalize() if draw(st.booleans()) else amount, "f")
        return text + draw(st.sampled_from(["", "", "万元"]))
    if type_ is CellType.SIGNED:
        n = draw(st.integers(-500, 500))
        return f"+{n}" if n > 0 and draw(st.booleans()) else str(n)
    return str(draw(st.integers(0, 10**6))) + draw(st.sampled_from(["", "", "", "件"]))


def make_cell(column: formats.Column, raw: str) -> Cell:
    v = read_value(raw, column.type)
    return Cell(column=column.key, raw=raw, value=v.value, kind=v.kind, unit=v.unit)


@st.composite
def reports(draw: st.DrawFn, fmt_key: str | None = None) -> Report:
    fmt = formats.get(fmt_key or draw(st.sampled_from(sorted(formats.FORMATS))))
    last = fmt.last_year or 2030
    tables: dict[str, Table] = {}
    for t in fmt.tables:
        rows = []
        for r in t.rows:
            cells = [make_cell(c, draw(raw_values(c.type))) for c in t.columns_for(r)]
            rows.append(Row(key=r.key, label=r.label, cells=cells))
        tables[t.key] = Table(key=t.key, rows=rows)
    paragraphs = st.lists(st.sampled_from(SENTENCES), max_size=3).map("\n".join)
    sections = [
        Section(
            number=s.number,
            heading=s.heading,
            text=draw(paragraphs) if s.number in PROSE_SECTIONS else "",
        )
        for s in fmt.sections
    ]
    return Report(
        agency=draw(st.sampled_from(AGENCIES)),
        year=draw(st.integers(fmt.first_year, last)),
        format=fmt.key,
        preamble=draw(paragraphs),
        tables=tables,
        sections=sections,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_generated_reports_round_trip(report: Report) -> None:
    for kind in KINDS:
        assert_same_report(report, reparse(report, kind), f"generated → {kind}")


def test_amounts_keep_their_written_form() -> None:
    report = gongkai.parse(CORPUS / "000_d46c6233cefb6b7a.txt")
    back = reparse(report, "docx")
    cell = back.cell("t2", "procurement", "purchase_amount")
    assert cell is not None and cell.raw == "1.68万元" and cell.value == Decimal("1.68")


# -- through LibreOffice -----------------------------------------------------------------------


def soffice_pdf(docx_files: list[Path], outdir: Path) -> list[Path]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, docx_files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return [outdir / (p.stem + ".pdf") for p in docx_files]


@pytest.mark.slow
def test_docx_through_libreoffice_pdf(tmp_path: Path) -> None:
    """Word's view of our DOCX, approximated by LibreOffice: the PDF it prints reads back to the
    same tables (the PDF reader is the one gongkai.parse uses for any PDF)."""
    reports = {p.stem: gongkai.parse(p) for p in SEEDS}
    generated = [reports_example(k) for k in ("2019", "2021")]
    reports.update({f"generated_{r.format}": r for r in generated})
    files = []
    for stem, report in reports.items():
        path = tmp_path / f"{stem}.docx"
        path.write_bytes(render(report, "docx"))
        files.append(path)
    pdfs = soffice_pdf(files, tmp_path)
    import pypdfium2 as pdfium

    for (stem, report), pdf in zip(reports.items(), pdfs, strict=True):
        assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF-"), stem
        doc = pdfium.PdfDocument(pdf)
        width, height = doc[0].get_size()
        doc.close()
        assert (round(width), round(height)) == (595, 842), f"{stem}: A4 portrait"
        assert_same_tables(report, gongkai.parse(pdf), f"{stem} → docx → pdf", spaces=False)


def reports_example(fmt_key: str) -> Report:
    """A fixed report with numbers, blanks, "/" and amounts in every table."""
    fmt = formats.get(fmt_key)
    tables: dict[str, Table] = {}
    n = 0
    for t in fmt.tables:
        rows = []
        for r in t.rows:
            cells = []
            for c in t.columns_for(r):
                n += 1
                amount = "12.3456" if c.type is CellType.AMOUNT else str(n)
                cells.append(make_cell(c, ["", "/", str(n * 7), amount][n % 4]))
            rows.append(Row(key=r.key, label=r.label, cells=cells))
        tables[t.key] = Table(key=t.key, rows=rows)
    return Report(
        agency=AGENCIES[1],
        year=fmt.first_year,
        format=fmt.key,
        preamble=SENTENCES[0],
        tables=tables,
    )
