"""The forms of the collection rounds: open a round, choose its members."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.db.models import QuerySet

from .. import permissions
from ..orgs.models import Organisation
from ..reports.models import ReportingCalendar
from .models import Round


def default_dates(supervisor: Organisation, year: int) -> tuple[dt.date, dt.date | None, str]:
    """The round's due date, publish-by date and its basis: the 公开办's reporting calendar
    for the year if it sets them, else 条例第四十九条's 1月31日 of the following year."""
    cal = ReportingCalendar.objects.filter(supervisor=supervisor, year=year).first()
    statutory = dt.date(year + 1, 1, 31)
    if cal is None:
        return statutory, None, "《条例》第四十九条"
    return cal.submit_by or statutory, cal.publish_by, cal.note or "本公开办报送日程"


def tree(orgs: QuerySet[Organisation]) -> list[tuple[Organisation, int]]:
    """The bodies in tree order, each with its depth below the shallowest of them."""
    rows = list(orgs.order_by("path"))
    top = min((o.path.count("/") for o in rows), default=0)
    return [(o, o.path.count("/") - top) for o in rows]


class MembersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class MembersForm(forms.Form):
    """The round's members: bodies the office oversees (any other is a form error)."""

    members = MembersField(
        label="报送机关",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "所选机关（编号 %(value)s）不是本公开办所监督的机关，不能加入本轮次"
        },
    )

    def __init__(self, *args: Any, office: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["members"].queryset = permissions.bodies_supervised_by(office)

    def tree(self) -> list[tuple[Organisation, int, bool]]:
        """(body, depth, checked) for the template's indented checkboxes."""
        if self.is_bound:
            chosen = {str(v) for v in self.data.getlist("members")}
        else:
            chosen = {str(getattr(v, "pk", v)) for v in self.initial.get("members", [])}
        qs = self.fields["members"].queryset
        return [(o, d, str(o.pk) in chosen) for o, d in tree(qs)]


class RoundForm(MembersForm):
    supervisor = forms.ModelChoiceField(
        label="政务公开办", queryset=Organisation.objects.none(), empty_label=None
    )
    year = forms.IntegerField(label="报告年度", min_value=2008, max_value=2100)
    submit_by = forms.DateField(
        label="报送截止日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空：按本公开办的年报报送日程，未设置则为次年1月31日（《条例》第四十九条）",
    )
    publish_by = forms.DateField(
        label="发布截止日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="留空：按年报报送日程（未设置则不填）",
    )
    note = forms.CharField(label="依据（通知文号等）", max_length=200, required=False)

    field_order: ClassVar[list[str]] = [
        "supervisor",
        "year",
        "submit_by",
        "publish_by",
        "note",
        "members",
    ]

    def __init__(self, *args: Any, user: Any, office: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, office=office, **kwargs)
        self.fields["supervisor"].queryset = permissions.supervising_orgs(user).order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        office, year = data.get("supervisor"), data.get("year")
        if office is None or year is None:
            return data
        if office != self.office:
            # The members were offered for another office: check them against the chosen one.
            allowed = set(permissions.bodies_supervised_by(office).values_list("pk", flat=True))
            outside = [o.name for o in data.get("members", []) if o.pk not in allowed]
            if outside:
                names = "、".join(outside)
                self.add_error(
                    "members", f"「{names}」不是{office.name}所监督的机关，不能加入本轮次"
                )
        if Round.objects.filter(supervisor=office, year=year).exists():
            self.add_error("year", f"{office.name}已有{year}年度的报送轮次")
        due, publish, _ = default_dates(office, year)
        if data.get("submit_by") is None:
            data["submit_by"] = due
        if data.get("publish_by") is None:
            data["publish_by"] = publish
        return data
