"""Narrative ↔ table cross-checks (spec §6): what the text says against what the tables hold.

Conservative by design: a narrative finding must never rest on a wrong reading. Each rule
matches only a few clear phrasings inside one clause (``共受理政府信息公开申请3119件``,
``未收到…政府信息公开申请``, ``行政复议1件``, ``未出现行政复议纠错``), skips any clause that
speaks of another year, and stays silent whenever the clause could mean something else. All
narrative findings are warnings (never errors): the text may use a wider scope than the table.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .. import formats
from ..report import Cell, Report
from .finding import CellRef, Finding, fmt_number
from .prose import ARABIC, NUMBER, Passage, all_clauses, mentions_other_year, quote, to_number
from .refs import cell_ref, column_name, number
from .rules import RULES

# Column and row keys of the format (stable ASCII ids, never labels).
T3, T4, T2 = "t3", "t4", "t2"
TOTAL = "total"
RECEIVED, CARRIED_OVER = "r1", "r2"
# Table 二 columns that count documents made or published this year, in either format.
ISSUED_COLUMNS = ("issued", "new_made", "new_published")

_NEG = r"(?:未|没有|无(?!法))"

# "共收到政府信息依申请公开33件", "共受理政府信息公开申请 3119 件", "收到申请两件".
_RECEIVED = re.compile(
    r"(?:收到|受理|接收|接到|新收)(?P<obj>[^,;。\d]{0,24}?)(?:共计|共|合计|总计|计)?"
    rf"(?P<n>{NUMBER})(?:件|份|宗)"
)
# What may stand between the verb and the count: only ways of naming a disclosure application.
_APPLICATION = re.compile(
    r"(?:各类|各种)?(?:公民、法人(?:和|或|及)其他组织(?:提出的)?)?"
    r"(?:政府信息公开|信息公开|政府信息依申请公开|依申请公开政府信息|依申请公开|政府信息)?"
    r"(?:的)?(?:申请(?:件|书)?)?(?:件)?(?:数量|数)?(?:为|是|达)?"
)
# X-1, none received: "未收到公民、法人和其他组织提出的政府信息公开申请", "没有发生依申请公开…".
_NONE_RECEIVED = re.compile(
    rf"{_NEG}(?:收到|受理|接到|接收|发生|产生|出现|有)?(?P<obj>[^,;。\d]{{0,24}}?)"
    r"(?:政府信息公开申请|信息公开申请|依申请公开|公开申请)"
)
# "未收到法人或其他组织的政府信息公开申请" says nothing about the total; the statutory
# "公民、法人和其他组织" (all applicants) is the one exception.
_NOT_ALL_APPLICANTS = re.compile(r"\d|未|没有|自然人|(?<!公民、)法人|企业|机构|个人|书面|网上|当面")
# A clause with any of these words is about something else (complaints, fees, appeals, delays).
_NOT_ABOUT_RECEIVING = re.compile(
    r"复议|诉讼|纠错|败诉|收费|费用|投诉|举报|超期|逾期|超时|延期|答复|违法|错误|差错|"
    r"不予|争议|减免|被|未公开|不公开|未按"
)

# "未发生…行政复议、行政诉讼" (the appeal itself, not its outcome).
_NONE_APPEALED = re.compile(
    r"(?:未|没有|无)(?:发生|出现|收到|产生|有|涉及|被申请|被提起)|(?:无|没有)(?=行政|因|针对|涉及)"
)
_ABOUT_OUTCOME = re.compile(r"纠错|纠正|败诉|撤销|确认违法|责令|驳回|维持|答复|超期|逾期|\d")
REVIEW_WORD, SUIT_WORD = "行政复议", "行政诉讼"

# "政府信息公开的行政复议1件", "有1件涉及政府信息公开工作的行政复议".
_REVIEW_COUNT = re.compile(rf"行政复议(?:案件)?(?:共计|共)?(?P<n>{NUMBER})(?:件|起|宗)")
_REVIEW_COUNT_BEFORE = re.compile(
    rf"(?:有|共|共有|发生)(?P<n>{NUMBER})(?:件|起)(?P<mid>[^,;。\d]{{0,16}}?)行政复议(?:案件|件)?$"
)

# "未出现行政复议纠错", "该行政复议件未被复议审查机关纠错", "…行政诉讼败诉".
_NO_CORRECTION = (
    re.compile(
        r"(?:未|没有|无)(?:出现|发生|有)?[^,;。\d]{0,20}?行政复议[^,;。\d]{0,8}?(?:纠错|纠正)"
    ),
    re.compile(r"行政复议[^,;。\d]{0,12}?(?:未|没有)被[^,;。\d]{0,12}?(?:纠错|纠正|撤销)"),
)
_NO_LOSS = re.compile(r"(?:未|没有|无)(?:出现|发生|有)?[^,;。\d]{0,30}?行政诉讼[^,;。\d]{0,6}?败诉")
CORRECTED_WORD = "纠正"

# "收取政府信息公开信息处理费 3940 元".
_FEE = re.compile(rf"收取[^,;。\d]{{0,20}}?处理费[^,;。\d]{{0,6}}?(?P<n>{ARABIC})(?P<u>万元|元)")

# "全年制发并对外发布行政规范性文件19件", "新增公开市政府规章 1 件".
_DOCUMENTS = re.compile(
    r"(?:制发|印发|出台|制定|发布|公开|公布|新增)(?P<mid>[^,;。\d]{0,16}?)"
    rf"(?P<what>行政规范性文件|规范性文件|规章)(?:共计|共)?(?P<n>{NUMBER})件"
)


def check_narrative(report: Report) -> list[Finding]:
    findings: list[Finding] = []
    findings.extend(_received(report))
    findings.extend(_appeals(report))
    findings.extend(_review_count(report))
    findings.extend(_corrections(report))
    findings.extend(_fees(report))
    findings.extend(_documents(report))
    return findings


# --- helpers -------------------------------------------------------------------------------


def _cell_value(report: Report, table: str, row: str, column: str) -> int | Decimal | None:
    """The value for arithmetic, or None when the row was not found (nothing to compare)."""
    found = report.tables.get(table)
    got = found.row(row) if found else None
    if got is None:
        return None
    return number(got.cell(column))


def _refs(report: Report, table: str, cells: list[tuple[str, str]]) -> list[CellRef]:
    spec = report.spec.table(table)
    found = report.tables.get(table)
    refs: list[CellRef] = []
    for row_key, column_key in cells:
        got = found.row(row_key) if found else None
        if got is None:
            continue
        row = spec.row(row_key)
        refs.append(cell_ref(spec, row, spec.column(row, column_key), got.cell(column_key)))
    return refs


def _seen(done: set[tuple[str, str]], rule: str, key: str) -> bool:
    """One finding per rule and stated fact, however often the text repeats it."""
    if (rule, key) in done:
        return True
    done.add((rule, key))
    return False


# --- X-1 -------------------------------------------------------------------------------------


def _received(report: Report) -> list[Finding]:
    r1 = _cell_value(report, T3, RECEIVED, TOTAL)
    if r1 is None:
        return []
    r2 = _cell_value(report, T3, CARRIED_OVER, TOTAL) or 0
    accepted = {r1, r1 + r2, *_applicant_sums(report)}
    statements: list[tuple[int | Decimal, Passage, str]] = []
    for passage, _, clause in all_clauses(report):
        if mentions_other_year(clause, report.year):
            continue
        statements.extend((n, passage, clause) for n in _stated_received(clause))
    if any(n != 0 for n, _, _ in statements):
        # A text that states a count somewhere means its "未收到…" speaks of a subset (a
        # channel, a kind of applicant); only a text that states no count is read as 0.
        statements = [s for s in statements if s[0] != 0]
    findings: list[Finding] = []
    done: set[tuple[str, str]] = set()
    for stated, passage, clause in statements:
        if stated in accepted or _seen(done, "X-1", str(stated)):
            continue
        findings.append(_received_finding(report, passage, clause, stated, r1, r2))
    return findings


def _applicant_sums(report: Report) -> list[int | Decimal]:
    """r1 (and r1+r2) added up from the applicant columns, for reports that leave 总计 blank."""
    spec = report.spec.table(T3)
    found = report.tables.get(T3)
    got = found.row(RECEIVED) if found else None
    if got is None:
        return []
    keys = [c.key for c in spec.columns if c.key != TOTAL]
    received = sum((number(got.cell(k)) for k in keys), start=0)
    carried = _cell_value(report, T3, CARRIED_OVER, TOTAL) or 0
    return [received, received + carried]


def _stated_received(clause: str) -> list[int | Decimal]:
    stated: list[int | Decimal] = []
    if "申请" not in clause:
        return stated  # both readings below need the word: skip the regexes
    for m in _RECEIVED.finditer(clause):
        obj = m.group("obj")
        if "申请" not in obj or not _APPLICATION.fullmatch(obj):
            continue
        n = to_number(m.group("n"))
        if n is not None:
            stated.append(n)
    if not stated and not _NOT_ABOUT_RECEIVING.search(clause):
        m0 = _NONE_RECEIVED.search(clause)
        if m0 is not None and not _NOT_ALL_APPLICANTS.search(m0.group("obj")):
            stated.append(0)
    return stated


def _received_finding(
    report: Report,
    passage: Passage,
    clause: str,
    stated: int | Decimal,
    r1: int | Decimal,
    r2: int | Decimal,
) -> Finding:
    return RULES["X-1"].finding(
        cells=_refs(report, T3, [(RECEIVED, TOTAL), (CARRIED_OVER, TOTAL)]),
        location=passage.at(clause),
        quote=quote(clause),
        stated=fmt_number(stated),
        r1=fmt_number(r1),
        r1r2=fmt_number(r1 + r2),
    )


# --- table 四 columns chosen by the header words of the format ----------------------


def _t4_columns(report: Report, word: str, label_word: str = "") -> list[formats.Column]:
    """Table 四 columns under the header ``word`` (行政复议 / 行政诉讼), optionally only those
    whose own label contains ``label_word`` (纠正 → the 结果纠正 columns)."""
    spec = report.spec.table(T4)
    return [
        c for c in spec.all_columns if any(word in g for g in c.groups) and label_word in c.label
    ]


def _nonzero(report: Report, columns: list[formats.Column]) -> list[tuple[str, formats.Column]]:
    found = report.tables.get(T4)
    spec = report.spec.table(T4)
    if found is None or not found.rows:
        return []
    out: list[tuple[str, formats.Column]] = []
    for row in spec.rows:
        got = found.row(row.key)
        if got is None:
            continue
        for c in columns:
            v = number(got.cell(c.key))
            if v != 0:
                out.append((row.key, c))
    return out


def _t4_finding(
    report: Report,
    rule: str,
    passage: Passage,
    clause: str,
    what: str,
    nonzero: list[tuple[str, formats.Column]],
) -> Finding:
    spec = report.spec.table(T4)
    shown = [
        f"「{column_name(spec, c)}」为{fmt_number(_cell_value(report, T4, row, c.key))}"
        for row, c in nonzero[:4]
    ]
    if len(nonzero) > 4:
        shown.append(f"等{len(nonzero)}栏不为0")
    return RULES[rule].finding(
        cells=_refs(report, T4, [(row, c.key) for row, c in nonzero]),
        location=passage.at(clause),
        quote=quote(clause),
        what=what,
        found="、".join(shown),
    )


def _appeals(report: Report) -> list[Finding]:
    if T4 not in report.tables:
        return []
    findings: list[Finding] = []
    done: set[tuple[str, str]] = set()
    for passage, _, clause in all_clauses(report):
        if REVIEW_WORD not in clause and SUIT_WORD not in clause:
            continue  # the finding needs one of them after the negation
        m = _NONE_APPEALED.search(clause)
        if m is None or mentions_other_year(clause, report.year):
            continue
        rest = clause[m.start() :]
        if _ABOUT_OUTCOME.search(rest) or len(rest) > 50:
            continue
        words = [w for w in (REVIEW_WORD, SUIT_WORD) if w in rest]
        if not words:
            continue
        nonzero = [x for w in words for x in _nonzero(report, _t4_columns(report, w))]
        if nonzero and not _seen(done, "X-2", "、".join(words)):
            findings.append(_t4_finding(report, "X-2", passage, clause, "、".join(words), nonzero))
    return findings


def _corrections(report: Report) -> list[Finding]:
    if T4 not in report.tables:
        return []
    findings: list[Finding] = []
    done: set[tuple[str, str]] = set()
    checks = (
        (_NO_CORRECTION, REVIEW_WORD, "没有行政复议被纠错"),
        ((_NO_LOSS,), SUIT_WORD, "没有行政诉讼败诉"),
    )
    for passage, _, clause in all_clauses(report):
        if "行政" not in clause:
            continue  # every pattern below names 行政复议 or 行政诉讼
        if mentions_other_year(clause, report.year):
            continue
        for patterns, word, what in checks:
            if not any(p.search(clause) for p in patterns):
                continue
            nonzero = _nonzero(report, _t4_columns(report, word, CORRECTED_WORD))
            if nonzero and not _seen(done, "X-4", word):
                findings.append(_t4_finding(report, "X-4", passage, clause, what, nonzero))
    return findings


# --- X-3 -------------------------------------------------------------------------------------


def _review_count(report: Report) -> list[Finding]:
    totals = [c for c in _t4_columns(report, REVIEW_WORD) if c.key.endswith(TOTAL)]
    if not totals or T4 not in report.tables:
        return []
    spec = report.spec.table(T4)
    column = totals[0]
    row = spec.rows[0].key
    value = _cell_value(report, T4, row, column.key)
    if value is None:
        return []
    outcomes = [c for c in _t4_columns(report, REVIEW_WORD) if c is not column]
    added = sum((number(_cell(report, row, c.key)) for c in outcomes), start=0)
    findings: list[Finding] = []
    done: set[tuple[str, str]] = set()
    for passage, _, clause in all_clauses(report):
        if "公开" not in clause or REVIEW_WORD not in clause:
            continue  # _stated_reviews matches only around 行政复议
        if mentions_other_year(clause, report.year):
            continue
        for stated in _stated_reviews(clause):
            if stated in (value, added) or _seen(done, "X-3", str(stated)):
                continue
            findings.append(
                RULES["X-3"].finding(
                    cells=_refs(report, T4, [(row, column.key)]),
                    location=passage.at(clause),
                    quote=quote(clause),
                    stated=fmt_number(stated),
                    column=column.label,
                    value=fmt_number(value),
                )
            )
    return findings


def _cell(report: Report, row: str, column: str) -> Cell | None:
    found = report.tables.get(T4)
    got = found.row(row) if found else None
    return got.cell(column) if got else None


def _stated_reviews(clause: str) -> list[int | Decimal]:
    stated: list[int | Decimal] = []
    for m in _REVIEW_COUNT.finditer(clause):
        n = to_number(m.group("n"))
        if n is not None:
            stated.append(n)
    m2 = _REVIEW_COUNT_BEFORE.search(clause)
    if m2 is not None and "诉讼" not in m2.group("mid"):
        n = to_number(m2.group("n"))
        if n is not None:
            stated.append(n)
    return stated


# --- X-6 -------------------------------------------------------------------------------------


def _fees(report: Report) -> list[Finding]:
    r1 = _cell_value(report, T3, RECEIVED, TOTAL)
    r2 = _cell_value(report, T3, CARRIED_OVER, TOTAL)
    if r1 is None or r2 is None or r1 + r2 != 0:
        return []
    for passage, _, clause in all_clauses(report):
        if "处理费" not in clause:
            continue
        m = _FEE.search(clause)
        if m is None or re.search(_NEG + r"[^,;。]{0,4}收取", clause):
            continue
        amount = to_number(m.group("n"))
        if amount is None or amount <= 0 or mentions_other_year(clause, report.year):
            continue
        return [
            RULES["X-6"].finding(
                cells=_refs(report, T3, [(RECEIVED, TOTAL), (CARRIED_OVER, TOTAL)]),
                location=passage.at(clause),
                quote=quote(clause),
                amount=f"{fmt_number(amount)}{m.group('u')}",
            )
        ]
    return []


# --- X-8 -------------------------------------------------------------------------------------


def _documents(report: Report) -> list[Finding]:
    found = report.tables.get(T2)
    if found is None:
        return []
    spec = report.spec.table(T2)
    findings: list[Finding] = []
    done: set[tuple[str, str]] = set()
    for passage, _, clause in all_clauses(report):
        if "规章" not in clause and "规范性文件" not in clause:
            continue  # what _DOCUMENTS looks for
        if mentions_other_year(clause, report.year):
            continue
        for m in _DOCUMENTS.finditer(clause):
            what = m.group("what")
            if "规章" in m.group("mid") or "规范性文件" in m.group("mid"):
                continue  # 规章和规范性文件共N件: one number for two rows
            row = _t2_row(spec, what)
            stated = to_number(m.group("n"))
            got = found.row(row.key) if row else None
            if row is None or got is None or stated is None:
                continue
            keys = [c.key for c in spec.columns_for(row) if c.key in ISSUED_COLUMNS]
            values = [number(got.cell(k)) for k in keys]
            if not values or stated in values or _seen(done, "X-8", f"{row.key}{stated}"):
                continue
            shown = "、".join(
                f"{spec.column(row, k).label}{fmt_number(v)}"
                for k, v in zip(keys, values, strict=True)
            )
            findings.append(
                RULES["X-8"].finding(
                    cells=[cell_ref(spec, row, spec.column(row, k), got.cell(k)) for k in keys],
                    location=passage.at(clause),
                    quote=quote(clause),
                    what=what,
                    stated=fmt_number(stated),
                    row=row.label,
                    values=shown,
                )
            )
    return findings


def _t2_row(spec: formats.Table, word: str) -> formats.Row | None:
    """The table 二 row the text names, by the format's own label or variants."""
    for row in spec.rows:
        if word == row.label or word in row.variants:
            return row
    return None
