"""``{% appeals_for case user as appeals %}``: the appeals about a case that the user may see
(the case page includes ``appeals/_for_case.html``, which asks this)."""

from __future__ import annotations

from typing import Any

from django import template

from ... import permissions
from ..views import appeals_of_case

register = template.Library()


@register.simple_tag
def appeals_for(case: Any, user: Any) -> list[Any]:
    return appeals_of_case(user, case)


@register.simple_tag
def can_add_appeal(case: Any, user: Any) -> bool:
    return permissions.can_edit_case(user, case)
