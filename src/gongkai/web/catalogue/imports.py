"""Import with a preview: the uploaded file is kept under the data directory by its sha256
between the two requests (upload → preview → confirm); nothing is written to the database
until the officer confirms, and the confirmed import is one transaction."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from gongkai.register.catalogue import CatalogueError
from gongkai.register.catalogue_sheet import BY_KEY, SheetIssue, SheetResult, read_sheet

from ..orgs.models import Organisation
from ..uploads import SHA, Kept
from .models import CatalogueItem, CatalogueSettings

MAX_BYTES = 10 * 1024 * 1024
KEEP_SECONDS = 2 * 24 * 3600  # an upload waits this long for its confirmation
SUFFIXES = (".xlsx", ".csv")


def folder() -> Path:
    path = Path(settings.MEDIA_ROOT) / "catalogue-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _kept() -> Kept:
    return Kept(folder(), KEEP_SECONDS)


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise CatalogueError(
            f"无法读取 {name}：请上传 .xlsx 或 .csv 文件（旧版 .xls 请另存为 .xlsx）"
        )
    return suffix


def keep(data: bytes, name: str) -> str:
    """Store the upload as ``<sha256><suffix>``; returns the sha256."""
    too_big = CatalogueError(f"文件 {name} 超过 {MAX_BYTES // 1024 // 1024} MB，请分成几个文件导入")
    return _kept().put([data], _suffix(name), MAX_BYTES, lambda: too_big)


def kept(sha: str, name: str) -> bytes:
    suffix = Path(name).suffix.lower()
    if not SHA.match(sha) or suffix not in SUFFIXES:
        raise CatalogueError("导入文件标识无效，请重新上传")
    if _kept().path(sha, suffix) is None:
        raise CatalogueError("找不到上传的文件（可能已导入或已清理），请重新上传")
    data = _kept().read(sha, suffix)
    if data is None:
        raise CatalogueError("上传的文件已被改动，请重新上传")
    return data


def forget(sha: str, name: str) -> None:
    _kept().forget(sha, Path(name).suffix.lower())


def preview(org: Organisation, data: bytes, name: str) -> SheetResult:
    """The sheet's rows and issues, plus what only the database knows: 索引号 already used,
    and an organisation without a 索引号 rule for the rows that need one generated."""
    result = read_sheet(data, name)
    given = [r.index_no for r in result.rows if r.index_no]
    taken = set(CatalogueItem.objects.filter(index_no__in=given).values_list("index_no", flat=True))
    no_rule = not CatalogueSettings.objects.filter(organisation=org).exists()
    header = BY_KEY["index_no"].header
    good = []
    for row in result.rows:
        if row.index_no in taken:
            result.issues.append(
                SheetIssue(
                    row.sheet, row.row, header, f"索引号 {row.index_no} 已被使用，索引号不得重复"
                )
            )
        elif no_rule and not row.index_no:
            result.issues.append(
                SheetIssue(
                    row.sheet, row.row, header, f"{org.name}尚未设置索引号规则，无法生成索引号"
                )
            )
        else:
            good.append(row)
    result.rows = good
    result.issues.sort(key=lambda i: i.row or 0)
    return result
