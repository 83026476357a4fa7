"""The public forms (online application, tracking) and the staff forms (指南, confirm, reject).
Every input has a label; errors are Chinese and name the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from gongkai.register.cases import ApplicantType, applicant_label

from ..cases.models import RequestedForm
from . import challenge, identity, tracking
from .intake import Submission
from .models import GUIDE_CHANNELS, IdType

NATURAL = ApplicantType.NATURAL.value
# 自然人, then the five kinds of 法人或其他组织 of table 三, labels from the format's data.
APPLICANT_CHOICES: list[Any] = [
    (NATURAL, applicant_label(ApplicantType.NATURAL)),
    (
        "法人或其他组织",
        [(a.value, applicant_label(a)) for a in ApplicantType if a is not ApplicantType.NATURAL],
    ),
]
HONEYPOT = "website"


class ApplicationForm(forms.Form):
    applicant_type = forms.ChoiceField(
        label="申请人类型", choices=APPLICANT_CHOICES, widget=forms.RadioSelect, initial=NATURAL
    )
    name = forms.CharField(
        label="姓名或名称",
        max_length=200,
        help_text="自然人填写姓名；法人或其他组织填写全称",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # 自然人
    id_type = forms.ChoiceField(
        label="证件类型",
        choices=[("", "请选择"), *IdType.choices],
        required=False,
        help_text="自然人必填",
    )
    id_number = forms.CharField(
        label="证件号码", max_length=40, required=False, help_text="自然人必填"
    )
    # 法人或其他组织
    uscc = forms.CharField(
        label="统一社会信用代码",
        max_length=25,
        required=False,
        help_text="法人或其他组织必填，18位",
    )
    legal_rep = forms.CharField(
        label="法定代表人", max_length=100, required=False, help_text="与联系人至少填写一项"
    )
    contact_person = forms.CharField(
        label="联系人", max_length=100, required=False, help_text="与法定代表人至少填写一项"
    )
    # 联系方式
    phone = forms.CharField(
        label="联系电话",
        max_length=40,
        help_text="查询办理进度时需要输入此号码",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="电子邮箱",
        required=False,
        max_length=200,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    address = forms.CharField(
        label="通信地址",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postcode = forms.RegexField(
        label="邮政编码",
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "邮政编码应为6位数字"},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    # 所需信息
    description = forms.CharField(
        label="所需信息的名称、文号或者便于查询的其他特征性描述",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="《条例》第二十九条第二款第（二）项；一份申请宜只涉及一项信息",
    )
    requested_form = forms.ChoiceField(
        label="获取信息的方式", choices=RequestedForm.choices, initial=RequestedForm.EMAIL
    )
    purpose = forms.CharField(
        label="用途（选填）",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="不填写不影响申请",
    )
    # the challenge and the honeypot
    token = forms.CharField(widget=forms.HiddenInput)
    answer = forms.CharField(
        label="验证题",
        max_length=10,
        help_text="请用数字（如 7）或汉字（如 七）填写答案",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    website = forms.CharField(
        label="请勿填写此项",
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nonce: str | None = None

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"])
        problem = identity.phone_problem(phone)
        if problem:
            raise forms.ValidationError(problem)
        return identity.clean(phone)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get(HONEYPOT):
            raise forms.ValidationError("请清空“请勿填写此项”一栏后重新提交")
        kind = d.get("applicant_type")
        if kind == NATURAL:
            if not d.get("id_type"):
                self.add_error("id_type", "自然人请选择证件类型（《条例》第二十九条：身份证明）")
            if not str(d.get("id_number", "")).strip():
                self.add_error("id_number", "自然人请填写证件号码（《条例》第二十九条：身份证明）")
            elif d.get("id_type") == IdType.RESIDENT:
                problem = identity.id_card_problem(d["id_number"])
                if problem:
                    self.add_error("id_number", problem)
        elif kind:
            if not str(d.get("uscc", "")).strip():
                self.add_error("uscc", "法人或其他组织请填写统一社会信用代码")
            else:
                problem = identity.uscc_problem(d["uscc"])
                if problem:
                    self.add_error("uscc", problem)
            if not (
                str(d.get("legal_rep", "")).strip() or str(d.get("contact_person", "")).strip()
            ):
                self.add_error("contact_person", "请填写法定代表人或联系人（至少一项）")
        # The challenge last, and only if the rest is right: a wrong answer shows a new question.
        if not self.errors and "token" in d and "answer" in d:
            try:
                self.nonce = challenge.verify(d["token"], d["answer"])
            except challenge.ChallengeError as e:
                self.add_error("answer", e.message)
        return d

    def submission(self) -> Submission:
        d = self.cleaned_data
        natural = d["applicant_type"] == NATURAL
        return Submission(
            applicant_type=d["applicant_type"],
            name=d["name"],
            phone=d["phone"],
            description=d["description"],
            id_type=d["id_type"] if natural else "",
            id_number=d["id_number"] if natural else "",
            uscc="" if natural else d["uscc"],
            legal_rep="" if natural else d["legal_rep"],
            contact_person="" if natural else d["contact_person"],
            email=d["email"],
            address=d["address"],
            postcode=d["postcode"],
            requested_form=d["requested_form"],
            purpose=d["purpose"],
        )


class TrackForm(forms.Form):
    code = forms.CharField(
        label="查询号",
        max_length=30,
        help_text=f"提交申请后显示的{tracking.LENGTH}位查询号，不区分大小写，可含“-”",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=40,
        help_text="提交申请时填写的联系电话",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )


class GuideForm(forms.Form):
    """One form for the whole 指南; the channels are a fixed list of rows (accepted + note)."""

    classification = forms.CharField(
        label="政府信息的分类", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    arrangement = forms.CharField(
        label="编排体系", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    access = forms.CharField(
        label="获取方式（主动公开的途径与时限）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )
    office_name = forms.CharField(label="工作机构名称", max_length=200)
    address = forms.CharField(label="办公地址", max_length=300)
    postcode = forms.RegexField(
        label="邮政编码",
        regex=r"^\d{6}$",
        required=False,
        error_messages={"invalid": "邮政编码应为6位数字"},
    )
    hours = forms.CharField(label="办公时间", max_length=300)
    phone = forms.CharField(label="联系电话", max_length=100)
    fax = forms.CharField(label="传真号码", max_length=100, required=False)
    email = forms.EmailField(label="电子邮箱", max_length=200, required=False)
    website = forms.URLField(label="网址", max_length=300, required=False, assume_scheme="https")
    fees = forms.CharField(
        label="收费", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    remedy = forms.CharField(
        label="救济途径", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    other = forms.CharField(
        label="其他事项", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        initial = kwargs.get("initial") or {}
        rows = {c["kind"]: c for c in initial.get("channels", [])}
        super().__init__(*args, **kwargs)
        for kind, label in GUIDE_CHANNELS:
            row = rows.get(kind, {})
            self.fields[f"ch_{kind}_accepted"] = forms.BooleanField(
                label=f"受理以“{label}”方式提交的申请",
                required=False,
                initial=bool(row.get("accepted")),
            )
            self.fields[f"ch_{kind}_note"] = forms.CharField(
                label=f"“{label}”说明",
                required=False,
                max_length=1000,
                initial=row.get("note", ""),
                help_text="如邮寄地址、信封注明“政府信息公开申请”字样、电话只接受咨询等",
            )

    def channel_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"ch_{kind}_accepted"], self[f"ch_{kind}_note"])
            for kind, label in GUIDE_CHANNELS
        ]

    def text_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("ch_")]

    def content(self) -> dict[str, Any]:
        d = self.cleaned_data
        data = {k: v for k, v in d.items() if not k.startswith("ch_")}
        data["channels"] = [
            {"kind": kind, "accepted": d[f"ch_{kind}_accepted"], "note": d[f"ch_{kind}_note"]}
            for kind, _ in GUIDE_CHANNELS
        ]
        return data


class ConfirmForm(forms.Form):
    on = forms.DateField(
        label="双方确认之日",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="《条例》第三十一条第（三）项：以双方确认之日为收到申请之日",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="理由（将在查询页面告知申请人）",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：所提内容属于信访、投诉、举报，请通过相应渠道反映",
    )
