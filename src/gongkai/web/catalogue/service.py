"""The one way to change the catalogue: issue 索引号, create and edit items, record review
steps, import a checked sheet, save table 二's entered counts. Each call validates with
:mod:`gongkai.register.catalogue`, writes the row and its :class:`~.models.ItemEvent` in one
transaction, and refuses a stale ``version`` (nothing written). Permissions are the caller's
(:mod:`gongkai.web.permissions`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gongkai import formats
from gongkai.register.catalogue import (
    VALIDITY_FIELDS,
    CatalogueError,
    Disclosure,
    DocKind,
    ItemData,
    Problem,
    ReviewState,
    ReviewStep,
    Validity,
    code_problem,
    format_index,
    next_state,
    rule_problem,
    validate_item,
)
from gongkai.register.catalogue_sheet import SheetRow
from gongkai.register.table_two import CountedItem, counts, entered_rows, parse_value

from ..orgs.models import Organisation
from .models import CatalogueItem, CatalogueSettings, DecisionCount, IndexCounter, ItemEvent


class StaleVersion(CatalogueError):
    def __init__(self, what: str, current: int, given: int) -> None:
        super().__init__(
            f"该{what}已被他人修改（当前版本 {current}，提交的版本 {given}），"
            "未保存任何改动；请刷新后重新操作"
        )
        self.current = current


class InvalidItem(CatalogueError):
    """The item breaks rules; ``problems`` name the fields."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("；".join(p.message for p in problems))
        self.problems = problems


FIELDS = tuple(f.name for f in dataclasses.fields(ItemData))


def item_data(item: CatalogueItem) -> ItemData:
    return ItemData(
        title=item.title,
        summary=item.summary,
        doc_no=item.doc_no,
        written=item.written,
        published=item.published,
        publisher=item.publisher,
        topic=item.topic,
        genre=item.genre,
        kind=DocKind(item.kind),
        article20=item.article20,
        disclosure=Disclosure(item.disclosure),
        validity=Validity(item.validity) if item.validity else None,
        effective=item.effective,
        ended=item.ended,
        url=item.url,
    )


def _stored(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def _json(value: Any) -> Any:
    value = _stored(value)
    return value.isoformat() if isinstance(value, dt.date) else value


def _check(org: Organisation, data: ItemData) -> ItemData:
    if not data.publisher.strip():
        data = dataclasses.replace(data, publisher=org.name)
    problems = validate_item(data)
    if problems:
        raise InvalidItem(problems)
    return data


def _event(
    item: CatalogueItem, kind: str, user: Any, changes: dict[str, Any] | None = None, note: str = ""
) -> ItemEvent:
    seq = (item.events.aggregate(m=Max("seq"))["m"] or 0) + 1
    return ItemEvent.objects.create(
        item=item, seq=seq, kind=kind, by=user, changes=changes or {}, note=note
    )


# --- settings and 索引号 -----------------------------------------------------------------


def save_settings(
    org: Organisation, code: str, rule: str, version: int, user: Any
) -> CatalogueSettings:
    code = code.strip().upper()
    for problem in (code_problem(code), rule_problem(rule)):
        if problem:
            raise CatalogueError(problem)
    with transaction.atomic():
        row = CatalogueSettings.objects.select_for_update().filter(organisation=org).first()
        if row is None:
            if version != 0:
                raise StaleVersion("目录设置", 0, version)
            return CatalogueSettings.objects.create(
                organisation=org, code=code, rule=rule, updated_by=user, version=1
            )
        if row.version != version:
            raise StaleVersion("目录设置", row.version, version)
        row.code, row.rule, row.updated_by = code, rule, user
        row.version += 1
        row.save()
        return row


def issue_index(org: Organisation, written: dt.date) -> str:
    """The next 索引号 of ``org`` for an item written in ``written``'s year. Call inside the
    creating transaction: the counter row stays locked until it commits, so two officers never
    get the same serial; a number already taken (an imported one) is skipped."""
    conf = CatalogueSettings.objects.filter(organisation=org).first()
    if conf is None:
        raise CatalogueError(
            f"{org.name}尚未设置索引号规则（机构代码和规则），请机关管理员先在目录设置中填写"
        )
    IndexCounter.objects.get_or_create(organisation=org, year=written.year)
    counter = IndexCounter.objects.select_for_update().get(organisation=org, year=written.year)
    while True:
        counter.last += 1
        number = format_index(conf.rule, conf.code, written, counter.last)
        if not CatalogueItem.objects.filter(index_no=number).exists():
            break
    counter.save(update_fields=["last"])
    return number


# --- items ------------------------------------------------------------------------------


def _new_item(
    org: Organisation, data: ItemData, user: Any, index_no: str, kind: str
) -> CatalogueItem:
    data = _check(org, data)
    assert data.written is not None  # validated
    if index_no:
        if CatalogueItem.objects.filter(index_no=index_no).exists():
            raise CatalogueError(f"索引号 {index_no} 已被使用（索引号唯一，不得重复）")
    else:
        index_no = issue_index(org, data.written)
    item = CatalogueItem(organisation=org, index_no=index_no, created_by=user, version=1)
    for name in FIELDS:
        setattr(item, name, _stored(getattr(data, name)))
    item.save()
    _event(
        item, kind, user, {n: [None, _json(getattr(data, n))] for n in FIELDS if getattr(data, n)}
    )
    return item


def create_item(org: Organisation, data: ItemData, user: Any) -> CatalogueItem:
    with transaction.atomic():
        return _new_item(org, data, user, "", ItemEvent.Kind.CREATED)


def _counted(item: CatalogueItem) -> list[CountedItem]:
    """What ``item`` adds to table 二's counted rows (nothing unless published)."""
    if item.state != ReviewState.PUBLISHED.value or item.kind not in DocKind._value2member_map_:
        return []
    validity = Validity(item.validity) if item.validity else None
    return [CountedItem(DocKind(item.kind), item.written, item.published, validity, item.ended)]


def _year_counts(items: list[CountedItem], year: int) -> object:
    try:
        return counts(items, year, format_for(year).key)
    except CatalogueError:  # a year no format covers has no table 二 to protect
        return None


def _refuse_if_locked(item: CatalogueItem, before: list[CountedItem]) -> None:
    """A submitted report's table 二 must not change under it (reports.locks)."""
    from ..reports.locks import YearLocked, refuse_if_tables_change

    after = _counted(item)
    if before == after:
        return
    try:
        refuse_if_tables_change(
            item.organisation_id,
            "目录条目的改动",
            lambda y: _year_counts(before, y),
            lambda y: _year_counts(after, y),
        )
    except YearLocked as e:
        raise CatalogueError(e.message) from None


def _locked(pk: int, version: int) -> CatalogueItem:
    item = (
        CatalogueItem.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=pk)
    )
    if item.version != version:
        raise StaleVersion("目录条目", item.version, version)
    return item


def edit_item(pk: int, version: int, data: ItemData, user: Any) -> CatalogueItem:
    """Change an item's fields (never its 索引号). A published item may change only its
    有效性 and dates; an item in review goes back to 待审核 (its reviews no longer hold)."""
    with transaction.atomic():
        item = _locked(pk, version)
        data = _check(item.organisation, data)
        state = ReviewState(item.state)
        if state is ReviewState.PUBLISHED and data.published is None:
            data = dataclasses.replace(data, published=item.published)  # it was published
        old = item_data(item)
        changes = {
            n: [_json(getattr(old, n)), _json(getattr(data, n))]
            for n in FIELDS
            if getattr(old, n) != getattr(data, n)
        }
        if not changes:
            return item
        if state is ReviewState.PUBLISHED and set(changes) - set(VALIDITY_FIELDS):
            names = "、".join(
                str(CatalogueItem._meta.get_field(n).verbose_name)
                for n in changes
                if n not in VALIDITY_FIELDS
            )
            raise CatalogueError(
                f"已发布的条目只能更新有效性及其日期，不能修改{names}；如内容有误，请新建更正条目"
            )
        note = ""
        if state in (ReviewState.CONTENT_OK, ReviewState.SECRECY_OK):
            item.state = ReviewState.DRAFT.value
            item.content_reviewed_at = item.secrecy_reviewed_at = None
            item.content_reviewed_by = item.secrecy_reviewed_by = None
            note = "内容已修改，原审核记录不再适用，退回待审核"
        before = _counted(item)
        for name in FIELDS:
            setattr(item, name, _stored(getattr(data, name)))
        _refuse_if_locked(item, before)
        item.version += 1
        item.save()
        _event(item, ItemEvent.Kind.EDITED, user, changes, note)
        return item


STEP_FIELDS = {
    ReviewStep.CONTENT: ("content_reviewed_at", "content_reviewed_by", ItemEvent.Kind.CONTENT),
    ReviewStep.SECRECY: ("secrecy_reviewed_at", "secrecy_reviewed_by", ItemEvent.Kind.SECRECY),
    ReviewStep.PUBLISH: ("published_at", "published_by", ItemEvent.Kind.PUBLISH),
}


def review(pk: int, version: int, step: ReviewStep, user: Any, note: str = "") -> CatalogueItem:
    """Record one review step (内容审核 → 保密审查 → 发布), who and when; out of order is a
    :class:`CatalogueError`. Publishing without a 发布日期 sets it to today."""
    with transaction.atomic():
        item = _locked(pk, version)
        state = next_state(ReviewState(item.state), step, Disclosure(item.disclosure))
        at_field, by_field, kind = STEP_FIELDS[step]
        now = timezone.now()
        changes: dict[str, Any] = {"state": [item.state, state.value]}
        before = _counted(item)
        item.state = state.value
        setattr(item, at_field, now)
        setattr(item, by_field, user)
        if step is ReviewStep.PUBLISH and item.published is None:
            item.published = timezone.localdate()
            changes["published"] = [None, item.published.isoformat()]
        _refuse_if_locked(item, before)
        item.version += 1
        item.save()
        _event(item, kind, user, changes, note)
        return item


def import_rows(org: Organisation, rows: Iterable[SheetRow], user: Any) -> list[CatalogueItem]:
    """Create every row's item in ONE transaction: any failure writes nothing."""
    with transaction.atomic():
        out = []
        for row in rows:
            try:
                out.append(_new_item(org, row.item, user, row.index_no, ItemEvent.Kind.IMPORTED))
            except CatalogueError as e:
                raise CatalogueError(f"工作表「{row.sheet}」第{row.row}行：{e.message}") from None
        return out


# --- table 二's entered rows ----------------------------------------------------------------


def format_for(year: int) -> formats.Format:
    found = formats.for_year(year)
    if found is None:
        raise CatalogueError(f"{year}年没有适用的年报格式（现行条例的年报格式自2019年度起适用）")
    return found


def parse_decisions(
    year: int, raw: dict[str, dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, str]]]:
    """Validate entered values against the year's format: the values (Decimal / int / None)
    and the problems as (row, column, message)."""
    spec = format_for(year).table("t2")
    values: dict[str, dict[str, Any]] = {}
    problems = []
    for row in entered_rows(spec):
        values[row.key] = {}
        for column in spec.columns_for(row):
            try:
                values[row.key][column.key] = parse_value(
                    column, raw.get(row.key, {}).get(column.key)
                )
            except ValueError as e:
                problems.append((row.key, column.key, str(e)))
    return values, problems


def save_decisions(
    org: Organisation, year: int, raw: dict[str, dict[str, Any]], note: str, version: int, user: Any
) -> DecisionCount:
    values, problems = parse_decisions(year, raw)
    if problems:
        raise CatalogueError("；".join(m for _, _, m in problems))
    stored = {
        r: {c: (None if v is None else str(v)) for c, v in cols.items()}
        for r, cols in values.items()
    }
    from ..reports.locks import YearLocked, refuse_if_locked

    try:
        refuse_if_locked(org, dt.date(year, 12, 31), "表二填报数")
    except YearLocked as e:
        raise CatalogueError(e.message) from None
    with transaction.atomic():
        row = DecisionCount.objects.select_for_update().filter(organisation=org, year=year).first()
        current = row.version if row else 0
        if current != version:
            raise StaleVersion("表二填报数", current, version)
        if row is None:
            row = DecisionCount(organisation=org, year=year)
        row.format = format_for(year).key
        row.values, row.note, row.updated_by = stored, note, user
        row.version = current + 1
        row.save()
        return row


def decisions(org: Organisation, year: int) -> dict[str, dict[str, int | Decimal | None]]:
    """The stored entered values of ``year`` as numbers (empty for a year not entered)."""
    row = DecisionCount.objects.filter(organisation=org, year=year).first()
    if row is None:
        return {}
    values, _ = parse_decisions(year, row.values)
    return values
