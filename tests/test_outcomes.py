"""The outcome → table-三 row mapping (gongkai.formats.outcomes), held against both formats."""

from __future__ import annotations

import pytest

from gongkai import formats
from gongkai.formats import outcomes


@pytest.mark.parametrize("fmt", sorted(formats.FORMATS))
def test_every_outcome_maps_to_an_existing_leaf_row(fmt: str) -> None:
    leaves = set(formats.t3_result_rows(formats.get(fmt).table("t3")))
    for outcome in outcomes.OUTCOMES:
        assert outcome.row(fmt) in leaves, outcome.key


@pytest.mark.parametrize("fmt", sorted(formats.FORMATS))
def test_every_leaf_row_is_reached_by_exactly_the_outcomes_mapped_to_it(fmt: str) -> None:
    leaves = formats.t3_result_rows(formats.get(fmt).table("t3"))
    reached: dict[str, set[str]] = {row: set() for row in leaves}
    for outcome in outcomes.OUTCOMES:
        reached[outcome.row(fmt)].add(outcome.key)
    assert all(reached.values()), [row for row, keys in reached.items() if not keys]
    for row, keys in reached.items():
        assert keys == {o.key for o in outcomes.OUTCOMES if outcomes.row_of(o, fmt) == row}


def test_the_mapping_follows_spec_4_3() -> None:
    expect_2021 = {
        "already_public": "a",
        "disclosed": "a",
        "partial": "b",
        "state_secret": "c1",
        "query_matter": "c8",
        "not_held": "d1",
        "not_responsible": "d1",
        "needs_creation": "d2",
        "unclear_after_supplement": "d3",
        "petition": "e1",
        "excessive": "e4",
        "confirm_or_reissue": "e5",
        "no_supplement": "f1",
        "fee_unpaid": "f2",
        "withdrawn": "f3",
        "other": "f3",
    }
    for key, row in expect_2021.items():
        assert outcomes.row_of(key, "2021") == row
    for key in ("no_supplement", "fee_unpaid", "withdrawn", "other"):
        assert outcomes.row_of(key, "2019") == "f"


def test_keys_and_labels_are_unique_and_labels_name_their_group() -> None:
    keys = [o.key for o in outcomes.OUTCOMES]
    labels = [o.label for o in outcomes.OUTCOMES]
    assert len(set(keys)) == len(keys)
    assert len(set(labels)) == len(labels)
    t3 = formats.V2021.table("t3")
    for o in outcomes.OUTCOMES:
        group = t3.row(o.row("2021")).group
        prefix = o.label.split("：")[0]
        if prefix in outcomes.GROUP_OF_PREFIX:
            assert outcomes.GROUP_OF_PREFIX[prefix] == group, o.key


def test_articles_where_the_spec_gives_one() -> None:
    assert outcomes.get("partial").article == "《条例》第三十七条"
    assert outcomes.get("third_party").article == "《条例》第十五条"
    assert outcomes.get("confirm_or_reissue").article is None  # spec §4.3: no article
    assert all(o.article for o in outcomes.OUTCOMES if o.row("2021") not in {"e5", "f3"})


def test_labels_and_variants_are_read_back() -> None:
    for o in outcomes.OUTCOMES:
        assert outcomes.by_label(o.label) is o
        for v in o.variants:
            assert outcomes.by_label(v) is o
    assert outcomes.by_label(" 不予公开:属于国家秘密 ") is outcomes.get("state_secret")
    assert outcomes.by_label("随便写的") is None
    with pytest.raises(KeyError, match="未知的办理结果"):
        outcomes.get("nope")


def test_closing_events_exist_for_every_non_answer_outcome() -> None:
    from gongkai.register.cases import EventKind

    for o in outcomes.OUTCOMES:
        if o.closes_by != "answer":
            assert EventKind(o.closes_by)
