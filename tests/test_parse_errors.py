"""Bad input gets a clear, located ParseError in Chinese; encodings are decoded."""

from __future__ import annotations

from pathlib import Path

import pytest

import gongkai
from gongkai.errors import ParseError, StrictParseError

from .conftest import CORPUS

SEED_2021 = CORPUS / "003_de0397beeb1d474d.txt"


def test_empty_file_is_a_parse_error(tmp_path: Path) -> None:
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    with pytest.raises(ParseError) as e:
        gongkai.parse(p)
    assert "empty.txt" in str(e.value) and "空" in str(e.value)


def test_text_that_is_not_a_report(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text("今天天气很好。\n我们去公园散步。\n", encoding="utf-8")
    with pytest.raises(ParseError) as e:
        gongkai.parse(p)
    assert "notes.txt" in str(e.value) and "不是政府信息公开工作年度报告" in str(e.value)


def test_binary_file(tmp_path: Path) -> None:
    p = tmp_path / "x.txt"
    p.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(ParseError) as e:
        gongkai.parse(p)
    assert "x.txt" in str(e.value)


def test_report_without_tables(tmp_path: Path) -> None:
    text = SEED_2021.read_text(encoding="utf-8").split("二、主动公开政府信息情况")[0]
    p = tmp_path / "notables.txt"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ParseError) as e:
        gongkai.parse(p)
    assert "表格" in str(e.value) and "notables.txt" in str(e.value)


def test_pre_2019_report_is_refused() -> None:
    text = SEED_2021.read_text(encoding="utf-8").replace("2023", "2017")
    with pytest.raises(ParseError) as e:
        gongkai.parse(text)
    assert "2017" in str(e.value)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / f"r-{encoding}.txt"
    p.write_bytes(SEED_2021.read_text(encoding="utf-8").encode(encoding))
    report = gongkai.parse(p, name="r.txt")
    reference = gongkai.parse(SEED_2021, name="r.txt")
    assert report.tables == reference.tables
    assert report.agency == reference.agency == "杭州市临平区经济信息化和科学技术局"


def test_text_and_path_give_the_same_report() -> None:
    by_text = gongkai.parse(SEED_2021.read_text(encoding="utf-8"))
    by_path = gongkai.parse(SEED_2021)
    assert by_text.tables.keys() == by_path.tables.keys()
    assert by_text.model_dump(exclude={"source"}, mode="json")["agency"] == by_path.agency


def test_strict_turns_a_warning_into_an_error() -> None:
    seed_000 = CORPUS / "000_d46c6233cefb6b7a.txt"
    assert gongkai.parse(seed_000).warnings  # lenient: the report, with warnings
    with pytest.raises(StrictParseError) as e:
        gongkai.parse(seed_000, strict=True)
    assert "000_d46c6233cefb6b7a.txt" in str(e.value) and "表二" in str(e.value)


def test_warning_is_located() -> None:
    report = gongkai.parse(CORPUS / "000_d46c6233cefb6b7a.txt")
    w = report.warnings[0]
    assert w.code == "surplus-cells"
    assert w.location is not None and w.location.line == 90 and w.location.table == "t2"


def test_a_damaged_zip_is_a_parse_error(tmp_path: Path) -> None:
    data = bytearray((CORPUS / "docx" / "004_merged_python_docx.docx").read_bytes())
    # "version needed to extract" of the first local header set to 18.1: zipfile refuses it
    # with NotImplementedError, which must not escape as a traceback.
    data[4:6] = (181).to_bytes(2, "little")
    data[data.find(b"PK\x01\x02") + 6 : data.find(b"PK\x01\x02") + 8] = (181).to_bytes(2, "little")
    p = tmp_path / "damaged.docx"
    p.write_bytes(bytes(data))
    with pytest.raises(ParseError) as e:
        gongkai.parse(p)
    assert "damaged.docx" in str(e.value)


def test_text_with_lone_surrogates_still_gives_writable_json() -> None:
    text = SEED_2021.read_text(encoding="utf-8").replace("总体情况", "总体\udc31情况", 1)
    report = gongkai.parse(text)
    assert gongkai.Report.from_json(report.to_json()).agency == report.agency


@pytest.mark.parametrize(
    ("title", "agency", "year"),
    [
        ("某某市科学技术局关于2022年政府信息公开工作年度报告", "某某市科学技术局", 2022),
        ("某某县人民政府政府信息公开工作年度报告（2022年度）", "某某县人民政府", 2022),
        ("2022年某某市人民政府办公室政府信息公开工作报告", "某某市人民政府办公室", 2022),
    ],
)
def test_title_patterns(title: str, agency: str, year: int) -> None:
    body = SEED_2021.read_text(encoding="utf-8").split("\n", 1)[1].replace("2023", str(year))
    report = gongkai.parse(title + "\n" + body)
    assert (report.agency, report.year) == (agency, year)


def test_a_report_json_is_read_back_from_a_file_or_bytes(tmp_path: Path) -> None:
    report = gongkai.parse(SEED_2021)
    p = tmp_path / "report.json"
    p.write_text(report.to_json(), encoding="utf-8")
    assert gongkai.parse(p) == report
    assert gongkai.parse(report.to_json().encode()) == report
    p.write_text('{"not": "a report"}', encoding="utf-8")
    with pytest.raises(ParseError) as e:
        gongkai.parse(p)
    assert "不是gongkai的年报JSON" in str(e.value) and "report.json" in str(e.value)


def test_a_missing_file_says_so_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as e:
        gongkai.parse(tmp_path / "gone.txt")
    assert str(e.value) == "gone.txt：文件不存在"
