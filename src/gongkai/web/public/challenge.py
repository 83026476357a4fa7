"""The offline challenge of the online application form: a small arithmetic question written
out in Chinese words (「十二减去五等于几？」), answered in digits or Chinese numerals.

No third-party captcha service, no image, no script: the question is text in the form's
``<label>``, so a screen reader reads it like any other label (条例 第四十三条).

The form carries only a signed, timestamped nonce (:class:`django.core.signing.TimestampSigner`);
the two numbers are derived from the nonce with an HMAC under ``SECRET_KEY``, so the page does
not contain the answer in machine-readable form and the server keeps no state. The token expires
after ``PUBLIC_CHALLENGE_MAX_AGE`` seconds (default 3600). Each nonce creates at most one
application (it is the submission's idempotency key, unique in the database), so a replayed
form returns the application it already made.

What it does and does not stop: it stops generic form-spamming bots and accidental scripted
floods; a program written for this page can read the question. The rate limit per address
(:mod:`.throttle`) bounds that, and no online submission reaches the register before an officer
confirms it (条例 第三十一条).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

SALT = "gongkai.public.challenge"
DIGITS = "零一二三四五六七八九"


class ChallengeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Challenge:
    token: str
    question: str


def chinese_number(n: int) -> str:
    """0 … 99 in Chinese words: 七, 十二, 二十, 三十五."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def read_number(text: str) -> int | None:
    """An answer as typed: ``7``, ``７``, ``七``, ``十二``, ``二十``; None if it is not one."""
    t = re.sub(r"\s", "", unicodedata.normalize("NFKC", text))
    if re.fullmatch(r"\d{1,3}", t):
        return int(t)
    t = t.replace("两", "二").replace("〇", "零")
    m = re.fullmatch(r"([一二三四五六七八九])?(十)?([零一二三四五六七八九])?", t)
    if not t or m is None:
        return None
    tens, ten, ones = m.groups()
    if ten is None:  # a single digit (the regex puts it in the first group unless it is 零)
        digit = tens or ones
        return DIGITS.index(digit) if digit and not (tens and ones) else None
    return (DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(ones) if ones else 0)


def _terms(nonce: str) -> tuple[int, str, int, int]:
    h = hmac.new(settings.SECRET_KEY.encode(), f"{SALT}:{nonce}".encode(), hashlib.sha256)
    d = h.digest()
    a, b = 2 + d[0] % 19, 1 + d[1] % 9  # 2 … 20 and 1 … 9
    if d[2] % 2:
        return a, "加上", b, a + b
    a, b = max(a, b), min(a, b)
    return a, "减去", b, a - b


def question(nonce: str) -> str:
    a, op, b, _ = _terms(nonce)
    return f"{chinese_number(a)}{op}{chinese_number(b)}等于几？"


def issue() -> Challenge:
    nonce = secrets.token_urlsafe(16)
    token = signing.TimestampSigner(salt=SALT).sign(nonce)
    return Challenge(token, question(nonce))


def max_age() -> int:
    return int(getattr(settings, "PUBLIC_CHALLENGE_MAX_AGE", 3600))


def nonce_of(token: str) -> str:
    """The nonce of a token this server signed and that has not expired."""
    try:
        return str(signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age()))
    except signing.SignatureExpired:
        raise ChallengeError("验证题已过期，请回答下面的新题目") from None
    except signing.BadSignature:
        raise ChallengeError("验证题无效，请回答下面的新题目") from None


def verify(token: str, answer: str) -> str:
    """The nonce if ``answer`` is right; :class:`ChallengeError` (in Chinese) otherwise."""
    nonce = nonce_of(token)
    given = read_number(answer)
    if given is None:
        raise ChallengeError("请用数字（如 7）或汉字（如 七）填写验证题的答案")
    if given != _terms(nonce)[3]:
        raise ChallengeError("验证题的答案不对，请回答下面的新题目")
    return nonce
