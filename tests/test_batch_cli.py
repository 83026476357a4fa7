"""``gongkai batch`` through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from gongkai.batch import read_table
from gongkai.cli import main

from .test_batch_helpers import copy_seeds


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    f = copy_seeds(tmp_path / "in")
    (f / "empty.txt").write_bytes(b"")
    return f


def test_batch_sqlite_with_summary(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    result = run("batch", str(folder), "-o", str(out), "-j", "2")
    assert result.exit_code == 0, result.output
    assert "已写入" in result.output and "解析成功 5 个，无法读取 1 个" in result.output
    assert len(read_table(out, "reports")) == 6


def test_batch_xlsx_quiet(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = run("batch", str(folder), "-o", str(out), "-q", "-j", "1")
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert len(read_table(out, "reports")) == 6


def test_batch_existing_output_and_resume(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.sqlite"
    assert run("batch", str(folder), "-o", str(out), "-q", "-j", "1").exit_code == 0
    again = run("batch", str(folder), "-o", str(out), "-j", "1")
    assert again.exit_code == 1 and "输出已存在" in again.output
    resumed = run("batch", str(folder), "-o", str(out), "--resume", "-j", "1")
    assert resumed.exit_code == 0 and "跳过已有 6 个" in resumed.output


def test_batch_usage_errors(folder: Path, tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    result = run("batch", str(tmp_path / "nothing"), "-o", str(tmp_path / "o.sqlite"))
    assert result.exit_code == 1 and "没有找到年报文件" in result.output
    bad = tmp_path / "agencies.toml"
    bad.write_text("[agencies\n", encoding="utf-8")
    result = run("batch", str(folder), "-o", str(tmp_path / "o.sqlite"), "--agencies", str(bad))
    assert result.exit_code == 1 and "不是有效的 TOML" in result.output
    result = run("batch", str(folder), "-o", str(tmp_path / "o.json"))
    assert result.exit_code == 1 and "不支持的输出类型" in result.output
    assert run("batch", str(folder)).exit_code == 2  # -o is required


@pytest.mark.slow
def test_batch_on_a_local_dask_cluster(folder: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    out = tmp_path / "out.sqlite"
    result = run("batch", str(folder), "-o", str(out), "--dask", "local", "-j", "1", "-q")
    assert result.exit_code == 0, result.output
    assert len(read_table(out, "reports")) == 6
