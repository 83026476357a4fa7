"""Helpers of the public-side tests: read the form's challenge as a person would (the question
in words, not the server's secret), and fill in a valid application."""

from __future__ import annotations

import html
import re
from typing import Any

from django.test import Client

from gongkai.web.public.challenge import read_number

PERSON = {
    "applicant_type": "natural",
    "name": "欧阳明远",
    "id_type": "resident",
    "id_number": "11010519491231002X",
    "phone": "138 0013 5790",
    "email": "oyang@example.com",
    "address": "示范区白杨街7号",
    "postcode": "310000",
    "description": "示范区2025年城市更新专项资金分配方案",
    "requested_form": "email",
    "purpose": "",
}


def solve(page: str) -> tuple[str, str]:
    """(token, answer) of the challenge on ``page``."""
    token = re.search(r'name="token" value="([^"]+)"', page)
    question = re.search(
        r'<span class="question" id="question">(.+?)(加上|减去)(.+?)等于几？</span>', page
    )
    assert token and question, "no challenge on the page"
    a, b = read_number(question.group(1)), read_number(question.group(3))
    assert a is not None and b is not None
    answer = a + b if question.group(2) == "加上" else a - b
    return html.unescape(token.group(1)), str(answer)


def apply(client: Client, agency: int, **fields: Any) -> Any:
    """GET the form, answer its question, POST the application; the POST's response."""
    url = f"/public/agencies/{agency}/apply/"
    token, answer = solve(client.get(url).content.decode())
    data = {**PERSON, "token": token, "answer": answer, "website": "", **fields}
    return client.post(url, data)


def code_of(response: Any) -> str:
    m = re.search(
        r'<strong class="code" id="code">([A-Z0-9-]+)</strong>', response.content.decode()
    )
    assert m, response.content.decode()[:3000]
    return m.group(1)
