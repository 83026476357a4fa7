"""Forms of the catalogue pages. Choices come from :mod:`gongkai.register.catalogue`; an
item's rules from :func:`~gongkai.register.catalogue.validate_item`; table 二's entry fields
from the year's format (:mod:`gongkai.formats`: rows, column labels, cell types)."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai import formats
from gongkai.formats import CellType
from gongkai.register.catalogue import (
    SUMMARY_MAX,
    Disclosure,
    DocKind,
    ItemData,
    Validity,
    normalise_doc_no,
    validate_item,
)
from gongkai.register.table_two import entered_rows

from .models import (
    ARTICLE_CHOICES,
    DISCLOSURE_CHOICES,
    GENRE_CHOICES,
    KIND_CHOICES,
    TOPIC_CHOICES,
    VALIDITY_CHOICES,
    CatalogueItem,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(forms.Form):
    organisation = forms.TypedChoiceField(label="机构", coerce=int, required=False)
    title = forms.CharField(label="名称", max_length=300)
    summary = forms.CharField(
        label=f"内容概述（不超过{SUMMARY_MAX}字）",
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": SUMMARY_MAX}),
    )
    doc_no = forms.CharField(
        label="发文字号", required=False, max_length=60, help_text="如 示政办发〔2024〕3号"
    )
    written = forms.DateField(label="成文日期", widget=DATE)
    published = forms.DateField(
        label="发布日期", required=False, widget=DATE, help_text="留空：发布时取发布当日"
    )
    publisher = forms.CharField(
        label="发布机构", required=False, max_length=200, help_text="标准全称；留空为本机关"
    )
    topic = forms.ChoiceField(label="主题分类", choices=TOPIC_CHOICES)
    genre = forms.ChoiceField(label="体裁分类", choices=GENRE_CHOICES)
    kind = forms.ChoiceField(label="文件类别（年报表二按此统计）", choices=KIND_CHOICES)
    article20 = forms.ChoiceField(label="《条例》第二十条事项", choices=ARTICLE_CHOICES)
    disclosure = forms.ChoiceField(label="公开属性", choices=DISCLOSURE_CHOICES)
    validity = forms.ChoiceField(
        label="有效性（规章、行政规范性文件）",
        required=False,
        choices=[("", "—"), *VALIDITY_CHOICES],
    )
    effective = forms.DateField(label="施行日期", required=False, widget=DATE)
    ended = forms.DateField(label="废止或失效日期", required=False, widget=DATE)
    url = forms.URLField(label="原文链接", required=False, max_length=500, assume_scheme="https")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args: Any, orgs: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if orgs:
            self.fields["organisation"].choices = orgs  # type: ignore[attr-defined]
            self.fields["organisation"].required = True
        else:
            del self.fields["organisation"]

    @classmethod
    def initial_for(cls, item: CatalogueItem) -> dict[str, Any]:
        names = [n for n in cls.base_fields if n not in ("organisation", "version")]
        return {**{n: getattr(item, n) for n in names}, "version": item.version}

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if self.errors:
            return d
        data = self.item_data()
        for p in validate_item(data):
            self.add_error(p.field if p.field in self.fields else None, p.message)
        return d

    def item_data(self) -> ItemData:
        d = self.cleaned_data
        return ItemData(
            title=d["title"].strip(),
            summary=d.get("summary", "").strip(),
            doc_no=normalise_doc_no(d.get("doc_no", "")),
            written=d["written"],
            published=d.get("published"),
            publisher=d.get("publisher", "").strip(),
            topic=d["topic"],
            genre=d["genre"],
            kind=DocKind(d["kind"]),
            article20=d["article20"],
            disclosure=Disclosure(d["disclosure"]),
            validity=Validity(d["validity"]) if d.get("validity") else None,
            effective=d.get("effective"),
            ended=d.get("ended"),
            url=d.get("url", ""),
        )


class SettingsForm(forms.Form):
    code = forms.CharField(
        label="机构代码（索引号前段码）",
        max_length=20,
        help_text="18位统一社会信用代码，或9位组织机构代码（如 12345678-9）",
    )
    rule = forms.CharField(
        label="索引号规则",
        max_length=100,
        help_text="可用 {code}（机构代码）{year}（成文年份）{month:02d}（月份）{serial:05d}"
        "（流水号）；须含 {year} 和 {serial}。已生成的索引号不受影响",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class UploadForm(forms.Form):
    organisation = forms.TypedChoiceField(label="导入到机构", coerce=int)
    file = forms.FileField(label="目录文件（.xlsx 或 .csv）")

    def __init__(self, *args: Any, orgs: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = orgs  # type: ignore[attr-defined]


def field_name(row: str, column: str) -> str:
    return f"{row}__{column}"


class DecisionForm(forms.Form):
    """One field per cell of table 二's entered rows in ``year``'s format, typed by the
    column's cell type: 件数 non-negative integers, 本年增/减 integers, 金额 万元 Decimals."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="数据来源说明", required=False, max_length=500)

    def __init__(self, *args: Any, fmt: formats.Format, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spec = fmt.table("t2")
        self.cells: list[tuple[formats.Row, formats.Column, str]] = []
        for row in entered_rows(spec):
            for column in spec.columns_for(row):
                name = field_name(row.key, column.key)
                label = f"{row.label} · {column.full_label}"
                field: forms.Field
                if column.type is CellType.AMOUNT:
                    field = forms.DecimalField(
                        label=label, min_value=0, max_digits=14, decimal_places=4, required=False
                    )
                elif column.type is CellType.SIGNED:
                    field = forms.IntegerField(label=label, required=False)
                else:
                    field = forms.IntegerField(label=label, min_value=0, required=False)
                self.fields[name] = field
                self.cells.append((row, column, name))

    def raw_values(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for row, column, name in self.cells:
            value = self.cleaned_data.get(name)
            out.setdefault(row.key, {})[column.key] = None if value is None else str(value)
        return out
