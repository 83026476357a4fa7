"""Demo data of the collection rounds: the demo supervisor's round for the 2025 reports (due
2026-01-31, 条例第四十九条), with every body its 公开办 oversees as a member. Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from .. import permissions
from .models import Round, RoundMember

YEAR = 2025


def load_rounds(orgs: Any) -> Round | None:
    """The round of ``orgs.district`` (the office the ``supervisor`` account is 公开办 of)."""
    user = get_user_model().objects.filter(username="supervisor").first()
    if user is None:
        return None
    office = orgs.district
    with transaction.atomic():
        r, _ = Round.objects.get_or_create(
            supervisor=office,
            year=YEAR,
            defaults={
                "submit_by": dt.date(YEAR + 1, 1, 31),
                "note": "《中华人民共和国政府信息公开条例》第四十九条",
                "created_by": user,
            },
        )
        have = set(r.members.values_list("organisation_id", flat=True))
        RoundMember.objects.bulk_create(
            RoundMember(round=r, organisation=o)
            for o in permissions.bodies_supervised_by(office)
            if o.pk not in have
        )
    return r
