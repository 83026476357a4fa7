"""Copied text, section by section (rule DUP-1; 国办公开办函〔2021〕30号 warns against reports
that are “内容雷同”), with the batch's own similarity code: :mod:`gongkai.batch.similarity`'s
normalisation (digits masked, so changed numbers do not hide a copy), its character 5-gram
shingles, its exact Jaccard similarity and its threshold (``DEFAULT_COPY``).

Each section is compared with the same section of (1) the body's published report of the year
before and (2) every other body's report of the same year (its working text: only the other
body's name and the similarity are shown, never its text). A section shorter than
:data:`MIN_SECTION_CHARS` normalised characters is not compared: “本年度无其他需要报告的事项”
is the same every year by nature. The batch compares whole narratives of at least
``DEFAULT_COPY.min_chars``; a single section is shorter, hence the smaller floor here.
"""

from __future__ import annotations

from gongkai.batch.similarity import DEFAULT_COPY, RULE, jaccard, normalise_text, shingles
from gongkai.check import Finding
from gongkai.render.layout import CHINESE_NUMBERS
from gongkai.report import Report

from .models import AnnualReport

MIN_SECTION_CHARS = 50


def _shingles(text: str) -> object | None:
    norm = normalise_text(text)
    if len(norm) < MIN_SECTION_CHARS:
        return None
    return shingles(norm, DEFAULT_COPY.shingle)


def published_texts(organisation_id: int, year: int) -> dict[int, str] | None:
    """The six sections of the body's published report for ``year`` (its last published
    version), or None if there is none."""
    found = AnnualReport.objects.filter(organisation_id=organisation_id, year=year).first()
    version = found.published() if found else None
    if version is None:
        return None
    return {int(s["number"]): str(s["text"]) for s in version.payload().get("sections", [])}


def similarity(a: str, b: str) -> float | None:
    """The batch's Jaccard similarity of two texts, or None if either is too short."""
    sa, sb = _shingles(a), _shingles(b)
    if sa is None or sb is None:
        return None
    return float(jaccard(sa, sb))  # type: ignore[arg-type]


def findings(stored: AnnualReport, report: Report) -> list[Finding]:
    others: list[tuple[str, dict[int, str]]] = []
    last = published_texts(stored.organisation_id, stored.year - 1)
    if last:
        others.append((f"本机关{stored.year - 1}年度已发布的报告", last))
    peers = (
        AnnualReport.objects.filter(year=stored.year)
        .exclude(organisation_id=stored.organisation_id)
        .select_related("organisation")
    )
    for peer in peers:
        others.append(
            (
                f"{peer.organisation.name}{peer.year}年度报告",
                {int(k): str(v) for k, v in peer.sections.items()},
            )
        )
    out: list[Finding] = []
    threshold = DEFAULT_COPY.threshold
    for section in report.sections:
        mine = _shingles(section.text)
        if mine is None:
            continue
        for name, texts in others:
            theirs = _shingles(texts.get(section.number, ""))
            if theirs is None:
                continue
            score = float(jaccard(mine, theirs))  # type: ignore[arg-type]
            if score >= threshold:
                part = CHINESE_NUMBERS[section.number - 1]
                out.append(
                    Finding(
                        rule=RULE.id,
                        severity=RULE.severity,
                        message=(
                            f"第{part}部分「{section.heading}」与{name}的同一部分高度雷同："
                            f"相似度{score:.0%}（阈值{threshold:.0%}；5字片段杰卡德相似度，"
                            "数字不计）。请按本年度的实际情况撰写，避免内容雷同"
                        ),
                        source=RULE.source,
                        location=section.location,
                    )
                )
    return out
