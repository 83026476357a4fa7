"""An application (依申请公开) and its events, as stored rows.

The rules live in :mod:`gongkai.register`: a case's ``state``, ``due`` date, ``outcome`` and
``closed`` date are derived by replaying its events through
:class:`gongkai.register.cases.Application` (:mod:`.register`), stored here so that lists can
filter and sort on them with an index, and recomputed in the same transaction as every new
event. ``version`` goes up by one with each event; an edit based on an older one is refused.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from gongkai.formats import outcomes
from gongkai.register.cases import (
    EVENT_LABELS,
    STATE_LABELS,
    ApplicantType,
    Channel,
    EventKind,
    State,
    applicant_label,
)

from ..orgs.models import Organisation

CHANNEL_CHOICES = [(c.value, c.value) for c in Channel]
APPLICANT_CHOICES = [(a.value, applicant_label(a)) for a in ApplicantType]
STATE_CHOICES = [(s.value, STATE_LABELS[s]) for s in State]
EVENT_CHOICES = [(k.value, EVENT_LABELS[k]) for k in EventKind]
OUTCOME_CHOICES = [(o.key, o.label) for o in outcomes.OUTCOMES]


class RequestedForm(models.TextChoices):
    """获取信息的方式 (《条例》第二十九条第（三）项)."""

    PAPER = "paper", "纸质"
    EMAIL = "email", "电子邮件"
    DISC = "disc", "光盘/U盘"
    INSPECT = "inspect", "当场查阅、抄录"
    OTHER = "other", "其他"


class Case(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        models.PROTECT,
        related_name="cases",
        verbose_name="办理机关",
        db_index=False,  # every index below starts with it
    )
    year = models.PositiveSmallIntegerField("登记年度")
    seq = models.PositiveIntegerField("年度序号")
    number = models.CharField("登记号", max_length=40)
    channel = models.CharField("提交方式", max_length=10, choices=CHANNEL_CHOICES)
    applicant_type = models.CharField("申请人类型", max_length=20, choices=APPLICANT_CHOICES)
    applicant_name = models.CharField("申请人姓名或名称", max_length=200, blank=True)
    applicant_contact = models.CharField("联系方式", max_length=200, blank=True)
    applicant_id_number = models.CharField("证件号码", max_length=40, blank=True)
    description = models.TextField("所需信息的名称、文号或特征性描述")
    requested_form = models.CharField(
        "获取方式", max_length=10, choices=RequestedForm.choices, default=RequestedForm.PAPER
    )
    received = models.DateField("收到申请之日（第三十一条）")
    # Derived through gongkai.register on every event (see the module docstring).
    state = models.CharField("状态", max_length=30, choices=STATE_CHOICES)
    due = models.DateField("答复期限", null=True, blank=True)
    closed = models.DateField("办结日期", null=True, blank=True)
    outcome = models.CharField(
        "办理结果", max_length=40, choices=OUTCOME_CHOICES, null=True, blank=True
    )
    version = models.PositiveIntegerField("版本", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "依申请公开申请"
        ordering = ["-received", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year", "seq"], name="unique_number")
        ]
        # What the lists filter and sort on (queries.py): every list is in the order of
        # receipt, newest first, so each filter has an index ending in that order and a page
        # is read off the index without sorting; counts are read from the index alone.
        indexes = [
            models.Index(fields=["organisation", "-received", "-id"], name="case_org_received"),
            # Several bodies at once (a 公开办): walk all cases in order, the body in the index.
            models.Index(fields=["-received", "-id", "organisation"], name="case_received"),
            # Overdue and due within N working days: open states (IN) and a range of due.
            models.Index(fields=["organisation", "state", "due"], name="case_org_state_due"),
            models.Index(
                fields=["organisation", "state", "-received", "-id"], name="case_org_state"
            ),
            models.Index(
                fields=["organisation", "channel", "-received", "-id"], name="case_org_channel"
            ),
            models.Index(
                fields=["organisation", "applicant_type", "-received", "-id"],
                name="case_org_applicant",
            ),
            models.Index(
                fields=["organisation", "outcome", "-received", "-id"], name="case_org_outcome"
            ),
            models.Index(
                fields=["organisation", "year", "-received", "-id"], name="case_org_year_received"
            ),
            # mine=1. (The demo's cases have no creator: statistics then say a creator picks
            # half the register, and without this index the planner walks all of it.)
            models.Index(
                fields=["organisation", "created_by", "-received", "-id"], name="case_org_creator"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class CaseEvent(models.Model):
    # No index of its own: the unique (case, seq) serves every lookup by case.
    case = models.ForeignKey(Case, models.CASCADE, related_name="events", db_index=False)
    seq = models.PositiveIntegerField()
    kind = models.CharField("事件", max_length=30, choices=EVENT_CHOICES)
    on = models.DateField("发生日期")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by = models.CharField("经办人或批准人", max_length=100, blank=True)
    note = models.TextField("说明", blank=True)
    outcome = models.CharField(max_length=40, choices=OUTCOME_CHOICES, null=True, blank=True)
    days = models.PositiveSmallIntegerField(default=0)
    until = models.DateField(null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "办理事件"
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="unique_event_seq")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.seq} {self.kind}"
