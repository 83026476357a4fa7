"""Demo data of the public side: the 公开指南 of agencies A and B (version 1) and three online
applications to agency A — two awaiting confirmation, one confirmed into the register.
Idempotent: guides are added only to a body without one; applications are keyed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from . import guides, intake
from .models import SubmissionState

if TYPE_CHECKING:
    from ..demo import DemoOrgs

REMEDY = (
    "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，可以向示范区政务公开办"
    "投诉、举报（《中华人民共和国政府信息公开条例》第五十一条）；也可以自知道该行政行为之日起60日内"
    "向示范区人民政府申请行政复议（《中华人民共和国行政复议法》2023年修订，2024年1月1日起施行），"
    "或者自知道或者应当知道该行政行为之日起6个月内依法向人民法院提起行政诉讼。"
)
FEES = (
    "本机关依申请提供政府信息，不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，"
    "本机关可以依照《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）收取信息处理费，"
    "并在收费前书面告知收费依据、标准、数额和缴纳方式。"
)


def _guide(
    name: str,
    office: str,
    address: str,
    postcode: str,
    phone: str,
    fax: str,
    email: str,
    site: str,
    topics: str,
    fax_ok: bool,
) -> dict[str, Any]:
    return {
        "classification": (
            f"本机关主动公开的政府信息分为：机构职能、政策文件（含规范性文件）、规划计划、"
            f"{topics}、财政预决算、人事信息、政府信息公开年度报告等类别。"
        ),
        "arrangement": (
            "政府信息公开目录按主题分类编排，每条信息标注索引号、名称、内容概述、发布机构、"
            "成文日期、发布日期和文号；索引号由本机关统一社会信用代码、年份和流水号组成。"
        ),
        "access": (
            f"主动公开的政府信息通过{name}门户网站“政府信息公开”专栏、政府公报、"
            "政务新媒体和政务服务中心查阅点等途径公开，自信息形成或者变更之日起20个工作日内公开"
            "（《条例》第二十六条）。未主动公开的政府信息，可以依照本指南第三部分申请获取。"
        ),
        "office_name": office,
        "address": address,
        "postcode": postcode,
        "hours": "工作日上午9:00—12:00，下午13:30—17:00（法定节假日除外）",
        "phone": phone,
        "fax": fax,
        "email": email,
        "website": site,
        "channels": [
            {
                "kind": "in_person",
                "accepted": True,
                "note": f"在办公时间到{address}提交书面申请，工作人员当场出具回执。",
            },
            {
                "kind": "post",
                "accepted": True,
                "note": f"邮寄至{address}，邮编 {postcode}，"
                "请在信封左下角注明“政府信息公开申请”字样。",
            },
            {
                "kind": "online",
                "accepted": True,
                "note": "通过本网站在线申请，提交后获得查询号，可凭查询号和联系电话查询办理进度。",
            },
            {
                "kind": "email",
                "accepted": False,
                "note": "电子邮箱仅用于咨询，不受理以电子邮件提交的申请，请使用在线申请。",
            },
            {
                "kind": "fax",
                "accepted": fax_ok,
                "note": f"传真至 {fax}，并电话确认。" if fax_ok else "不受理传真申请。",
            },
            {"kind": "phone", "accepted": False, "note": "不受理电话申请，电话仅提供咨询。"},
        ],
        "fees": FEES,
        "remedy": REMEDY,
        "other": "申请人有阅读困难或者视听障碍的，本机关提供必要的帮助（《条例》第四十三条）。",
    }


GUIDES = {
    "agency_a": _guide(
        "示范区人民政府",
        "示范区人民政府办公室政务公开科",
        "示范区人民路1号区行政中心3号楼",
        "310000",
        "0571-88000001",
        "0571-88000002",
        "gongkai@shifan.example.gov.cn",
        "https://www.shifan.example.gov.cn/xxgk/",
        "重大行政决策、政府常务会议",
        True,
    ),
    "agency_b": _guide(
        "示范区教育局",
        "示范区教育局办公室",
        "示范区文教路8号",
        "310000",
        "0571-88000101",
        "",
        "jyj@shifan.example.gov.cn",
        "https://jyj.shifan.example.gov.cn/xxgk/",
        "学区划分与招生入学、教育收费",
        False,
    ),
}

APPLICATIONS = (
    (
        "demo-online-1",
        intake.Submission(
            applicant_type="natural",
            name="钱晓岚",
            phone="139 0571 2468",
            id_type="resident",
            id_number="330102198503120049",
            address="示范区梧桐路12号",
            postcode="310000",
            description="2025年示范区人民路拓宽工程的立项批复文件",
            requested_form="email",
            purpose="了解工程进度",
        ),
    ),
    (
        "demo-online-2",
        intake.Submission(
            applicant_type="commercial",
            name="示范晨光建材有限公司",
            phone="0571-86001234",
            uscc="91330106MA2B3C4D5D",
            legal_rep="孙立群",
            contact_person="郑佳怡",
            email="zheng@chenguang.example.com",
            description="示范区2025年政府采购意向公开目录",
            requested_form="email",
        ),
    ),
    (
        "demo-online-3",
        intake.Submission(
            applicant_type="natural",
            name="韩雪松",
            phone="13705718642",
            id_type="resident",
            id_number="330106199207081524",
            description="示范区2025年老旧小区改造计划及资金安排",
            requested_form="paper",
        ),
    ),
)


def load_public(orgs: DemoOrgs, *, today: dt.date | None = None) -> None:
    for key, data in GUIDES.items():
        org = getattr(orgs, key)
        if guides.current(org) is None:
            guides.save_version(org, data, None, on=today)
    officer = get_user_model().objects.filter(username="officer_a").first()
    for key, s in APPLICATIONS:
        app, _ = intake.submit(orgs.agency_a, s, key=key)
        if key == "demo-online-3" and app.state == SubmissionState.PENDING:
            # Submitted now (the real clock), so confirmed no earlier than now, even when the
            # demo is loaded "as of" an earlier day (第三十一条: the confirmation date).
            submitted = timezone.localdate(app.submitted_at)
            intake.confirm(app.pk, max(today or submitted, submitted), officer)
