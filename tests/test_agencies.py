"""Agency keys across years: normalisation, suffix merging, the user's mapping and region files."""

from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.batch.agencies import (
    AgencyFileError,
    AgencyMap,
    load_agency_map,
    load_region_map,
    merge_suffixes,
    normalise,
    resolve_keys,
)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("临安区科学技术局", "临安区科技局"),
        ("临安区科技局", "临安区科技局"),
        ("杭州市临安区科学技术局", "杭州市临安区科技局"),
        ("杭州市临安区科技局2020年度", "杭州市临安区科技局"),
        ("临安区人民政府办公室", "临安区政府办"),
        ("临安区政府办", "临安区政府办"),
        ("临安区人民政府", "临安区政府"),
        ("中共杭州市临安区委宣传部", "杭州市临安区委宣传部"),
        ("（杭州市）临安区 科学技术局", "杭州市临安区科技局"),
        ("临安区人民政府2020年政府信息公开工作年度报告", "临安区政府"),
        ("杭州市市场监督管理局", "杭州市市场监管局"),
        ("ＸＸ县人力资源和社会保障局", "XX县人社局"),  # full-width letters (NFKC)
        ("区科技局", "区科技局"),
    ],
)
def test_normalise(name: str, key: str) -> None:
    assert normalise(name) == key


def test_short_and_full_forms_share_a_key() -> None:
    assert normalise("临安区科学技术局") == normalise("临安区科技局")


def test_a_tail_joins_the_one_longer_key_that_ends_with_it() -> None:
    keys = ["浙江省杭州市临安区科技局", "杭州市临安区科技局", "临安区科技局", "区科技局"]
    merged = merge_suffixes(keys)
    assert merged == {
        "杭州市临安区科技局": "浙江省杭州市临安区科技局",
        "临安区科技局": "浙江省杭州市临安区科技局",
    }


def test_an_ambiguous_tail_and_a_key_without_a_place_stay_alone() -> None:
    merged = merge_suffixes(
        ["南京市鼓楼区科技局", "福州市鼓楼区科技局", "鼓楼区科技局", "区科技局"]
    )
    assert merged == {}
    # A tail must start after a place unit: 安区科技局 is not a tail of 临安区科技局.
    assert merge_suffixes(["临安区科技局", "安区科技局"]) == {}


def test_mapping_file_toml(tmp_path: Path) -> None:
    f = tmp_path / "agencies.toml"
    f.write_text(
        '[agencies]\n"杭州市临安区科学技术局" = ["区科技局", "临安区科学技术协会"]\n'
        '"杭州市临平区经济信息化和科学技术局" = "杭州市余杭区经济和信息化局"\n',
        encoding="utf-8",
    )
    m = load_agency_map(f)
    assert m.key("区科技局") == "杭州市临安区科技局"
    assert m.key("临安区科学技术协会") == "杭州市临安区科技局"
    assert m.key("杭州市余杭区经济和信息化局") == "杭州市临平区经济信息化和科技局"
    assert m.key("偃师市科学技术局") == "偃师市科技局"
    assert m.key(None) is None


def test_mapping_file_csv_with_bom_and_chains(tmp_path: Path) -> None:
    f = tmp_path / "agencies.csv"
    # Two renames in a row: A → B, then B → C; everything ends at C.
    f.write_text("标准名称,别名\nB局,A局\nC局,B局\n", encoding="utf-8-sig")
    m = load_agency_map(f)
    assert m.key("A局") == m.key("B局") == m.key("C局") == "C局"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("a.toml", "agencies = [", "不是有效的 TOML"),
        ("a.toml", "[other]\n", "缺少 [agencies] 表"),
        ("a.toml", "[agencies]\nx = 3\n", "名称或名称列表"),
        ("a.csv", "标准名称,别名\n只有一列\n", "应有两列"),
        ("a.txt", "x", "应为 .toml 或 .csv"),
    ],
)
def test_bad_mapping_files_say_why(tmp_path: Path, name: str, text: str, message: str) -> None:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    with pytest.raises(AgencyFileError) as info:
        load_agency_map(f)
    assert message in str(info.value)


def test_user_mapped_keys_are_not_merged_away() -> None:
    m = AgencyMap.from_pairs([("临安区科技局", "区科技局")])
    # 临安区科技局 is the user's standard name: it is not merged into a longer key even though
    # 杭州市临安区科技局 ends with it; the unmapped longer key is left alone too.
    merged = resolve_keys(["临安区科技局", "杭州市临安区科技局"], m)
    assert "临安区科技局" not in merged


def test_region_file(tmp_path: Path) -> None:
    f = tmp_path / "regions.toml"
    f.write_text(
        '[regions]\n"杭州市" = ["临安区", "临平区"]\n"洛阳市" = ["偃师市科学技术局"]\n',
        encoding="utf-8",
    )
    regions = load_region_map(f)
    assert regions.region("杭州市临安区科学技术局") == "杭州市"
    assert regions.region("偃师市科学技术局") == "洛阳市"
    assert regions.region("区科技局") == "未知地区"
    c = tmp_path / "regions.csv"
    c.write_text("机关,地区\n临安区,杭州市\n", encoding="utf-8")
    assert load_region_map(c).region("临安区人民政府") == "杭州市"
