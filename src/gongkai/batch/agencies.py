"""One key per agency across years: name normalisation, a user mapping file, suffix merging.

A body's reports rarely spell its name the same way every year: ``杭州市临安区科学技术局`` in
2020, ``临安区科技局`` in 2021, ``区科技局`` when the title leaves out the place. Cross-year
checks and copy detection need one key per body, built in three steps:

1. :func:`normalise` — per name, deterministic: NFKC, no spaces or brackets, no ``中共``
   prefix or ``2020年度`` noise, then the standard abbreviations (科学技术局 → 科技局,
   人民政府办公室 → 政府办 …) so that the full title and the usual short form give the same text.
2. :class:`AgencyMap` — the user's mapping file (TOML or CSV) for 机构改革 renames and aliases that
   no rule can guess; both sides are normalised, so either spelling may be written.
3. :func:`merge_suffixes` — over a whole dataset: a key that starts with a place name and is the
   tail of exactly one longer key (``临安区科技局`` of ``杭州市临安区科技局``) joins it. Two longer
   keys with the same tail (``南京市鼓楼区…`` and ``福州市鼓楼区…``) leave it alone, and a key with
   no place name of its own (``区科技局``) never merges: only the mapping file can place it.
"""

from __future__ import annotations

import csv
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GongkaiError

# Full form → the short form used as the key. Longest first, so that 人民政府办公室 is replaced
# before 人民政府. These are the abbreviations agencies themselves use in titles and signatures.
ABBREVIATIONS: tuple[tuple[str, str], ...] = tuple(
    sorted(
        (
            ("人民政府办公室", "政府办"),
            ("人民政府办公厅", "政府办公厅"),
            ("人民政府", "政府"),
            ("科学技术局", "科技局"),
            ("科学技术厅", "科技厅"),
            ("科学技术委员会", "科委"),
            ("发展和改革委员会", "发改委"),
            ("发展和改革局", "发改局"),
            ("经济和信息化局", "经信局"),
            ("经济和信息化委员会", "经信委"),
            ("经济和信息化厅", "经信厅"),
            ("教育和体育局", "教体局"),
            ("人力资源和社会保障局", "人社局"),
            ("人力资源和社会保障厅", "人社厅"),
            ("住房和城乡建设局", "住建局"),
            ("住房和城乡建设厅", "住建厅"),
            ("住房和城乡建设委员会", "住建委"),
            ("自然资源和规划局", "自然资源规划局"),
            ("市场监督管理局", "市场监管局"),
            ("卫生健康委员会", "卫健委"),
            ("卫生健康局", "卫健局"),
            ("卫生和计划生育委员会", "卫计委"),
            ("文化广电旅游体育局", "文广旅体局"),
            ("文化广电和旅游局", "文广旅局"),
            ("文化和旅游局", "文旅局"),
            ("退役军人事务局", "退役军人局"),
            ("医疗保障局", "医保局"),
            ("应急管理局", "应急局"),
            ("城市管理行政执法局", "城管执法局"),
            ("城市管理局", "城管局"),
            ("综合行政执法局", "综合执法局"),
            ("行政审批服务局", "行政审批局"),
            ("数据资源管理局", "数据局"),
            ("大数据管理局", "数据局"),
            ("人民防空办公室", "人防办"),
            ("机关事务管理局", "机关事务局"),
            ("民族宗教事务局", "民宗局"),
            ("林业和草原局", "林草局"),
            ("农业农村局", "农业农村局"),
            ("管理委员会", "管委会"),
            ("街道办事处", "街道"),
        ),
        key=lambda pair: -len(pair[0]),
    )
)

_SPACES = re.compile(r"[\s\u3000]+")
_BRACKETS = re.compile(r"[()（）\[\]【】《》<>〈〉\"'“”‘’「」]")
# Year noise that titles glue onto the name: 2020年度, 2020年, 二〇二〇年度, a bare 年度.
_YEAR = re.compile(r"(?:[0-9]{4}|[〇零一二三四五六七八九]{4})年度?|年度")
_REPORT_TAIL = re.compile(r"(?:关于)?(?:政府)?信息公开(?:工作)?(?:年度)?(?:报告|年报).*$")
# An administrative unit that ends a place name; the characters before it are the place.
_PLACE = re.compile(r"(?:自治区|自治州|自治县|特别行政区|省|市|区|县|州|旗|盟)")


def normalise(name: str) -> str:
    """The key of one agency name (without the user's mapping or the dataset's merging)."""
    s = unicodedata.normalize("NFKC", name)
    s = _SPACES.sub("", s)
    s = _REPORT_TAIL.sub("", s)
    s = _YEAR.sub("", s)
    s = _BRACKETS.sub("", s)
    s = s.removeprefix("中共").removeprefix("中国共产党")
    for full, short in ABBREVIATIONS:
        if full in s:
            s = s.replace(full, short)
    return s


def place_prefix_end(key: str) -> int:
    """Where the leading place name of ``key`` ends (0 if it has none of its own).

    ``临安区科技局`` → 3; ``区科技局`` → 0 (the unit with no name before it is not a place).
    """
    m = _PLACE.search(key)
    if m is None or m.start() == 0:
        return 0
    return m.end()


def place_tails(key: str) -> list[str]:
    """The tails of ``key`` that may name the same body: each starts right after one of its
    place units and carries a place name of its own (``杭州市临安区科技局`` → ``临安区科技局``;
    never ``区科技局``)."""
    out = []
    for m in _PLACE.finditer(key):
        tail = key[m.end() :]
        if tail and place_prefix_end(tail):
            out.append(tail)
    return out


def merge_suffixes(keys: Iterable[str]) -> dict[str, str]:
    """Keys that are the tail of exactly one longer key, mapped to it (transitively).

    The tail must start right after a place unit of the longer key, so ``临安区科技局`` is a tail
    of ``杭州市临安区科技局`` but ``安区科技局`` is not, and it must carry a place name itself.
    """
    unique = sorted(set(keys), key=lambda k: (len(k), k))
    by_tail: dict[str, set[str]] = {}
    for key in unique:
        for tail in place_tails(key):
            by_tail.setdefault(tail, set()).add(key)
    merged: dict[str, str] = {}
    # Longest first, so that the longer keys are already resolved: 临安区科技局 is the tail of
    # both 杭州市临安区科技局 and 浙江省杭州市临安区科技局, which are one body (one chain).
    for key in reversed(unique):
        finals = {merged.get(k, k) for k in by_tail.get(key, ())}
        if len(finals) == 1:
            merged[key] = finals.pop()
    return merged


class AgencyFileError(GongkaiError):
    """An agency or region mapping file that cannot be read."""


@dataclass
class AgencyMap:
    """Aliases → one standard name, from the user's file; applied to normalised names.

    ``key(name)`` is what a report's ``agency_key`` starts as; :func:`resolve_keys` then merges
    tails over the whole dataset.
    """

    aliases: dict[str, str] = field(default_factory=dict)  # normalised alias → normalised key

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> AgencyMap:
        """``(standard name, alias)`` pairs; the standard name maps to itself."""
        aliases: dict[str, str] = {}
        for standard, alias in pairs:
            target = normalise(standard)
            aliases[normalise(alias)] = target
            aliases.setdefault(target, target)
        # A standard name may itself be listed as an alias of another (two renames in a row).
        for alias, target in list(aliases.items()):
            seen = {alias}
            while aliases.get(target, target) != target and target not in seen:
                seen.add(target)
                target = aliases[target]
            aliases[alias] = target
        return cls(aliases)

    def key(self, name: str | None) -> str | None:
        if not name:
            return None
        k = normalise(name)
        return self.aliases.get(k, k) or None

    def is_mapped(self, key: str) -> bool:
        return key in self.aliases


def resolve_keys(keys: Iterable[str], agencies: AgencyMap | None = None) -> dict[str, str]:
    """The dataset-wide merge: every key that changes, mapped to its final key.

    Keys the user's file names are left as the user said; only the others merge by tail.
    """
    agencies = agencies or AgencyMap()
    free = {k for k in keys if not agencies.is_mapped(k)}
    if not free:
        return {}
    merged = merge_suffixes([*free, *agencies.aliases.values()])
    return {k: v for k, v in merged.items() if k in free}


def load_agency_map(path: str | Path) -> AgencyMap:
    """Read the user's mapping file (format in docs/batch.md).

    TOML::

        [agencies]
        "杭州市临安区科学技术局" = ["临安区科技局", "区科技局"]

    CSV (UTF-8, with or without BOM), header ``标准名称,别名`` (or ``standard,alias``)::

        标准名称,别名
        杭州市临安区科学技术局,区科技局
    """
    pairs = [(standard, alias) for standard, alias in _read_pairs(Path(path), "agencies")]
    return AgencyMap.from_pairs(pairs)


def _read_pairs(path: Path, section: str) -> list[tuple[str, str]]:
    """(left, right) pairs from a TOML table of ``left = [right, …]`` or a two-column CSV."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise AgencyFileError(f"无法读取映射文件 {path}：{e.strerror or e}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AgencyFileError(f"映射文件 {path} 不是 UTF-8 编码") from None
    if path.suffix.lower() == ".toml":
        return _toml_pairs(path, text, section)
    if path.suffix.lower() == ".csv":
        return _csv_pairs(path, text)
    raise AgencyFileError(f"映射文件 {path} 应为 .toml 或 .csv 文件")


def _toml_pairs(path: Path, text: str, section: str) -> list[tuple[str, str]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise AgencyFileError(f"映射文件 {path} 不是有效的 TOML：{e}") from None
    table = data.get(section)
    if not isinstance(table, Mapping):
        raise AgencyFileError(f"映射文件 {path} 缺少 [{section}] 表")
    pairs: list[tuple[str, str]] = []
    for left, right in table.items():
        values = [right] if isinstance(right, str) else right
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise AgencyFileError(f"映射文件 {path} 中「{left}」的值应为名称或名称列表（字符串）")
        pairs.extend((str(left), v) for v in values)
    return pairs


def _csv_pairs(path: Path, text: str) -> list[tuple[str, str]]:
    rows = [r for r in csv.reader(text.splitlines()) if any(c.strip() for c in r)]
    if rows and _is_header(rows[0]):
        rows = rows[1:]
    pairs: list[tuple[str, str]] = []
    for n, row in enumerate(rows, start=2):
        cells = [c.strip() for c in row]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            raise AgencyFileError(f"映射文件 {path} 第{n}行应有两列，得到 {row!r}")
        pairs.append((cells[0], cells[1]))
    return pairs


def _is_header(row: list[str]) -> bool:
    words = {"标准名称", "别名", "机关", "地区", "standard", "alias", "agency", "region", "名称"}
    return any(c.strip().lower() in words for c in row)


@dataclass
class RegionMap:
    """Agency → region, for roll-ups. An entry matches an agency whose normalised name equals
    it, or failing that, the longest entry contained in the name (``临安区`` covers every
    临安区 body); unmatched agencies are 未知地区."""

    entries: dict[str, str] = field(default_factory=dict)  # normalised name → region
    unknown: str = "未知地区"

    def region(self, *names: str | None) -> str:
        keys = [normalise(n) for n in names if n]
        for k in keys:
            if k in self.entries:
                return self.entries[k]
        best = ""
        for entry in self.entries:
            if len(entry) > len(best) and any(entry in k for k in keys):
                best = entry
        return self.entries[best] if best else self.unknown


def load_region_map(path: str | Path) -> RegionMap:
    """Read a region file: TOML ``[regions]`` with ``"地区" = ["机关或地名", …]``, or a CSV with
    the header ``机关,地区`` (one agency or place name per line)."""
    p = Path(path)
    pairs = _read_pairs(p, "regions")
    entries: dict[str, str] = {}
    if p.suffix.lower() == ".toml":
        for region, name in pairs:
            entries[normalise(name)] = region
    else:
        for name, region in pairs:
            entries[normalise(name)] = region
    return RegionMap(entries)
