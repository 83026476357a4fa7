"""Every rule a finding of an uploaded report can name: the checker's registry with the
formats' identities (:func:`gongkai.check.rules.all_rules`) and the batch stage's rules
(cross-year, copy detection) — the rows of docs/rules.md, which a test holds to them."""

from __future__ import annotations

import functools

from ...batch import crossyear, similarity
from ...check.rules import Rule, all_rules


@functools.cache
def catalogue() -> dict[str, Rule]:
    out = dict(all_rules())
    out.update(crossyear.RULES)
    out[similarity.RULE.id] = similarity.RULE
    return out
