"""The admin's view of the register. A case is created and changed only through
:mod:`.register` (the pages and the API), so that its history and derived fields agree: the
admin adds no case, deletes none, and shows the history read-only — it is append-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .masking import mask_id
from .models import Case, CaseEvent

# Derived by replaying the events (gongkai.register), or fixed at intake: never edited here.
DERIVED = ("state", "due", "closed", "outcome", "version")
INTAKE = ("organisation", "number", "year", "seq", "channel", "received", "applicant_type")


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    ordering = ("seq",)
    # The model's fields without a Chinese verbose_name are shown through labelled methods
    # (a verbose_name on the model would need a migration).
    fields = ("seq_no", "kind", "on", "by", "result", "days_n", "until_d", "amount_yuan")
    fields += ("note", "recorded_at", "recorder")
    readonly_fields = fields

    @admin.display(description="序号")
    def seq_no(self, obj: CaseEvent) -> int:
        return obj.seq

    @admin.display(description="办理结果")
    def result(self, obj: CaseEvent) -> str:
        return obj.get_outcome_display() if obj.outcome else ""

    @admin.display(description="延长工作日数")
    def days_n(self, obj: CaseEvent) -> str:
        return str(obj.days) if obj.days else ""

    @admin.display(description="延迟答复期限")
    def until_d(self, obj: CaseEvent) -> Any:
        return obj.until or ""

    @admin.display(description="收费金额（元）")
    def amount_yuan(self, obj: CaseEvent) -> Any:
        return "" if obj.amount is None else obj.amount

    @admin.display(description="记录人")
    def recorder(self, obj: CaseEvent) -> Any:
        return obj.recorded_by or ""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "organisation",
        "received",
        "channel",
        "applicant_type",
        "applicant_name",
        "masked_id",
        "state",
        "due",
        "outcome",
        "closed",
    )
    list_filter = ("state", "channel", "applicant_type", "year", "outcome", "organisation")
    search_fields = ("number", "applicant_name", "description")
    date_hierarchy = "received"
    list_select_related = ("organisation",)
    readonly_fields = (*INTAKE, *DERIVED, "registered_at", "registered_by")
    fields = (
        *INTAKE,
        "applicant_name",
        "applicant_contact",
        "applicant_id_number",
        "description",
        "requested_form",
        *DERIVED,
        "registered_at",
        "registered_by",
    )
    inlines = (CaseEventInline,)

    @admin.display(description="登记时间")
    def registered_at(self, obj: Case) -> Any:
        return obj.created_at

    @admin.display(description="登记人")
    def registered_by(self, obj: Case) -> Any:
        return obj.created_by or ""

    @admin.display(description="证件号码")
    def masked_id(self, obj: Case) -> str:
        return mask_id(obj.applicant_id_number)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # intake goes through the register (登记新申请, POST /api/v1/cases)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting a case would delete its history
