"""The letter kinds and the events that imply them.

Each notice the register's events call for is one kind: the 登记回执 on receipt (第三十一条),
the 补正告知书 (第三十条), the 延期答复告知书 (第三十三条第二款), the two 征求意见书 — to a third
party (第三十二条) and to a co-producing agency (第三十四条) — the 延迟答复告知书 (第三十五条),
the 收费通知书 (第四十二条, 国办函〔2020〕109号), and one 答复书 per group of outcomes. The
groups follow the rows of table 三 that :mod:`gongkai.formats.outcomes` counts each outcome
in (（一）予以公开 ``a``, （二）部分公开 ``b``, （三）不予公开 ``c*``, （四）无法提供 ``d*``,
（五）不予处理 ``e*``, （六）其他处理 ``f*``), with 不属于本机关负责公开 (第三十六条第（五）项)
taken out of ``d1`` because its letter names the responsible body and is a different letter
in every letter set (宿迁 2021, 青岛 "非本机关政府信息告知书"). Outcomes closed by their own
event (逾期不补正, 逾期未缴费, 撤回) imply no letter: the register records them after the
applicant's silence or request, and no set studied (docs/web.md §A2) sends one.

Which DOCX layout a kind uses is fixed here; its wording (title, paragraphs, cited articles,
救济) is dated data in ``wording/``.
"""

from __future__ import annotations

from enum import StrEnum

from gongkai.formats import outcomes
from gongkai.register.cases import EventKind


class LetterKind(StrEnum):
    RECEIPT = "receipt"
    SUPPLEMENT = "supplement"
    EXTENSION = "extension"
    CONSULT_THIRD_PARTY = "consult_third_party"
    CONSULT_AGENCY = "consult_agency"
    DELAY = "delay"
    FEE = "fee"
    REPLY_DISCLOSED = "reply_disclosed"
    REPLY_PARTIAL = "reply_partial"
    REPLY_REFUSED = "reply_refused"
    REPLY_UNABLE = "reply_unable"
    REPLY_NOT_OURS = "reply_not_ours"
    REPLY_NOT_PROCESSED = "reply_not_processed"
    REPLY_OTHER = "reply_other"


# The short names on the case page and in the API; the letter's own title is wording data.
LABELS: dict[LetterKind, str] = {
    LetterKind.RECEIPT: "登记回执",
    LetterKind.SUPPLEMENT: "补正告知书",
    LetterKind.EXTENSION: "延期答复告知书",
    LetterKind.CONSULT_THIRD_PARTY: "征求意见书（第三方）",
    LetterKind.CONSULT_AGENCY: "征求意见书（共同制作机关）",
    LetterKind.DELAY: "延迟答复告知书",
    LetterKind.FEE: "收费通知书",
    LetterKind.REPLY_DISCLOSED: "答复书（予以公开）",
    LetterKind.REPLY_PARTIAL: "答复书（部分公开）",
    LetterKind.REPLY_REFUSED: "答复书（不予公开）",
    LetterKind.REPLY_UNABLE: "答复书（无法提供）",
    LetterKind.REPLY_NOT_OURS: "答复书（非本机关负责公开）",
    LetterKind.REPLY_NOT_PROCESSED: "答复书（不予处理）",
    LetterKind.REPLY_OTHER: "答复书（其他处理）",
}

# The DOCX layout of each kind (files in ``docx/``, built by scripts/build_letter_templates.py).
TEMPLATES: dict[LetterKind, str] = {
    LetterKind.RECEIPT: "receipt.docx",
    LetterKind.CONSULT_THIRD_PARTY: "consultation.docx",
    LetterKind.CONSULT_AGENCY: "consultation.docx",
}
DEFAULT_TEMPLATE = "notice.docx"

# Letters addressed to someone other than the applicant: the officer may name the addressee.
TO_OTHERS = frozenset({LetterKind.CONSULT_THIRD_PARTY, LetterKind.CONSULT_AGENCY})

# The group letter of a table 三 row → the 答复书 of that group.
_REPLY_OF_GROUP: dict[str, LetterKind] = {
    "a": LetterKind.REPLY_DISCLOSED,
    "b": LetterKind.REPLY_PARTIAL,
    "c": LetterKind.REPLY_REFUSED,
    "d": LetterKind.REPLY_UNABLE,
    "e": LetterKind.REPLY_NOT_PROCESSED,
    "f": LetterKind.REPLY_OTHER,
}
REPLIES = frozenset(_REPLY_OF_GROUP.values()) | {LetterKind.REPLY_NOT_OURS}

_BY_EVENT: dict[EventKind, tuple[LetterKind, ...]] = {
    EventKind.RECEIVED: (LetterKind.RECEIPT,),
    EventKind.SUPPLEMENT_REQUESTED: (LetterKind.SUPPLEMENT,),
    EventKind.EXTENSION_APPROVED: (LetterKind.EXTENSION,),
    EventKind.CONSULTATION_STARTED: (LetterKind.CONSULT_THIRD_PARTY, LetterKind.CONSULT_AGENCY),
    EventKind.DELAY_NOTIFIED: (LetterKind.DELAY,),
    EventKind.FEE_NOTIFIED: (LetterKind.FEE,),
}


def reply_kind(outcome: str) -> LetterKind:
    """The 答复书 of an outcome key, by its row of table 三 (the 2021 format's rows; the 2019
    format has the same groups)."""
    if outcome == "not_responsible":
        return LetterKind.REPLY_NOT_OURS
    return _REPLY_OF_GROUP[outcomes.row_of(outcome, "2021")[0]]


def kinds_for(event: EventKind | str, outcome: str | None = None) -> tuple[LetterKind, ...]:
    """The letters an event implies (none for most events that only record what came in)."""
    kind = EventKind(event)
    if kind is EventKind.ANSWERED:
        return (reply_kind(outcome),) if outcome else ()
    return _BY_EVENT.get(kind, ())


def template_of(kind: LetterKind) -> str:
    return TEMPLATES.get(kind, DEFAULT_TEMPLATE)


KIND_CHOICES = [(k.value, LABELS[k]) for k in LetterKind]
