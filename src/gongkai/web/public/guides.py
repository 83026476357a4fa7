"""Versions of the 公开指南: content, its hash, and saving a new version.

A version's sha256 is over its content only (the text fields and the channels, as canonical
JSON), not its number or date, so two versions with the same hash say the same thing; saving
content identical to the current version adds no version.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from ..orgs.models import Organisation
from .models import GUIDE_CHANNELS, GUIDE_TEXT_FIELDS, Guide


def current(org: Organisation | int) -> Guide | None:
    return Guide.objects.filter(organisation=org).order_by("-version").first()


def normalised_channels(channels: list[dict[str, Any]]) -> list[dict[str, Any]]:
    by_kind = {c.get("kind"): c for c in channels}
    return [
        {
            "kind": kind,
            "accepted": bool(by_kind.get(kind, {}).get("accepted")),
            "note": str(by_kind.get(kind, {}).get("note", "")).strip(),
        }
        for kind, _ in GUIDE_CHANNELS
    ]


def content_of(data: dict[str, Any]) -> dict[str, Any]:
    content: dict[str, Any] = {f: str(data.get(f, "") or "").strip() for f in GUIDE_TEXT_FIELDS}
    content["channels"] = normalised_channels(list(data.get("channels") or []))
    return content


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def initial(guide: Guide | None) -> dict[str, Any]:
    """The content of ``guide`` (for the edit form), or empty."""
    if guide is None:
        return {"channels": []}
    return content_of(
        {**{f: getattr(guide, f) for f in GUIDE_TEXT_FIELDS}, "channels": guide.channels}
    )


def save_version(
    org: Organisation, data: dict[str, Any], user: Any, *, on: dt.date | None = None
) -> tuple[Guide, bool]:
    """Add the next version with ``data`` (text fields + ``channels``) unless it equals the
    current one. Returns (the current version, whether it is new)."""
    content = content_of(data)
    digest = content_hash(content)
    for _ in range(3):  # two editors saving at once: the loser takes the next number
        try:
            with transaction.atomic():
                latest = current(org)
                if latest is not None and latest.sha256 == digest:
                    return latest, False
                number = (
                    Guide.objects.filter(organisation=org).aggregate(m=Max("version"))["m"] or 0
                ) + 1
                guide = Guide.objects.create(
                    organisation=org,
                    version=number,
                    updated=on or timezone.localdate(),
                    sha256=digest,
                    created_by=user if getattr(user, "is_authenticated", False) else None,
                    **content,
                )
                return guide, True
        except IntegrityError:
            continue
    raise RuntimeError("指南保存冲突，请重试")
