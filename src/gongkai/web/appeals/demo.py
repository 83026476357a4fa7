"""Demo reconsideration and litigation cases: a few per agency and year, each about one of
the agency's refused (c*) or 无法提供 (d*) answers, so that table 四 of the demo's reports has
numbers in every group. Idempotent: an agency that already has appeals gets none."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from gongkai.formats import outcomes
from gongkai.register.reviews import PENDING, ReviewKind, ReviewResult

from ..cases.models import Case
from ..orgs.models import Organisation
from .models import Appeal
from .service import AppealData, create

AUTHORITY = {
    ReviewKind.RECONSIDERATION.value: "示范区人民政府",
    ReviewKind.DIRECT_SUIT.value: "示范区人民法院",
    ReviewKind.SUIT_AFTER_REVIEW.value: "示范区人民法院",
}
PREFIX = {"review": "复", "direct": "诉", "after": "诉"}


def load_appeals(orgs: Any, today: dt.date | None = None) -> int:
    """Create the demo appeals of agencies A and B; returns how many were created."""
    today = today or dt.date.today()
    rng = random.Random(7)
    made = 0
    for org in (orgs.agency_a, orgs.agency_b):
        if Appeal.objects.filter(organisation=org).exists():
            continue
        made += _for(org, today, rng)
    return made


def _for(org: Organisation, today: dt.date, rng: random.Random) -> int:
    # The outcomes of table 三's 不予公开 (c*) and 无法提供 (d*) rows: the answers appealed.
    keys = [o.key for o in outcomes.OUTCOMES if o.rows["2021"][0] in "cd"]
    refused = (
        Case.objects.filter(organisation=org, closed__isnull=False, outcome__in=keys)
        .exclude(closed__gt=today - dt.timedelta(days=30))
        .order_by("closed", "pk")
    )
    picked = list(refused[:: max(1, refused.count() // 8)][:8]) if refused.exists() else []
    kinds = [k.value for k in ReviewKind]
    results = [r.value for r in ReviewResult]
    made = 0
    for i, case in enumerate(picked, start=1):
        assert case.closed is not None
        kind = kinds[i % len(kinds)]
        filed = case.closed + dt.timedelta(days=rng.randint(10, 50))
        concluded = filed + dt.timedelta(days=rng.randint(40, 150))
        decided = concluded <= today - dt.timedelta(days=1)
        create(
            org,
            AppealData(
                number=f"{PREFIX[kind]}〔{filed.year}〕{i:03d}号",
                kind=kind,
                filed=min(filed, today),
                result=rng.choice(results) if decided else PENDING,
                concluded=concluded if decided else None,
                authority=AUTHORITY[kind],
                case=case,
            ),
            None,
        )
        made += 1
    return made
