"""NFKC and the checker's flatten: faster forms that equal their definitions."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.check import prose
from gongkai.formats.labels import nfkc

# Ideographs next to what NFKC changes or composes: full-width forms, compatibility
# ideographs, kana with voicing marks, Hangul jamo, combining marks, ligatures.
_TRICKY = st.sampled_from(
    [chr(c) for c in (0x4E00, 0x4E8C, 0x9FA5, 0x9FFF, 0x3400, 0xF900, 0xFA0E, 0x2F00)]
    + [chr(c) for c in (0xFF10, 0xFF0C, 0xFF08, 0x3000, 0x00A0, 0xFB01, 0x2460, 0x3250)]
    + [chr(c) for c in (0x304B, 0x3099, 0x309A, 0x30AB, 0xFF76, 0xFF9E)]
    + [chr(c) for c in (0x1100, 0x1161, 0x11A8, 0xAC00, 0x0301, 0x0327, 0x0323, 0x0041)]
)


@settings(max_examples=500)
@given(st.lists(st.one_of(_TRICKY, st.characters()), max_size=40).map("".join))
def test_equals_unicodedata(text: str) -> None:
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_a_report_sentence() -> None:
    text = "本年度收到申请３１１９件（含上年结转１８９件），同比增长５％。"
    assert nfkc(text) == "本年度收到申请3119件(含上年结转189件),同比增长5%。"


_PROSE = st.lists(
    st.sampled_from(
        [*" \t\n\u3000\xa0\r\x0bab1,.-—。，（）中文件", "- 3 -\n", "# ", "[bookmark: x]"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500)
@given(_PROSE)
def test_flatten_equals_its_definition(text: str) -> None:
    # The definition in the prose module's docstring, step by step, as first written.
    s = unicodedata.normalize("NFKC", text)
    s = prose._FOOTER.sub("", s)
    s = prose._MARKUP.sub("", s)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+", "", s).strip()
    assert prose.flatten(text) == s
