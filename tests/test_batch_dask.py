"""The same batch over a process pool, a Dask cluster and in-process gives the same dataset."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import gongkai
from gongkai.batch import ingest

from .test_batch_helpers import SEEDS, contents, seed, variant


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("dask-in")
    src = seed("003")
    agency = gongkai.parse(src).agency
    assert agency
    extra = [
        variant(src, folder / "copy.txt", agency=(agency, "某某县农业农村局")),  # DUP-1
        variant(src, folder / "last_year.txt", year=(2023, 2022)),  # cross-year pair
    ]
    (folder / "empty.txt").write_bytes(b"")
    return [*SEEDS, *extra, folder / "empty.txt"]


def test_dask_cluster_gives_the_process_pool_dataset(inputs: list[Path], tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    with ProcessPoolExecutor(max_workers=2) as pool:
        ingest(inputs, tmp_path / "pool.sqlite", executor=pool, chunk_size=2)
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        ingest(
            inputs,
            tmp_path / "dask.sqlite",
            executor=client.get_executor(pure=False),
            chunk_size=3,
            read_in_parent=True,  # as for a remote cluster: contents travel with the task
        )
    pool_rows = contents(tmp_path / "pool.sqlite")
    assert pool_rows == contents(tmp_path / "dask.sqlite")
    assert {r[-3] for r in pool_rows["reports"]} == {"ok", "error"}
    rules = {r[1] for r in pool_rows["findings"]}
    assert "DUP-1" in rules


def test_in_process_gives_the_same_dataset(inputs: list[Path], tmp_path: Path) -> None:
    with ProcessPoolExecutor(max_workers=2) as pool:
        ingest(inputs, tmp_path / "pool.sqlite", executor=pool)
    ingest(inputs, tmp_path / "inline.sqlite")
    assert contents(tmp_path / "pool.sqlite") == contents(tmp_path / "inline.sqlite")
