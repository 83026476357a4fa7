"""``{% case_letters case as rows %}``: the letters a case's events call for, for the
include ``letters/_case_letters.html`` on the case page (so the cases app needs no change but
one include line)."""

from __future__ import annotations

from typing import Any

from django import template

from ... import permissions
from .. import service
from ..kinds import TO_OTHERS
from ..models import LetterSettings

register = template.Library()


@register.simple_tag(takes_context=True)
def case_letters(context: Any, case: Any) -> dict[str, Any]:
    user = context["request"].user
    # On the case page the view has read the events and decided the write right already.
    page = context.get("case") is case
    events = [e for e, _ in context["events"]] if page and "events" in context else None
    rows = service.implied(case, events)
    return {
        "rows": [(r, r.kind in TO_OTHERS) for r in rows],
        "can_issue": context["editable"]
        if page and "editable" in context
        else (permissions.can_edit_case(user, case)),
        "configured": LetterSettings.objects.filter(organisation_id=case.organisation_id).exists(),
        "can_configure": context["rights"].manage
        if page and "rights" in context
        else permissions.can_manage_org(user, case.organisation),
    }
