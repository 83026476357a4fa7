"""The public side's small parts: identity checks, 查询号, the challenge, guide versions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.web import demo
from gongkai.web.public import challenge, guides, identity, tracking
from gongkai.web.public.demo import GUIDES


def test_id_card_and_uscc_check_characters() -> None:
    assert identity.id_card_problem("11010519491231002X") is None
    assert identity.id_card_problem("11010519491231002x") is None
    assert identity.id_card_problem("１１０１０５１９４９１２３１００２Ｘ") is None  # full-width
    assert "校验位" in (identity.id_card_problem("110105194912310021") or "")
    assert "18位" in (identity.id_card_problem("1101051949123") or "")
    assert identity.uscc_problem("91350100M000100Y43") is None  # GB 32100-2015's example
    assert identity.uscc_problem("91110000802100433B") is None
    assert "校验位" in (identity.uscc_problem("91350100M000100Y44") or "")
    assert "不含" in (identity.uscc_problem("91350100M000100YI3") or "")


def test_phones_match_by_digits_and_are_masked() -> None:
    for typed in (
        "138 0013 5790",
        "138-0013-5790",
        "+86 13800135790",
        "008613800135790",
        "１３８００１３５７９０",
    ):
        assert identity.phone_digits(typed) == "13800135790", typed
    assert identity.phone_digits("0571-88000001") == "057188000001"
    assert identity.mask_phone("138 0013 5790") == "138****5790"
    assert identity.mask_phone("0571-88000001") == "057*****0001"
    assert identity.mask_phone("8800123") == "***0123"
    assert identity.phone_problem("12") and identity.phone_problem("电话")
    assert identity.phone_problem("(0571) 8800-0001") is None


def test_tracking_codes() -> None:
    codes = {tracking.new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(f"[{tracking.ALPHABET}]{{12}}", c) for c in codes)
    assert not set("01OILSUV") & set(tracking.ALPHABET)
    assert tracking.display("ABCDEFGHJKMN") == "ABCD-EFGH-JKMN"
    assert tracking.normalise(" abcd efgh－jkmn ") == "ABCDEFGHJKMN"


@given(st.integers(min_value=0, max_value=99))
def test_chinese_numbers_read_back(n: int) -> None:
    assert challenge.read_number(challenge.chinese_number(n)) == n
    assert challenge.read_number(str(n)) == n


def test_numbers_as_people_write_them() -> None:
    assert challenge.chinese_number(7) == "七" and challenge.chinese_number(12) == "十二"
    assert challenge.chinese_number(20) == "二十" and challenge.chinese_number(35) == "三十五"
    assert challenge.read_number("７") == 7 and challenge.read_number("两") == 2
    assert challenge.read_number(" 十 五 ") == 15
    for bad in ("", "七七", "abc", "十十", "一百"):
        assert challenge.read_number(bad) is None, bad


@pytest.mark.django_db
def test_challenge_questions_and_answers() -> None:
    seen = set()
    for _ in range(200):
        ch = challenge.issue()
        m = re.fullmatch(r"(.+)(加上|减去)(.+)等于几？", ch.question)
        assert m, ch.question
        a, b = challenge.read_number(m.group(1)), challenge.read_number(m.group(3))
        assert a is not None and b is not None
        right = a + b if m.group(2) == "加上" else a - b
        assert right >= 0
        assert challenge.nonce_of(ch.token) not in ch.question
        assert challenge.verify(ch.token, str(right))
        with pytest.raises(challenge.ChallengeError):
            challenge.verify(ch.token, str(right + 1))
        seen.add(ch.question)
    assert len(seen) > 50  # not one question over and over


def test_guide_hash_is_over_content_only() -> None:
    c = guides.content_of(GUIDES["agency_a"])
    assert guides.content_hash(c) == guides.content_hash(
        guides.content_of(dict(GUIDES["agency_a"]))
    )
    changed = guides.content_of({**GUIDES["agency_a"], "hours": "全天"})
    assert guides.content_hash(changed) != guides.content_hash(c)
    # Channels are stored in the fixed order whatever order they come in.
    reordered = {**GUIDES["agency_a"], "channels": list(reversed(GUIDES["agency_a"]["channels"]))}
    assert guides.content_hash(guides.content_of(reordered)) == guides.content_hash(c)


def test_guide_versions_count_up(orgs: demo.DemoOrgs) -> None:
    a = orgs.agency_a
    g1, new = guides.save_version(a, GUIDES["agency_a"], None)
    assert new and g1.version == 1 and g1.accepts_online()
    same, new = guides.save_version(a, GUIDES["agency_a"], None)
    assert not new and same.pk == g1.pk
    g2, new = guides.save_version(a, {**GUIDES["agency_a"], "fax": ""}, None)
    assert new and g2.version == 2 and guides.current(a) == g2
    assert guides.save_version(orgs.agency_b, GUIDES["agency_b"], None)[0].version == 1
