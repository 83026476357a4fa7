"""``{% appeals_for case user as appeals %}``: the appeals about a case that the user may see
(the case page includes ``appeals/_for_case.html``, which asks this)."""

from __future__ import annotations

from typing import Any

from django import template

from ... import permissions
from ..views import appeals_of_case

register = template.Library()


@register.simple_tag(takes_context=True)
def appeals_for(context: Any, case: Any, user: Any) -> list[Any]:
    if context.get("case") is case:  # the case page: the view found the case visible
        return list(permissions.appeals_of_visible_case(case).order_by("filed", "id"))
    return appeals_of_case(user, case)


@register.simple_tag(takes_context=True)
def can_add_appeal(context: Any, case: Any, user: Any) -> bool:
    if context.get("case") is case and "editable" in context:  # decided by the case page
        return bool(context["editable"])
    return permissions.can_edit_case(user, case)
