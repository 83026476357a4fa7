"""The intake form and the small event forms of the case page. The choices come from the
register's enums and from :mod:`gongkai.formats.outcomes`; which forms a case shows comes from
the register's transition table (``Application.allowed()``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from gongkai.formats import outcomes
from gongkai.register.cases import EVENT_LABELS, Event, EventKind
from gongkai.register.deadlines import DeadlineError, receipt_date

from .models import APPLICANT_CHOICES, CHANNEL_CHOICES, RequestedForm

# <input type="date"> takes only ISO dates; the zh-hans format (2025/03/03) leaves it blank.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANSWER_CHOICES = [(o.key, o.label) for o in outcomes.OUTCOMES if o.closes_by == "answer"]


class IntakeForm(forms.Form):
    organisation = forms.TypedChoiceField(label="登记机关", coerce=int)
    channel = forms.ChoiceField(label="提交方式", choices=CHANNEL_CHOICES)
    # 第三十一条 derives the date of receipt from the channel; the officer enters the dates
    # that happened and the register's receipt_date picks the statutory one.
    submitted = forms.DateField(label="提交之日（当面提交必填）", required=False, widget=DATE)
    signed_for = forms.DateField(label="签收之日（邮寄）", required=False, widget=DATE)
    confirmed = forms.DateField(
        label="双方确认之日（网络、传真、电子邮件、其他；无需签收的平常信函）",
        required=False,
        widget=DATE,
        help_text="《条例》第三十一条：当面提交以提交之日、邮寄以签收之日、"
        "互联网渠道或传真以双方确认之日为收到申请之日",
    )
    applicant_type = forms.ChoiceField(label="申请人类型", choices=APPLICANT_CHOICES)
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=200)
    applicant_contact = forms.CharField(label="联系方式", max_length=200, required=False)
    applicant_id_number = forms.CharField(label="证件号码", max_length=40, required=False)
    description = forms.CharField(
        label="所需信息的名称、文号或特征性描述", widget=forms.Textarea(attrs={"rows": 4})
    )
    requested_form = forms.ChoiceField(label="获取方式", choices=RequestedForm.choices)
    note = forms.CharField(label="备注", required=False, max_length=500)

    def __init__(self, *args: Any, orgs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = orgs  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if "channel" in d:
            try:
                d["received"] = receipt_date(
                    d["channel"],
                    submitted=d.get("submitted"),
                    signed_for=d.get("signed_for"),
                    confirmed=d.get("confirmed"),
                )
            except DeadlineError as e:
                raise forms.ValidationError(e.message) from None
        return d


class EventForm(forms.Form):
    """One event; the fields a kind needs are shown by the template (``FIELDS``), and the
    register decides whether the event is allowed."""

    kind = forms.ChoiceField(choices=[(k.value, EVENT_LABELS[k]) for k in EventKind])
    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE, initial=dt.date.today)
    by = forms.CharField(label="经办人或批准人", required=False, max_length=100)
    days = forms.IntegerField(label="延长工作日数", required=False, min_value=1, max_value=20)
    until = forms.DateField(label="延迟答复期限", required=False, widget=DATE)
    amount = forms.DecimalField(label="收费金额（元）", required=False, min_value=0)
    outcome = forms.ChoiceField(label="办理结果", required=False, choices=ANSWER_CHOICES)
    note = forms.CharField(label="说明", required=False, max_length=1000)

    def event(self) -> Event:
        d = self.cleaned_data
        kind = EventKind(d["kind"])
        return Event(
            kind,
            d["on"],
            by=d.get("by") or "",
            note=d.get("note") or "",
            outcome=(d.get("outcome") or None) if kind is EventKind.ANSWERED else None,
            days=d.get("days") or 0,
            until=d.get("until"),
            amount=d.get("amount"),
        )


# The extra fields each kind needs on the case page (the rest: date and note).
FIELDS: dict[EventKind, tuple[str, ...]] = {
    EventKind.EXTENSION_APPROVED: ("days", "by"),
    EventKind.DELAY_NOTIFIED: ("until",),
    EventKind.FEE_NOTIFIED: ("amount",),
    EventKind.ANSWERED: ("outcome",),
}
