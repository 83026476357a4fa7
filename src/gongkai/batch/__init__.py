"""Many reports at once: a dataset, cross-year checks, copy detection, roll-ups.

::

    from concurrent.futures import ProcessPoolExecutor
    from gongkai.batch import ingest, rollup

    with ProcessPoolExecutor() as pool:
        summary = ingest(["reports/"], "out.sqlite", executor=pool)
    by_year = rollup("out.sqlite", by="year")

==================  ======================================================================
``run``             walk + parse + check over any ``concurrent.futures.Executor``; :func:`ingest`
``pool``            chunks over an executor; a pool whose worker the OS killed is restarted
``worker``          the per-file work (plain tuples back to the parent)
``schema``          the dataset's tables and columns, once
``dataset``         writers: SQLite, XLSX, CSV folder, Parquet folder (streaming)
``agencies``        agency name normalisation, the user's mapping file, region files
``crossyear``       T3-6, T2-2, T2-3, T2-5 between consecutive years of one agency
``similarity``      copy detection (DUP-1): MinHash + LSH, verified exactly
``stats``           roll-ups of tables 三 and 四 and of the findings, by year, format or region
==================  ======================================================================
"""

from __future__ import annotations

from ..files import find_files
from .agencies import (
    AgencyMap,
    RegionMap,
    load_agency_map,
    load_region_map,
    normalise,
    resolve_keys,
)
from .crossyear import BatchFinding, YearReport, cross_year, facts_of
from .dataset import DatasetError, Writer, open_dataset, read_table
from .pool import WorkerPool
from .run import BatchSummary, ingest
from .schema import SCHEMA_VERSION, TABLES
from .similarity import CopyDetector, CopyOptions
from .stats import Rollup, rollup, write_rollup_xlsx

__all__ = [
    "SCHEMA_VERSION",
    "TABLES",
    "AgencyMap",
    "BatchFinding",
    "BatchSummary",
    "CopyDetector",
    "CopyOptions",
    "DatasetError",
    "RegionMap",
    "Rollup",
    "WorkerPool",
    "Writer",
    "YearReport",
    "cross_year",
    "facts_of",
    "find_files",
    "ingest",
    "load_agency_map",
    "load_region_map",
    "normalise",
    "open_dataset",
    "read_table",
    "resolve_keys",
    "rollup",
    "write_rollup_xlsx",
]
