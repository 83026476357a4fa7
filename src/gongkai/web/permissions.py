"""Who may see and change what — decided here and only here. Every view and API operation
calls these predicates; templates only ask them (through the view's context), never decide.

Roles (:class:`~gongkai.web.orgs.models.Role`) held through a membership of one body:

* 办理人员, 审核人, 机关管理员 — read and write the body's own cases;
* 只读 — read the body's cases;
* 公开办 — read the cases of every body in the member body's subtree and of every body that
  names it as its supervising office (never write: the supervisor checks, the agency answers);
* a superuser reads everything and writes nothing through these pages unless a member.

The public side (no login): the bodies on it are those that have published a 公开指南
(:func:`public_agencies`); an online application waiting for confirmation is seen and decided
by the body's writers (:func:`online_applications_for`); the 指南 is edited by the body's
机关管理员 and 审核人 (:func:`can_edit_guide`).

Reconsideration and litigation cases (``appeals``) follow the same rules as the cases of their
body; importing a ledger is writing (a write role in the body); exporting a list is reading it.

Annual reports (``reports``) are seen by whoever sees the body's cases. 办理人员, 审核人 and
机关管理员 prepare (start, edit) their body's report; 审核人 or 机关管理员 submit, publish and
correct it; the 公开办 of the body's supervising office (``Organisation.supervisor``: a 公开办
membership of that very body) returns or accepts it and keeps its reporting calendar
(:data:`REPORT_ACTIONS`). Which action a *state* allows is the transition table's
(:mod:`gongkai.web.reports.states`), not this module's.

The supervisor's side (``supervise``: collection rounds, uploaded reports, roll-ups) belongs to
公开办 memberships only: a round, an upload and its reports belong to one supervising office,
and are seen and worked by that office's 公开办 members, nobody else (a superuser included:
the admin is for accounts, not for checking reports). A round's members are bodies the office
oversees (:func:`bodies_supervised_by`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from gongkai.register.catalogue import Disclosure, ReviewState

from .appeals.models import Appeal
from .cases.models import Case
from .catalogue.models import CatalogueItem
from .orgs.models import Membership, Organisation, Role
from .public.models import Guide, OnlineApplication
from .reports.models import AnnualReport
from .supervise.models import IngestedReport, IngestJob, Round

WRITE_ROLES = (Role.OFFICER, Role.REVIEWER, Role.ADMIN)
# Who signs for the body: edits its 指南, sets its 索引号 rule, submits and publishes its report.
SIGN_OFF_ROLES = (Role.REVIEWER, Role.ADMIN)


def _memberships(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation")


def _holds(user: Any, org_id: int | None, roles: tuple[str, ...]) -> bool:
    """Whether ``user`` holds one of ``roles`` in the body ``org_id`` (the one membership test)."""
    if not user.is_authenticated or org_id is None:
        return False
    return Membership.objects.filter(user=user, organisation_id=org_id, role__in=roles).exists()


def _orgs_where(user: Any, roles: tuple[str, ...]) -> QuerySet[Organisation]:
    """The bodies in which ``user`` holds one of ``roles``."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(user=user, role__in=roles).values("organisation")
    )


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
    return _orgs_where(user, WRITE_ROLES)


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
    return _holds(user, case.organisation_id, WRITE_ROLES)


@dataclass(frozen=True)
class BodyRights:
    """What ``user`` may do in one body, read with one query (for pages that ask several)."""

    write: bool  # the register, catalogue, appeals (办理人员, 审核人, 机关管理员)
    manage: bool  # the body's own settings (机关管理员)


def rights_in(user: Any, org_id: int) -> BodyRights:
    if not user.is_authenticated:
        return BodyRights(False, False)
    roles = set(
        Membership.objects.filter(user=user, organisation_id=org_id).values_list("role", flat=True)
    )
    return BodyRights(write=bool(roles & set(WRITE_ROLES)), manage=Role.ADMIN in roles)


def can_register_in(user: Any, org: Organisation) -> bool:
    return _holds(user, org.pk, WRITE_ROLES)


def can_manage_org(user: Any, org: Organisation) -> bool:
    """A body's own settings (the letters' 文号 prefix and review bodies): its 机关管理员."""
    return _holds(user, org.pk, (Role.ADMIN,))


# --- the public side ----------------------------------------------------------------------


def public_agencies() -> QuerySet[Organisation]:
    """The bodies shown on the public side, to anyone: those with a published 公开指南 (条例
    第十二条 obliges every body to publish one, so a body without it has nothing to show)."""
    return Organisation.objects.filter(pk__in=Guide.objects.values("organisation")).order_by("path")


def can_edit_guide(user: Any, org: Organisation) -> bool:
    """The body's 机关管理员 and 审核人 edit its 指南 (each save is a new version)."""
    return _holds(user, org.pk, SIGN_OFF_ROLES)


def online_applications_for(user: Any) -> QuerySet[OnlineApplication]:
    """The online submissions ``user`` may see and decide (confirm or reject): those of the
    bodies whose register the user writes — confirming one creates a case there."""
    if not user.is_authenticated:
        return OnlineApplication.objects.none()
    return OnlineApplication.objects.filter(organisation__in=orgs_writable_by(user))


# --- the proactive-disclosure catalogue (政府信息公开目录) ------------------------------------
# Same roles as the register: writers (办理人员, 审核人, 机关管理员) keep their own body's
# catalogue and table 二 counts; 只读 and 公开办 read; the 索引号 rule is set by a 审核人 or
# 机关管理员. The public sees only published, 主动公开 items (条例 第二十四条).


def catalogue_visible_to(user: Any) -> QuerySet[CatalogueItem]:
    if not user.is_authenticated:
        return CatalogueItem.objects.none()
    if user.is_superuser:
        return CatalogueItem.objects.all()
    return CatalogueItem.objects.filter(organisation__in=orgs_visible_to(user))


def can_view_org(user: Any, org: Organisation) -> bool:
    return orgs_visible_to(user).filter(pk=org.pk).exists()


def can_edit_catalogue(user: Any, org: Organisation | int) -> bool:
    return _holds(user, org if isinstance(org, int) else org.pk, WRITE_ROLES)


def can_configure_catalogue(user: Any, org: Organisation) -> bool:
    return _holds(user, org.pk, SIGN_OFF_ROLES)


def public_catalogue(org: Organisation) -> QuerySet[CatalogueItem]:
    """What anyone may see of ``org``'s catalogue: published items that are 主动公开."""
    return CatalogueItem.objects.filter(
        organisation=org, state=ReviewState.PUBLISHED.value, disclosure=Disclosure.PROACTIVE.value
    )


def appeals_visible_to(user: Any) -> QuerySet[Appeal]:
    """The queryset every list of reconsideration and litigation cases starts from."""
    if not user.is_authenticated:
        return Appeal.objects.none()
    if user.is_superuser:
        return Appeal.objects.all()
    return Appeal.objects.filter(
        organisation_id__in=list(orgs_visible_to(user).values_list("pk", flat=True))
    )


def appeals_of_visible_case(case: Case) -> QuerySet[Appeal]:
    """The appeals about a case the caller has already found visible (through
    :func:`cases_visible_to`): they belong to the case's body, so whoever sees the case sees
    them (an appeal's case is always of its own body, :mod:`.appeals.service`)."""
    return Appeal.objects.filter(case=case, organisation_id=case.organisation_id)


def can_edit_appeal(user: Any, appeal: Appeal) -> bool:
    return _holds(user, appeal.organisation_id, WRITE_ROLES)


def can_import_into(user: Any, org: Organisation) -> bool:
    """Importing a ledger creates cases and appeals: only the body's write roles."""
    return can_register_in(user, org)


def can_use_admin(user: Any) -> bool:
    """The Django admin (``/admin/``) is for active superusers only, not for staff members:
    the register's roles are memberships, and the admin knows nothing of them."""
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


# --- annual reports -----------------------------------------------------------------------

# Who takes each transition: ("body", roles in the report's body) or ("supervisor", the 公开办
# role in the body's supervising office).
REPORT_ACTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "submit": ("body", SIGN_OFF_ROLES),
    "publish": ("body", SIGN_OFF_ROLES),
    "correct": ("body", SIGN_OFF_ROLES),
    "return": ("supervisor", (Role.SUPERVISOR,)),
    "accept": ("supervisor", (Role.SUPERVISOR,)),
}


def reports_visible_to(user: Any) -> QuerySet[AnnualReport]:
    if not user.is_authenticated:
        return AnnualReport.objects.none()
    if user.is_superuser:
        return AnnualReport.objects.all()
    ids = list(orgs_visible_to(user).values_list("pk", flat=True))
    return AnnualReport.objects.filter(organisation_id__in=ids)


def can_view_report(user: Any, report: AnnualReport) -> bool:
    return reports_visible_to(user).filter(pk=report.pk).exists()


def can_prepare_report(user: Any, org: Organisation) -> bool:
    """Start the body's report and edit its text: the register's writers (办理人员, 审核人,
    机关管理员), whose records the report is computed from."""
    return _holds(user, org.pk, WRITE_ROLES)


def orgs_preparing_reports(user: Any) -> QuerySet[Organisation]:
    return _orgs_where(user, WRITE_ROLES)


def can_act_on_report(user: Any, report: AnnualReport, action: str) -> bool:
    """Whether ``user``'s role lets them take ``action`` (``submit`` …) on ``report``."""
    side, roles = REPORT_ACTIONS[action]
    if side == "body":
        return _holds(user, report.organisation_id, roles)
    return _holds(user, report.organisation.supervisor_id, roles)


def can_keep_calendar(user: Any, supervisor: Organisation) -> bool:
    """Set the reporting calendar of the bodies that name ``supervisor`` (its 公开办)."""
    return _holds(user, supervisor.pk, (Role.SUPERVISOR,))


def calendars_kept_by(user: Any) -> QuerySet[Organisation]:
    return _orgs_where(user, (Role.SUPERVISOR,))


def supervising_orgs(user: Any) -> QuerySet[Organisation]:
    """The supervising offices in which ``user`` is a 公开办 member."""
    return _orgs_where(user, (Role.SUPERVISOR,))


def is_supervisor(user: Any) -> bool:
    """May open the supervisor's side at all (``/supervise/``; 403 otherwise)."""
    return supervising_orgs(user).exists()


def can_supervise(user: Any, supervisor: Organisation | int) -> bool:
    pk = supervisor if isinstance(supervisor, int) else supervisor.pk
    return _holds(user, pk, (Role.SUPERVISOR,))


def bodies_supervised_by(office: Organisation) -> QuerySet[Organisation]:
    """The bodies whose annual report ``office`` collects: those naming it as their
    supervising office, and those below it in the tree (itself excluded)."""
    return Organisation.objects.filter(
        Q(supervisor=office) | Q(path__startswith=office.path)
    ).exclude(pk=office.pk)


def rounds_visible_to(user: Any) -> QuerySet[Round]:
    return Round.objects.filter(supervisor__in=supervising_orgs(user))


def jobs_visible_to(user: Any) -> QuerySet[IngestJob]:
    return IngestJob.objects.filter(supervisor__in=supervising_orgs(user))


def ingested_visible_to(user: Any) -> QuerySet[IngestedReport]:
    return IngestedReport.objects.filter(supervisor__in=supervising_orgs(user))


# --- the supervisor's roll-ups (dashboard part) --------------------------------------------


def cases_overseen_by(user: Any) -> QuerySet[Case]:
    """The register cases of the bodies whose reports ``user``'s 公开办 collects (for the
    timeliness roll-up: counts only, never the cases themselves)."""
    q = Q(pk__in=[])
    for office in supervising_orgs(user):
        q |= Q(pk__in=bodies_supervised_by(office).values("pk"))
    return Case.objects.filter(organisation__in=Organisation.objects.filter(q))
