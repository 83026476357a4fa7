"""The dashboard's and the stats API's filters (round, year) over what the user may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .. import permissions
from .export import done
from .models import IngestedReport, Round


@dataclass(frozen=True)
class Filters:
    user: Any
    round: Round | None = None
    year: int | None = None

    @classmethod
    def of(cls, user: Any, *, round: Any = None, year: Any = None) -> Filters:
        """Filters from query parameters; a round the user cannot see, or junk, is ignored."""
        found = None
        if round not in (None, ""):
            try:
                found = permissions.rounds_visible_to(user).filter(pk=int(round)).first()
            except (TypeError, ValueError):
                found = None
        try:
            y = int(year) if year not in (None, "") else None
        except (TypeError, ValueError):
            y = None
        return cls(user, found, y)

    def reports(self) -> QuerySet[IngestedReport]:
        qs = done(permissions.ingested_visible_to(self.user))
        if self.round is not None:
            qs = qs.filter(round=self.round)
        if self.year is not None:
            qs = qs.filter(year=self.year)
        return qs

    def cases(self) -> QuerySet[Any]:
        qs = permissions.cases_overseen_by(self.user)
        if self.year is not None:
            qs = qs.filter(year=self.year)
        return qs

    def query(self) -> str:
        """The filters as a query string (for the download links)."""
        parts = []
        if self.round is not None:
            parts.append(f"round={self.round.pk}")
        if self.year is not None:
            parts.append(f"year={self.year}")
        return "&".join(parts)
