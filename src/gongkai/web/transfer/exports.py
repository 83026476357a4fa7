"""The columns of the XLSX exports (Chinese headers; ID numbers masked; dates as dates)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from ..appeals.models import Appeal
from ..cases.masking import mask_id
from ..cases.models import Case
from .xlsx import Column

CASE_COLUMNS = (
    Column("登记号", lambda c: c.number, width=12),
    Column("办理机关", lambda c: c.organisation.name, width=24),
    Column("收到申请日期", lambda c: c.received, "date", 12),
    Column("提交方式", lambda c: c.channel, width=8),
    Column("申请人类型", lambda c: c.get_applicant_type_display(), width=18),
    Column("申请人", lambda c: c.applicant_name),
    Column("证件号码", lambda c: mask_id(c.applicant_id_number), width=20),  # never in full
    Column("所需信息", lambda c: c.description, width=40),
    Column("获取方式", lambda c: c.get_requested_form_display(), width=10),
    Column("状态", lambda c: c.get_state_display(), width=10),
    Column("答复期限", lambda c: c.due, "date", 12),
    Column("办结日期", lambda c: c.closed, "date", 12),
    Column("办理结果", lambda c: c.get_outcome_display() if c.outcome else "", width=36),
)

APPEAL_COLUMNS = (
    Column("编号", lambda a: a.number, width=16),
    Column("被申请或被诉机关", lambda a: a.organisation.name, width=24),
    Column("案件类型", lambda a: a.get_kind_display(), width=28),
    Column("收案日期", lambda a: a.filed, "date", 12),
    Column("复议机关或人民法院", lambda a: a.authority, width=24),
    Column("关联申请编号", lambda a: a.case.number if a.case else a.application_number),
    Column("审结结果", lambda a: a.get_result_display(), width=10),
    Column("审结日期", lambda a: a.concluded, "date", 12),
    Column("备注", lambda a: a.note, width=30),
)

CHUNK = 2000


def case_rows(qs: QuerySet[Case]) -> Any:
    return qs.select_related("organisation").iterator(chunk_size=CHUNK)


def appeal_rows(qs: QuerySet[Appeal]) -> Any:
    return qs.select_related("organisation", "case").iterator(chunk_size=CHUNK)
