"""The report's states and the transitions between them — the table, as data, in one place.

Who may take each action is decided in :mod:`gongkai.web.permissions` (``REPORT_ACTION_SIDE``);
this module says only which action is allowed in which state and where it leads.

* 草稿 (draft) — the body prepares it; 提交 (submit) sends it to its supervising 公开办;
* 已提交 (submitted) — the year is locked (:mod:`.locks`); the 公开办 退回 (returns, with a
  note) or 接收 (accepts) it;
* 退回 (returned) — editable again, the year unlocked; 提交 again;
* 已接收 (accepted) — the body 发布 (publishes) the accepted version, unchanged;
* 已发布 (published) — immutable; 更正 (correct) opens a new draft version and keeps the
  published one (the public page shows it until the correction is published).
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    PUBLISHED = "published"


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"
    PUBLISH = "publish"
    CORRECT = "correct"


STATE_LABELS: dict[State, str] = {
    State.DRAFT: "草稿",
    State.SUBMITTED: "已提交",
    State.RETURNED: "退回",
    State.ACCEPTED: "已接收",
    State.PUBLISHED: "已发布",
}
ACTION_LABELS: dict[Action, str] = {
    Action.SUBMIT: "提交",
    Action.RETURN: "退回",
    Action.ACCEPT: "接收",
    Action.PUBLISH: "发布",
    Action.CORRECT: "更正",
}

# (from state, action) → to state. Nothing else is allowed.
TRANSITIONS: dict[tuple[State, Action], State] = {
    (State.DRAFT, Action.SUBMIT): State.SUBMITTED,
    (State.RETURNED, Action.SUBMIT): State.SUBMITTED,
    (State.SUBMITTED, Action.RETURN): State.RETURNED,
    (State.SUBMITTED, Action.ACCEPT): State.ACCEPTED,
    (State.ACCEPTED, Action.PUBLISH): State.PUBLISHED,
    (State.PUBLISHED, Action.CORRECT): State.DRAFT,
}
# Actions that must say why (the 公开办's note to the body; the reason for a correction).
NOTE_REQUIRED = frozenset({Action.RETURN, Action.CORRECT})
# The states in which the body edits the sections (and the report follows the register).
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
# The states in which the report's year is locked for the register and the catalogue.
LOCKING = frozenset({State.SUBMITTED, State.ACCEPTED, State.PUBLISHED})


def target(state: State | str, action: Action | str) -> State | None:
    """Where ``action`` leads from ``state``, or None if the table does not allow it."""
    return TRANSITIONS.get((State(state), Action(action)))


def allowed(state: State | str) -> list[Action]:
    """The actions the table allows in ``state``, in the order of :class:`Action`."""
    return [a for a in Action if (State(state), a) in TRANSITIONS]


def refusal(state: State | str, action: Action | str) -> str:
    """Why ``action`` is not allowed in ``state``, in Chinese."""
    s, a = State(state), Action(action)
    may = "、".join(ACTION_LABELS[x] for x in allowed(s)) or "无"
    return f"报告当前状态为「{STATE_LABELS[s]}」，不能「{ACTION_LABELS[a]}」（此状态下可以：{may}）"
