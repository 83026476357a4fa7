"""Who may see and change what — decided here and only here. Every view and API operation
calls these predicates; templates only ask them (through the view's context), never decide.

Roles (:class:`~gongkai.web.orgs.models.Role`) held through a membership of one body:

* 办理人员, 审核人, 机关管理员 — read and write the body's own cases;
* 只读 — read the body's cases;
* 公开办 — read the cases of every body in the member body's subtree and of every body that
  names it as its supervising office (never write: the supervisor checks, the agency answers);
* a superuser reads everything and writes nothing through these pages unless a member.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .cases.models import Case
from .orgs.models import Membership, Organisation, Role

WRITE_ROLES = (Role.OFFICER, Role.REVIEWER, Role.ADMIN)


def _memberships(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def orgs_visible_to(user: Any) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    q = Q(pk__in=Membership.objects.filter(user=user).values("organisation"))
    for m in _memberships(user).filter(role=Role.SUPERVISOR):
        q |= Q(path__startswith=m.organisation.path) | Q(supervisor=m.organisation)
    return Organisation.objects.filter(q)


def orgs_writable_by(user: Any) -> QuerySet[Organisation]:
    """The bodies whose register ``user`` may write (intake, events)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=WRITE_ROLES).values("organisation")
    )


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """The queryset every case list starts from."""
    if not user.is_authenticated:
        return Case.objects.none()
    if user.is_superuser:
        return Case.objects.all()
    # The ids, not a subquery: with one body the planner then walks the (organisation,
    # received) index in order instead of sorting every row of the register.
    ids = list(orgs_visible_to(user).values_list("pk", flat=True))
    if len(ids) == 1:
        return Case.objects.filter(organisation_id=ids[0])
    return Case.objects.filter(organisation_id__in=ids)


def can_view_case(user: Any, case: Case) -> bool:
    return orgs_visible_to(user).filter(pk=case.organisation_id).exists()


def can_edit_case(user: Any, case: Case) -> bool:
    return orgs_writable_by(user).filter(pk=case.organisation_id).exists()


def can_register_in(user: Any, org: Organisation) -> bool:
    return orgs_writable_by(user).filter(pk=org.pk).exists()


def can_use_admin(user: Any) -> bool:
    """The Django admin (``/admin/``) is for active superusers only, not for staff members:
    the register's roles are memberships, and the admin knows nothing of them."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)
