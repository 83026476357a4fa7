"""docs/rules.md documents every rule the checker and the batch can emit, with the same
severity."""

from __future__ import annotations

import re
from pathlib import Path

from gongkai import formats
from gongkai.batch.crossyear import RULES as CROSS_YEAR_RULES
from gongkai.batch.similarity import RULE as COPY_RULE
from gongkai.check.rules import NOT_CHECKED, RULES, all_rules

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"
RULE_ID = re.compile(r"^[A-Z]+\d*-\d+[a-z]?$")


def documented() -> dict[str, str]:
    """id -> severity, from every table row of docs/rules.md whose first cell is a rule id."""
    found: dict[str, str] = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            continue
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and RULE_ID.match(cells[0]):
            assert cells[0] not in found, f"{cells[0]} is listed twice in docs/rules.md"
            found[cells[0]] = cells[1]
    return found


def ids_in_code() -> dict[str, str]:
    ids = {r.id: r.severity for r in all_rules().values()}
    # The rules only a batch can apply (two reports): cross-year checks and copy detection.
    ids.update({r.id: r.severity for r in (*CROSS_YEAR_RULES.values(), COPY_RULE)})
    for fmt in formats.FORMATS.values():
        for ident in fmt.identities:
            ids[ident.id] = ident.severity
        for table in fmt.tables:
            if table.type_rule:
                assert table.type_rule in RULES, f"type rule {table.type_rule} not registered"
                ids[table.type_rule] = RULES[table.type_rule].severity
    return ids


def test_every_rule_in_code_is_documented_with_its_severity() -> None:
    docs = documented()
    code = ids_in_code()
    missing = sorted(set(code) - set(docs))
    assert not missing, f"rule ids used in code but missing from docs/rules.md: {missing}"
    wrong = {k: (code[k], docs[k]) for k in code if docs[k] != code[k]}
    assert not wrong, f"severity in code vs docs/rules.md: {wrong}"


def test_docs_list_no_rule_the_code_does_not_have() -> None:
    docs = documented()
    code = ids_in_code()
    unchecked = {k for k, v in docs.items() if v == "—"}
    assert unchecked == set(NOT_CHECKED), "the 未检查 table must match rules.NOT_CHECKED"
    extra = sorted(set(docs) - set(code) - unchecked)
    assert not extra, f"docs/rules.md lists ids the code does not have: {extra}"
    assert not set(NOT_CHECKED) & set(code), "a rule cannot be both checked and not checked"


def test_an_identity_id_has_one_severity_in_every_format() -> None:
    seen: dict[str, str] = {}
    for fmt in formats.FORMATS.values():
        for ident in fmt.identities:
            assert seen.setdefault(ident.id, ident.severity) == ident.severity, ident.id


def test_every_registered_template_has_a_group_and_a_source() -> None:
    for rule in RULES.values():
        assert rule.template and rule.source and rule.group, rule.id
