"""The appeal form: the choices come from :mod:`gongkai.register.reviews` (via the model); the
rules are checked by :func:`.service.check`, which asks the library."""

from __future__ import annotations

from typing import Any

from django import forms

from ..cases.models import Case
from .models import KIND_CHOICES, RESULT_CHOICES
from .service import AppealData

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AppealForm(forms.Form):
    organisation = forms.TypedChoiceField(label="被申请或被诉机关", coerce=int)
    number = forms.CharField(
        label="编号", max_length=60, help_text="如复议案号、诉讼案号；本机关内不得重复"
    )
    kind = forms.ChoiceField(label="案件类型", choices=KIND_CHOICES)
    case_number = forms.CharField(
        label="关联申请登记号",
        max_length=60,
        required=False,
        help_text="该复议或诉讼针对的依申请公开申请（如 2025-00012）；不知道的可留空",
    )
    filed = forms.DateField(
        label="收案日期", widget=DATE, help_text="收到复议申请书或起诉状副本之日"
    )
    authority = forms.CharField(label="复议机关或人民法院", max_length=200, required=False)
    result = forms.ChoiceField(label="审结结果", choices=RESULT_CHOICES, initial="pending")
    concluded = forms.DateField(
        label="审结日期",
        required=False,
        widget=DATE,
        help_text="复议决定书或判决书、裁定书的日期；尚未审结的留空",
    )
    note = forms.CharField(
        label="备注", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, orgs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = orgs  # type: ignore[attr-defined]
        self.case: Case | None = None

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        number = (d.get("case_number") or "").strip()
        if number and "organisation" in d:
            self.case = Case.objects.filter(
                organisation_id=d["organisation"], number=number
            ).first()
            if self.case is None:
                self.add_error("case_number", f"本机关没有登记号为「{number}」的申请")
        return d

    def data_(self, application_number: str = "") -> AppealData:
        d = self.cleaned_data
        return AppealData(
            number=d["number"].strip(),
            kind=d["kind"],
            filed=d["filed"],
            result=d["result"],
            concluded=d.get("concluded"),
            authority=d.get("authority") or "",
            note=d.get("note") or "",
            case=self.case,
            application_number="" if self.case else application_number,
        )
