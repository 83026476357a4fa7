"""Demo data for ``gongkai serve --demo``: a 区 with two agencies and its 政务公开办, five
accounts, two years of generated applications (last year complete, this year in progress), and
each agency's proactive-disclosure catalogue (:func:`load_catalogue`).

Histories are made by the register itself (:class:`gongkai.register.cases.Application` checks
every event), so every demo case is legal by construction; rows go in with ``bulk_create`` in
batches, so 100 000 cases load in well under a minute. Loading is idempotent.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Max, Model
from django.utils import timezone

from gongkai.errors import GongkaiError
from gongkai.formats import CellType
from gongkai.register.cases import (
    ApplicantType,
    Application,
    Channel,
    due_date,
)
from gongkai.register.catalogue import (
    Disclosure,
    DocKind,
    ItemData,
    ReviewState,
    ReviewStep,
    Validity,
    format_index,
    next_state,
    validate_item,
)
from gongkai.register.deadlines import WorkdayCalendar
from gongkai.register.table_two import entered_rows
from gongkai.workdays import default_calendar

from .cases.models import Case, CaseEvent
from .cases.register import derived, event_fields, format_number
from .catalogue import service as cat
from .catalogue.models import (
    CatalogueItem,
    CatalogueSettings,
    DecisionCount,
    IndexCounter,
    ItemEvent,
)
from .letters.demo import load_settings
from .orgs.models import Level, Membership, Organisation, Role

DEMO_PASSWORD = "gongkai-demo"
T = TypeVar("T")


@dataclass(frozen=True)
class DemoOrgs:
    district: Organisation
    agency_a: Organisation  # 区人民政府办公室
    agency_b: Organisation  # 区教育局
    office: Organisation  # 区政务公开办


# (username, role, which body, description); the admin is a superuser without membership.
ACCOUNTS: tuple[tuple[str, str | None, str, str], ...] = (
    ("officer_a", Role.OFFICER, "agency_a", "办理人员，区人民政府办公室"),
    ("reviewer_a", Role.REVIEWER, "agency_a", "审核人，区人民政府办公室"),
    ("officer_b", Role.OFFICER, "agency_b", "办理人员，区教育局"),
    ("supervisor", Role.SUPERVISOR, "district", "区政务公开办，监督全区"),
    ("admin", None, "", "系统管理员（超级用户）"),
)


def _org(name: str, level: str, parent: Organisation | None, **extra: Any) -> Organisation:
    org, _ = Organisation.objects.get_or_create(
        name=name, parent=parent, defaults={"level": level, **extra}
    )
    return org


def load_orgs() -> DemoOrgs:
    """The demo tree: 示范省 → 示范市 → 示范区 → the two agencies and the 政务公开办."""
    with transaction.atomic():
        province = _org("示范省", Level.PROVINCE, None)
        city = _org("示范市", Level.CITY, province)
        district = _org("示范区", Level.COUNTY, city)
        office = _org("示范区政务公开办", Level.DEPARTMENT, district)
        a = _org("示范区人民政府办公室", Level.DEPARTMENT, district, supervisor=office)
        b = _org("示范区教育局", Level.DEPARTMENT, district, supervisor=office)
    return DemoOrgs(district, a, b, office)


def load_accounts(orgs: DemoOrgs, password: str = DEMO_PASSWORD) -> None:
    User = get_user_model()
    hashed = ""  # hashed once: the password is published anyway, and each hash costs ~0.5 s
    with transaction.atomic():
        for username, role, where, _ in ACCOUNTS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.password = hashed = hashed or make_password(password)
                user.is_superuser = user.is_staff = role is None
                user.save()
            if role is not None:
                Membership.objects.get_or_create(
                    user=user, organisation=getattr(orgs, where), role=role
                )


def demo_accounts_with_demo_password() -> list[str]:
    """The demo accounts that still have the published password (``serve`` refuses them)."""
    User = get_user_model()
    names = [a[0] for a in ACCOUNTS]
    return [
        u.username
        for u in User.objects.filter(username__in=names)
        if u.check_password(DEMO_PASSWORD)
    ]


# --- generated applications ---------------------------------------------------------------

Weighted = tuple[tuple[T, float], ...]

CHANNELS: Weighted[Channel] = (
    (Channel.ONLINE, 50),
    (Channel.POST, 25),
    (Channel.IN_PERSON, 14),
    (Channel.EMAIL, 6),
    (Channel.FAX, 1),
    (Channel.OTHER, 4),
)
APPLICANTS: Weighted[ApplicantType] = (
    (ApplicantType.NATURAL, 86),
    (ApplicantType.COMMERCIAL, 6),
    (ApplicantType.RESEARCH, 1),
    (ApplicantType.PUBLIC_INTEREST, 1),
    (ApplicantType.LEGAL_SERVICES, 4),
    (ApplicantType.OTHER, 2),
)
ANSWERS: Weighted[str] = (
    ("disclosed", 32),
    ("already_public", 14),
    ("partial", 10),
    ("not_held", 16),
    ("not_responsible", 8),
    ("needs_creation", 3),
    ("petition", 5),
    ("repeated", 3),
    ("third_party", 3),
    ("process_info", 3),
    ("internal_affairs", 2),
    ("publication", 1),
)
TOPICS = {
    "agency_a": (
        "{y}年区政府常务会议纪要",
        "某街道地块房屋征收补偿方案及批复文件",
        "{y}年区级财政预算执行情况",
        "区政府关于老旧小区改造的批复",
        "某道路拓宽工程立项审批文件",
        "区政府{y}年重大行政决策目录",
    ),
    "agency_b": (
        "{y}年义务教育学区划分方案",
        "某小学{y}年招生计划及录取结果",
        "{y}年教师招聘考试成绩及录用名单",
        "校外培训机构审批名单",
        "某中学新建校舍工程招标文件",
        "{y}年教育经费使用情况",
    ),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
COMPANIES = (
    "示范科技有限公司",
    "示范律师事务所",
    "示范研究院",
    "示范公益基金会",
    "示范商贸有限公司",
)


_CUMULATIVE: dict[Weighted[Any], tuple[list[Any], list[float]]] = {}


def _pick(rng: random.Random, weighted: Weighted[T]) -> T:
    """``rng.choices(values, weights)[0]`` (the same draw), without rebuilding the cumulative
    weights for each of 100 000 cases."""
    table = _CUMULATIVE.get(weighted)
    if table is None:
        table = _CUMULATIVE[weighted] = (
            [v for v, _ in weighted],
            list(itertools.accumulate(w for _, w in weighted)),
        )
    values, cum = table
    return values[bisect.bisect(cum, rng.random() * cum[-1], 0, len(cum) - 1)]


def _days(rng: random.Random, lo: int, hi: int) -> dt.timedelta:
    return dt.timedelta(days=rng.randint(lo, hi))


def _as_of(app: Application, today: dt.date) -> Application:
    """The case as it stands today (a history generated past today is cut)."""
    last = app.last_event_on
    return app if last is None or last <= today else app.as_of(today)


def history(
    rng: random.Random,
    number: str,
    received: dt.date,
    today: dt.date,
    calendar: WorkdayCalendar | None = None,
) -> Application:
    """A realistic history, then cut at ``today`` (a case of this year may still be open)."""
    app = Application(number, channel=_pick(rng, CHANNELS), applicant=_pick(rng, APPLICANTS))
    app.receive(received)
    day = received
    roll = rng.random()
    if roll < 0.015:  # forgotten: still open, overdue — what the overdue list is for
        return app
    if roll < 0.045:
        app.withdraw(day + _days(rng, 1, 10))
        return _as_of(app, today)
    if roll < 0.125:
        day += _days(rng, 1, 7)
        app.request_supplement(day, note="请补充所需信息的文号或特征性描述")
        if rng.random() < 0.2:
            app.supplement_overdue(day + _days(rng, 20, 30))
            return _as_of(app, today)
        day += _days(rng, 2, 12)
        app.receive_supplement(day)
    if rng.random() < 0.05:
        day += _days(rng, 1, 5)
        app.start_consultation(day, note="征求第三方意见")
        day += _days(rng, 5, 20)
        app.consultation_answered(day)
    if rng.random() < 0.09:
        day += _days(rng, 10, 20)
        app.extend(day, rng.choice((10, 15, 20)), by="办公室主任", note="需调档查阅")
    if rng.random() < 0.02:
        day += _days(rng, 1, 5)
        app.notify_fee(day, Decimal(rng.choice((100, 200, 400))))
        if rng.random() < 0.25:
            app.fee_not_paid(day + _days(rng, 30, 40))
            return _as_of(app, today)
        day += _days(rng, 1, 15)
        app.fee_paid(day)
    try:
        deadline = due_date(app, calendar=calendar)
    except GongkaiError:  # a year the calendar does not cover yet
        deadline = None
    last = deadline.due if deadline else day + dt.timedelta(days=28)
    # Most answers come inside the period; about one in twenty is late.
    answered = last + _days(rng, 1, 10) if rng.random() < 0.05 else last - _days(rng, 0, 20)
    app.answer(max(answered, day), _pick(rng, ANSWERS))
    return _as_of(app, today)


def _applicant(rng: random.Random, app: Application) -> tuple[str, str, str]:
    phone = f"1{rng.randint(30, 89)}{rng.randint(0, 99999999):08d}"
    if app.applicant is ApplicantType.NATURAL:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(("", *GIVEN))
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 20000))
        ident = f"3301{rng.randint(1, 99):02d}{birth:%Y%m%d}{rng.randint(0, 9999):04d}"
        return name, phone, ident
    return rng.choice(COMPANIES), phone, f"91330100MA{rng.randint(0, 99999999):08d}"


def plan(n: int, today: dt.date, seed: int = 0) -> Iterator[tuple[str, int, int, Application]]:
    """``n`` applications over last year and this year (to ``today``), half per agency:
    (agency key, year, seq, history), numbered per agency and year in order of receipt."""
    rng = random.Random(seed)
    cal = default_calendar()
    first = dt.date(today.year - 1, 1, 1)
    span = (today - first).days
    for k, agency in enumerate(("agency_a", "agency_b")):
        count = n // 2 + (n % 2 if k == 0 else 0)
        days = sorted(first + dt.timedelta(days=rng.randint(0, span)) for _ in range(count))
        seqs: dict[int, int] = {}
        for received in days:
            seqs[received.year] = seq = seqs.get(received.year, 0) + 1
            yield (
                agency,
                received.year,
                seq,
                history(rng, format_number(received.year, seq), received, today, cal),
            )


def load_cases(
    orgs: DemoOrgs,
    n: int,
    *,
    today: dt.date | None = None,
    batch: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert ``n`` generated cases unless the demo agencies already have cases. Returns how
    many were inserted."""
    if Case.objects.filter(organisation__in=[orgs.agency_a, orgs.agency_b]).exists():
        return 0
    today = today or dt.date.today()
    rng = random.Random(1)
    done = 0
    cases: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []

    cal = default_calendar()
    case_id, event_id = ((m.objects.aggregate(m=Max("id"))["m"] or 0) for m in (Case, CaseEvent))
    insert_cases, insert_events = _Inserter(Case), _Inserter(CaseEvent)

    def flush() -> None:
        nonlocal done
        with transaction.atomic():
            insert_cases(cases)
            insert_events(events)
        done += len(cases)
        cases.clear()
        events.clear()
        if progress:
            progress(done)

    for agency, year, seq, app in plan(n, today):
        name, contact, ident = _applicant(rng, app)
        topic = rng.choice(TOPICS[agency]).format(y=year - rng.randint(0, 2))
        assert app.received is not None
        case_id += 1
        cases.append(
            {
                "id": case_id,
                "organisation_id": getattr(orgs, agency).pk,
                "year": year,
                "seq": seq,
                "number": app.id,
                "channel": app.channel.value,
                "applicant_type": app.applicant.value,
                "applicant_name": name,
                "applicant_contact": contact,
                "applicant_id_number": ident,
                "description": f"申请公开{topic}",
                "requested_form": rng.choice(("paper", "email", "email", "disc", "inspect")),
                "received": app.received,
                "version": len(app.events),
                **derived(app, cal),
            }
        )
        for i, e in enumerate(app.events, start=1):
            event_id += 1
            events.append({"id": event_id, "case_id": case_id, "seq": i, **event_fields(e)})
        if len(cases) >= batch:
            flush()
    if cases:
        flush()
    _reset_sequences()
    return done


_INTEGER_FIELDS = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


class _Inserter:
    """A plain multi-row INSERT of plain rows (field attname → value). ``bulk_create`` builds
    a model instance per row and compiles SQL per value, which cost most of a 100 000-case
    load; here each value still goes through its field's own conversion for the database
    (``get_db_prep_save``), memoised for the values that repeat (dates, numbers, choices).
    A field missing from a row gets its default (``auto_now_add``: one "now" for the load)."""

    def __init__(self, model: type[Model]) -> None:
        # The wrapper itself: every attribute of the ``connection`` proxy is a thread-local
        # lookup, which is most of the cost of a conversion.
        self.connection = connection = connections[DEFAULT_DB_ALIAS]
        self.fields = list(model._meta.concrete_fields)
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        marks = ", ".join(["%s"] * len(self.fields))
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
        now = timezone.now()
        self.missing = [
            f.get_db_prep_save(
                now if getattr(f, "auto_now_add", False) else f.get_default(), connection
            )
            for f in self.fields
        ]
        self.memo: list[dict[Any, Any]] = [{} for _ in self.fields]
        # Integer and text fields store a Python int or str as it is (their get_prep_value
        # is int() or the string itself): no call needed for those.
        self.plain = [self._plain_type(f) for f in self.fields]

    @staticmethod
    def _plain_type(field: Any) -> type | None:
        target = field.target_field if field.is_relation else field
        kind = target.get_internal_type()
        if kind in _INTEGER_FIELDS:
            return int
        if kind in ("CharField", "TextField") and not field.is_relation:
            return str
        return None

    def column(self, i: int, values: list[Any]) -> list[Any]:
        plain = self.plain[i]
        if plain is not None and set(map(type, values)) == {plain}:
            return values
        memo = self.memo[i]
        field, conn = self.fields[i], self.connection
        out = []
        for v in values:
            if plain is not None and type(v) is plain:
                out.append(v)
                continue
            try:
                out.append(memo[v])
            except KeyError:
                memo[v] = prepared = field.get_db_prep_save(v, conn)
                out.append(prepared)
        return out

    def __call__(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = []
        for i, f in enumerate(self.fields):
            if f.attname in rows[0]:
                columns.append(self.column(i, [row[f.attname] for row in rows]))
            else:
                columns.append([self.missing[i]] * len(rows))
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, list(zip(*columns, strict=True)))


def _reset_sequences() -> None:
    """Explicit ids leave PostgreSQL's sequences behind; put them past the new rows."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def load(n: int, **kwargs: Any) -> tuple[DemoOrgs, int]:
    from .appeals.demo import load_appeals
    from .public.demo import load_public
    from .reports.demo import load_reports
    from .supervise.demo import load_rounds
    from .supervise.demo_reports import load_ingested

    orgs = load_orgs()
    load_accounts(orgs)
    load_settings(orgs)
    inserted = load_cases(orgs, n, **kwargs)
    load_public(orgs, today=kwargs.get("today"))
    load_appeals(orgs, today=kwargs.get("today"))
    load_catalogue(orgs, today=kwargs.get("today"))
    load_reports(orgs.agency_a, orgs.office, kwargs.get("today"))
    load_rounds(orgs)
    load_ingested(orgs)
    return orgs, inserted


# --- the proactive-disclosure catalogue ----------------------------------------------------

CATALOGUE_CODES = {"agency_a": "11330100000000001L", "agency_b": "11330100000000002P"}
# (title, genre, topic, kind, 第二十条 item, 发文代字) per agency; {y} is the year, {n} a number.
CATALOGUE_TITLES = {
    "agency_a": (
        (
            "示范区人民政府办公室关于印发{y}年政务公开工作要点的通知",
            "通知",
            "综合政务",
            "normative",
            "i1",
            "示政办发",
        ),
        (
            "示范区老旧小区改造项目管理办法",
            "办法",
            "城乡建设、环境保护",
            "normative",
            "i1",
            "示政办发",
        ),
        (
            "示范区行政事业性收费项目目录（{y}年）",
            "公告",
            "财政、金融、审计",
            "other",
            "i8",
            "示政办",
        ),
        ("示范区{y}年财政预算执行情况", "报告", "财政、金融、审计", "other", "i7", ""),
        ("示范区{y}年重大行政决策事项目录", "通知", "综合政务", "other", "i3", "示政办"),
        (
            "示范区突发事件总体应急预案（{y}年修订）",
            "通知",
            "公安、安全、司法",
            "other",
            "i12",
            "示政办发",
        ),
        (
            "示范区区级政府投资项目管理规定",
            "规定",
            "国民经济管理、国有资产监管",
            "normative",
            "i1",
            "示政办发",
        ),
        ("示范区人民政府办公室机构职能及联系方式", "其他", "国务院组织机构", "other", "i2", ""),
        (
            "关于{y}年度区级政府集中采购目录及限额标准的通知",
            "通知",
            "财政、金融、审计",
            "other",
            "i9",
            "示政办",
        ),
        ("示范区某道路拓宽工程立项批复", "批复", "工业、交通", "other", "i10", "示政办复"),
        ("区政府常务会议纪要（第{n}次）", "纪要", "综合政务", "other", "i15", ""),
        (
            "示范区安全生产监督检查情况通报",
            "通报",
            "市场监管、安全生产监管",
            "other",
            "i13",
            "示政办",
        ),
    ),
    "agency_b": (
        (
            "示范区{y}年义务教育阶段学校招生入学工作实施意见",
            "意见",
            "科技、教育",
            "normative",
            "i1",
            "示教发",
        ),
        ("示范区校外培训机构管理办法", "办法", "科技、教育", "normative", "i1", "示教发"),
        ("示范区{y}年教师招聘公告", "公告", "劳动、人事、监察", "other", "i14", ""),
        ("示范区{y}年教育经费使用情况", "报告", "财政、金融、审计", "other", "i7", ""),
        ("示范区学区划分方案（{y}年）", "通知", "科技、教育", "other", "i11", "示教发"),
        ("示范区校园食品安全检查情况", "通报", "卫生、体育", "other", "i13", "示教"),
        ("示范区教育局行政许可事项办理结果", "公告", "科技、教育", "other", "i5", ""),
    ),
}


def load_catalogue(orgs: DemoOrgs, *, today: dt.date | None = None) -> int:
    """About 70 items per agency over the two years before ``today`` and this one (a few
    older 规范性文件 too, so that 现行有效 exceeds 本年制发), some repealed, expired or amended;
    most published through the three review steps, some still in review. Also the entered
    table 二 counts of agency A for last year, so that its table 二 is complete. Returns the
    number of items inserted; an agency that already has items is left alone."""
    today = today or dt.date.today()
    User = get_user_model()
    rng = random.Random(7)
    done = 0
    for key, reviewer_name in (("agency_a", "reviewer_a"), ("agency_b", "officer_b")):
        org = getattr(orgs, key)
        reviewer = User.objects.filter(username=reviewer_name).first()
        if not CatalogueSettings.objects.filter(organisation=org).exists():
            cat.save_settings(org, CATALOGUE_CODES[key], "{code}/{year}-{serial:05d}", 0, None)
        if CatalogueItem.objects.filter(organisation=org).exists():
            continue
        plan: list[dt.date] = []
        for year, count in ((today.year - 3, 3), (today.year - 2, 6), (today.year - 1, 35)):
            plan += [dt.date(year, 1, 1) + _days(rng, 0, 364) for _ in range(count)]
        start = dt.date(today.year, 1, 1)
        plan += [start + _days(rng, 0, max((today - start).days, 0)) for _ in range(26)]
        conf = CatalogueSettings.objects.get(organisation=org)
        counters = dict(IndexCounter.objects.filter(organisation=org).values_list("year", "last"))
        rows: list[tuple[CatalogueItem, list[ItemEvent]]] = []
        for n, written in enumerate(sorted(plan), start=1):
            title, genre, topic, kind, article, prefix = rng.choice(CATALOGUE_TITLES[key])
            if written.year < today.year - 1:  # the older ones: documents still counted
                title, genre, topic, kind, article, prefix = CATALOGUE_TITLES[key][1]
            published = min(written + _days(rng, 1, 15), today)
            validity = effective = ended = None
            if kind != DocKind.OTHER:
                effective = written + _days(rng, 0, 30)
                roll = rng.random()
                validity = Validity.IN_FORCE
                if roll < 0.2 and effective + dt.timedelta(days=60) <= today:
                    validity = rng.choice((Validity.REPEALED, Validity.EXPIRED))
                    ended = min(effective + _days(rng, 60, 500), today)
                elif roll < 0.3:
                    validity = Validity.AMENDED
            disclosure = Disclosure.PROACTIVE
            if kind == DocKind.OTHER and rng.random() < 0.08:
                disclosure = rng.choice((Disclosure.ON_REQUEST, Disclosure.WITHHELD))
            data = ItemData(
                title=title.format(y=written.year, n=n),
                summary=f"{title.format(y=written.year, n=n)}的主要内容。"[:100],
                doc_no=f"{prefix}〔{written.year}〕{n}号" if prefix else "",
                written=written,
                published=published if disclosure is Disclosure.PROACTIVE else None,
                publisher=org.name,
                topic=topic,
                genre=genre,
                kind=DocKind(kind),
                article20=article,
                disclosure=disclosure,
                validity=validity,
                effective=effective,
                ended=ended,
            )
            # Most are through review; of this year's, some are still waiting.
            steps = (
                3
                if written < today - dt.timedelta(days=20) or rng.random() < 0.6
                else rng.randint(0, 2)
            )
            if disclosure is not Disclosure.PROACTIVE:
                steps = min(steps, 2)
            counters[written.year] = serial = counters.get(written.year, 0) + 1
            number = format_index(conf.rule, conf.code, written, serial)
            rows.append(_demo_item(org, number, data, steps, published, reviewer))
        with transaction.atomic():
            CatalogueItem.objects.bulk_create([item for item, _ in rows])
            for item, events in rows:
                for e in events:
                    e.item = item
            ItemEvent.objects.bulk_create([e for _, events in rows for e in events])
            for year, last in counters.items():
                IndexCounter.objects.update_or_create(
                    organisation=org, year=year, defaults={"last": last}
                )
        done += len(rows)
    _demo_decisions(orgs, today)
    return done


def _demo_item(
    org: Organisation, number: str, data: ItemData, steps: int, day: dt.date, reviewer: Any
) -> tuple[CatalogueItem, list[ItemEvent]]:
    """One item and its history, built in memory (two bulk inserts load them all): valid by
    the library's rules, its review steps walked through the library's transition table."""
    problems = validate_item(data)
    assert not problems, problems  # the demo's own data: a bug here, not bad input
    assert data.written is not None
    item = CatalogueItem(organisation=org, index_no=number, version=1 + steps)
    for name in cat.FIELDS:
        value = getattr(data, name)
        setattr(item, name, value.value if hasattr(value, "value") else value)

    def at(d: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(d, dt.time(hour, 30)))

    events = [ItemEvent(seq=1, kind=ItemEvent.Kind.CREATED, at=at(data.written, 16))]
    state = ReviewState.DRAFT
    for i, step in enumerate(list(ReviewStep)[:steps]):
        after = next_state(state, step, data.disclosure)
        at_field, by_field, kind = cat.STEP_FIELDS[step]
        setattr(item, at_field, at(day, 9 + i))
        setattr(item, by_field, reviewer)
        changes = {"state": [state.value, after.value]}
        events.append(
            ItemEvent(seq=i + 2, kind=kind, at=at(day, 9 + i), by=reviewer, changes=changes)
        )
        state = after
    item.state = state.value
    return item, events


def _demo_decisions(orgs: DemoOrgs, today: dt.date) -> bool:
    """Agency A's entered table 二 rows for last year (when not yet entered)."""
    year = today.year - 1
    if DecisionCount.objects.filter(organisation=orgs.agency_a, year=year).exists():
        return False
    spec = cat.format_for(year).table("t2")
    rng = random.Random(year)
    raw: dict[str, dict[str, Any]] = {}
    for row in entered_rows(spec):
        for column in spec.columns_for(row):
            if column.type is CellType.AMOUNT:
                value: Any = Decimal(rng.randint(0, 500000)) / 10000
            elif column.type is CellType.SIGNED:
                value = rng.randint(-3, 3)
            else:
                value = rng.randint(0, 60)
            raw.setdefault(row.key, {})[column.key] = str(value)
    cat.save_decisions(orgs.agency_a, year, raw, "演示数据：取自本机关行政执法台账", 0, None)
    return True
