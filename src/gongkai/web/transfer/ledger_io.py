"""The Excel ledger into and out of the register.

Import, in two requests: the upload is stored under the data directory as
``imports/<user id>/<organisation id>/<sha256>.xlsx`` (so the preview survives between the
requests without trusting anything the browser sends back, and another user's or body's
upload cannot be named), read with the library's :func:`~gongkai.register.ledger.read_ledger`,
and planned (:func:`plan`): every row to be created, every bad row with its sheet, row, column
and reason, every row already in the register. Nothing is written until the officer confirms;
the confirmed import (:func:`execute`) reads the stored file again, re-plans, refuses if the
plan changed, and creates everything in ONE transaction: each application with its history
through :func:`gongkai.web.cases.register.import_case` (every event passes the transition
table), each review through :func:`gongkai.web.appeals.service.create`, and an
:class:`~gongkai.web.appeals.models.ImportBatch` with the file's sha256, which refuses the same
file a second time.

Export: :func:`write_register` writes a body's register in the same format
(:func:`gongkai.register.ledger_write.write_ledger`), so that importing it gives the register
back.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from gongkai.formats import outcomes
from gongkai.register.cases import STATE_LABELS, Application, RegisterError, applicant_label
from gongkai.register.ledger import (
    APPLICATION_COLUMNS,
    APPLICATIONS_SHEET,
    REVIEW_COLUMNS,
    REVIEWS_SHEET,
    LedgerCase,
    LedgerIssue,
    LedgerReview,
    read_ledger,
)
from gongkai.register.ledger_write import write_ledger
from gongkai.register.reviews import PENDING, kind_label, result_label

from ..appeals import service
from ..appeals.models import Appeal, AppealEvent, ImportBatch, ImportedRow
from ..cases import register
from ..cases.models import Case, CaseEvent
from ..orgs.models import Organisation
from ..uploads import Kept

NUMBER = re.compile(r"^(\d{4})-(\d{5})$")  # the register's 登记号 (cases.register.format_number)
HEADER = {
    APPLICATIONS_SHEET: {c.key: c.header for c in APPLICATION_COLUMNS},
    REVIEWS_SHEET: {c.key: c.header for c in REVIEW_COLUMNS},
}


class ImportRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- the stored upload ------------------------------------------------------------------------


KEEP_DAYS = 7


def upload_dir(user: Any, org: Organisation) -> Path:
    return Path(settings.DATA_DIR) / "imports" / str(user.pk) / str(org.pk)


def _kept(user: Any, org: Organisation) -> Kept:
    return Kept(upload_dir(user, org), KEEP_DAYS * 86400)


def stored(user: Any, org: Organisation, sha: str) -> Path | None:
    """The stored upload of ``user`` for ``org`` with this sha256, if there is one."""
    return _kept(user, org).path(sha, ".xlsx")


def store(user: Any, org: Organisation, upload: UploadedFile) -> str:
    """Save the upload by its sha256 (refusing it over ``IMPORT_MAX_BYTES`` while reading);
    returns the sha256. The original file name is kept beside it for the preview. Uploads of
    the same user and body older than :data:`KEEP_DAYS` that were never confirmed go."""
    limit = settings.IMPORT_MAX_BYTES
    kept = _kept(user, org)
    sha = kept.put(
        upload.chunks(),
        ".xlsx",
        limit,
        lambda: ImportRefused(f"文件超过 {limit / (1024 * 1024):.0f} MB 的上限，未导入"),
    )
    (kept.folder / f"{sha}.name").write_text(Path(upload.name or "台账.xlsx").name)
    return sha


def stored_name(path: Path) -> str:
    name = path.with_suffix(".name")
    return name.read_text() if name.is_file() else path.name


# --- the plan -------------------------------------------------------------------------------


@dataclass
class CaseRow:
    row: int
    ledger_id: str
    app: Application
    seq: int | None  # the 登记号 kept from the ledger, or None: the next number is taken

    @property
    def number(self) -> str:
        return self.ledger_id if self.seq is not None else "（新登记号）"

    @property
    def outcome_label(self) -> str:
        return outcomes.BY_KEY[self.app.outcome].label if self.app.outcome else ""

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.app.state]

    @property
    def applicant_label(self) -> str:
        return applicant_label(self.app.applicant)


@dataclass
class ReviewRow:
    row: int
    data: service.AppealData
    link: str  # what the review is linked to, in words
    in_file: str = ""  # the 编号 of an application of the same ledger it is linked to

    @property
    def kind_label(self) -> str:
        return kind_label(self.data.kind)

    @property
    def result_label(self) -> str:
        return result_label(self.data.result)


@dataclass
class Plan:
    sha: str
    filename: str
    cases: list[CaseRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    errors: list[LedgerIssue] = field(default_factory=list)
    warnings: list[LedgerIssue] = field(default_factory=list)
    imported_before: ImportBatch | None = None

    @property
    def structural(self) -> list[LedgerIssue]:
        return [i for i in self.errors if i.row is None]

    @property
    def bad_rows(self) -> int:
        return len({(i.sheet, i.row) for i in self.errors if i.row is not None})

    @property
    def refusal(self) -> str | None:
        """Why the file cannot be imported at all, or None."""
        if self.imported_before is not None:
            b = self.imported_before
            return (
                f"该文件（sha256 {self.sha[:12]}…）已于 {b.imported_at:%Y-%m-%d %H:%M} 导入本机关"
                f"（{b.cases} 件申请、{b.appeals} 件复议诉讼），不重复导入"
            )
        if self.structural:
            return "台账结构有误（见下），无法导入；请使用 gongkai ledger template 生成的台账"
        if not self.cases and not self.reviews:
            return "台账中没有可导入的行"
        return None

    def digest(self) -> str:
        """What the officer saw: confirm is refused if the plan differs when re-made."""
        summary = {
            "sha": self.sha,
            "cases": [(c.row, c.ledger_id, c.seq) for c in self.cases],
            "reviews": [(r.row, r.data.number, r.link) for r in self.reviews],
            "errors": [(i.sheet, i.row, i.column, i.message) for i in self.errors],
        }
        return hashlib.sha256(json.dumps(summary, ensure_ascii=False).encode()).hexdigest()


def _issue(
    sheet: str, row: int, rid: str, message: str, column: str, severity: str = "error"
) -> LedgerIssue:
    return LedgerIssue(sheet, row, message, severity, HEADER[sheet][column], rid)  # type: ignore[arg-type]


def _imported(org: Organisation, sheet: str, ids: set[str]) -> dict[str, ImportedRow]:
    rows = ImportedRow.objects.filter(batch__organisation=org, sheet=sheet, ledger_id__in=ids)
    return {r.ledger_id: r for r in rows.select_related("case", "appeal")}


def plan(org: Organisation, path: Path, sha: str, filename: str | None = None) -> Plan:
    """Read the stored ledger and say what an import would do (writes nothing). Raises
    :class:`ImportRefused` when the file is not a readable workbook."""
    try:
        ledger = read_ledger(str(path))
    except RegisterError as e:
        raise ImportRefused(e.message.replace(path.name, filename or path.name)) from None
    p = Plan(sha=sha, filename=filename or path.name)
    p.imported_before = ImportBatch.objects.filter(organisation=org, sha256=sha).first()
    p.errors = list(ledger.errors)
    p.warnings = list(ledger.warnings)
    _plan_cases(org, ledger.cases, p)
    _plan_reviews(org, ledger.reviews, p)
    p.errors.sort(key=lambda i: (i.sheet != APPLICATIONS_SHEET, i.row or 0))
    return p


def _plan_cases(org: Organisation, rows: list[LedgerCase], p: Plan) -> None:
    ids = {c.application.id for c in rows}
    existing = set(
        Case.objects.filter(organisation=org, number__in=ids).values_list("number", flat=True)
    )
    before = _imported(org, APPLICATIONS_SHEET, ids)
    for lc in rows:
        app = lc.application
        rid = app.id
        if rid in existing or rid in before:
            where = before[rid].case.number if rid in before and before[rid].case else rid
            p.errors.append(
                _issue(
                    APPLICATIONS_SHEET,
                    lc.row,
                    rid,
                    f"编号 {rid} 已在本机关登记簿中（登记号 {where}），不重复导入",
                    "id",
                )
            )
            continue
        m = NUMBER.match(rid)
        keep = m is not None and app.received is not None and int(m[1]) == app.received.year
        p.cases.append(CaseRow(lc.row, rid, app, int(m[2]) if keep and m else None))


def _plan_reviews(org: Organisation, rows: list[LedgerReview], p: Plan) -> None:
    ids = {r.review.id for r in rows}
    existing = set(
        Appeal.objects.filter(organisation=org, number__in=ids).values_list("number", flat=True)
    )
    refs = {r.review.application_id for r in rows if r.review.application_id}
    in_file = {c.ledger_id for c in p.cases}
    bad_in_file = {i.case_id for i in p.errors if i.sheet == APPLICATIONS_SHEET and i.case_id}
    by_number = {c.number: c for c in Case.objects.filter(organisation=org, number__in=refs)}
    before = _imported(org, APPLICATIONS_SHEET, refs)
    for lr in rows:
        r = lr.review
        if r.id in existing:
            p.errors.append(
                _issue(
                    REVIEWS_SHEET,
                    lr.row,
                    r.id,
                    f"编号 {r.id} 已在本机关的复议诉讼案件中，不重复导入",
                    "id",
                )
            )
            continue
        dates = service.AppealData(r.id, r.kind.value, r.filed, concluded=r.decided)
        problem = service.date_problem(dates)
        if problem is not None:
            column = "filed" if problem.field == "filed" else "decided"
            p.errors.append(_issue(REVIEWS_SHEET, lr.row, r.id, problem.message, column))
            continue
        ref = r.application_id or ""
        case: Case | None = None
        if not ref:
            link = "—"
        elif ref in in_file:
            link = f"本台账的申请 {ref}"
        elif ref in by_number:
            case, link = by_number[ref], f"登记簿中的申请 {ref}"
        elif ref in before and before[ref].case is not None:
            case = before[ref].case
            link = f"此前导入的申请 {ref}（登记号 {case.number if case else ''}）"
        else:
            link = f"不关联（保留编号 {ref}）"
            why = "该行有错误、不会导入" if ref in bad_in_file else "本台账和本机关登记簿中都没有"
            p.warnings.append(
                _issue(
                    REVIEWS_SHEET,
                    lr.row,
                    r.id,
                    f"关联申请编号 {ref}：{why}；导入后保留该编号，不关联申请",
                    "application_id",
                    "warning",
                )
            )
        data = service.AppealData(
            number=r.id,
            kind=r.kind.value,
            filed=r.filed,
            result=r.result.value if r.result else PENDING,
            concluded=r.decided,
            note=r.note,
            case=case,
            application_number="" if case or ref in in_file else ref,
        )
        p.reviews.append(ReviewRow(lr.row, data, link, ref if ref in in_file else ""))


# --- the confirmed import ---------------------------------------------------------------------


def execute(org: Organisation, p: Plan, user: Any, size: int) -> ImportBatch:
    """Create everything the plan lists, in ONE transaction; on any failure nothing is kept
    and :class:`ImportRefused` says why (in Chinese)."""
    if p.refusal:
        raise ImportRefused(p.refusal)
    source = f"台账导入：{p.filename}"
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                organisation=org,
                sha256=p.sha,
                filename=p.filename[:255],
                size=size,
                imported_by=user,
                cases=len(p.cases),
                appeals=len(p.reviews),
                excluded=p.bad_rows,
            )
            made: dict[str, Case] = {}
            trail: list[ImportedRow] = []
            seqs = _numbers(org, p.cases)
            created = register.import_cases(
                org, [_to_import(c, seqs[c.row], source) for c in p.cases], user
            )
            for c, case in zip(p.cases, created, strict=True):
                made[c.ledger_id] = case
                trail.append(
                    ImportedRow(
                        batch=batch,
                        sheet=APPLICATIONS_SHEET,
                        row=c.row,
                        ledger_id=c.ledger_id,
                        case=case,
                    )
                )
            for r in p.reviews:
                data = r.data
                if r.in_file:
                    data = dataclasses.replace(data, case=made[r.in_file])
                note = f"{source} 「{REVIEWS_SHEET}」第{r.row}行"
                appeal = service.create(org, data, user, kind=AppealEvent.Kind.IMPORTED, note=note)
                trail.append(
                    ImportedRow(
                        batch=batch,
                        sheet=REVIEWS_SHEET,
                        row=r.row,
                        ledger_id=data.number,
                        appeal=appeal,
                    )
                )
            ImportedRow.objects.bulk_create(trail)
    except (RegisterError, service.AppealError) as e:
        raise ImportRefused(f"导入失败，未导入任何内容：{e.message}") from None
    except IntegrityError:
        raise ImportRefused(
            "导入失败，未导入任何内容：登记簿同时被修改（或该文件刚被导入），请重新预览"
        ) from None
    return batch


def _numbers(org: Organisation, rows: list[CaseRow]) -> dict[int, int]:
    """The 年度序号 of each row: the ledger's own 登记号 when it is free, else the next after
    every number of that year (taken or kept), counted here instead of one query per case."""
    years = {c.app.received.year for c in rows if c.app.received}
    taken: dict[int, set[int]] = {y: set() for y in years}
    for year, seq in Case.objects.filter(organisation=org, year__in=years).values_list(
        "year", "seq"
    ):
        taken[year].add(seq)
    out: dict[int, int] = {}
    for c in rows:
        assert c.app.received is not None
        if c.seq is not None and c.seq not in taken[c.app.received.year]:
            taken[c.app.received.year].add(c.seq)
            out[c.row] = c.seq
    top = {y: max(s, default=0) for y, s in taken.items()}
    for c in rows:
        if c.row not in out:
            assert c.app.received is not None
            year = c.app.received.year
            top[year] += 1
            out[c.row] = top[year]
    return out


def _to_import(c: CaseRow, seq: int, source: str) -> register.Imported:
    app = c.app
    assert app.received is not None  # read_ledger only returns received applications
    events = list(app.events)
    where = f"{source} 「{APPLICATIONS_SHEET}」第{c.row}行，编号 {c.ledger_id}"
    events[0] = dataclasses.replace(events[0], note=where)
    intake = register.Intake(
        channel=app.channel.value,
        applicant_type=app.applicant.value,
        received=app.received,
        description=app.content,
        applicant_name=app.applicant_name,
    )
    return register.Imported(intake, events, seq, label=c.ledger_id)


# --- export -----------------------------------------------------------------------------------


def register_applications(qs: Any) -> Iterator[Application]:
    """The applications of a case queryset, replayed (events fetched in chunks)."""
    chunk: list[Case] = []
    for case in qs.order_by("year", "seq").iterator(chunk_size=1000):
        chunk.append(case)
        if len(chunk) == 1000:
            yield from _replay(chunk)
            chunk = []
    yield from _replay(chunk)


def _replay(cases: list[Case]) -> Iterator[Application]:
    events: dict[int, list[CaseEvent]] = {c.pk: [] for c in cases}
    for e in CaseEvent.objects.filter(case_id__in=list(events)).order_by("case_id", "seq"):
        events[e.case_id].append(e)
    for c in cases:
        yield register.application(c, events[c.pk])


def write_register(out: Any, cases: Any, appeals: Any) -> list[tuple[str, list[str]]]:
    """A body's register as a ledger (see the module docstring); returns what the format
    could not hold, per application."""
    reviews = (
        service.review_of(a)
        for a in appeals.select_related("case").order_by("filed", "id").iterator()
    )
    return write_ledger(out, register_applications(cases), reviews)
