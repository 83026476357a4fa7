"""Checks and masks of an applicant's identity and contact details (pure Python, no Django).

* 居民身份证号码: 18 characters, the last a check character (GB 11643-1999, ISO 7064 MOD 11-2);
* 统一社会信用代码: 18 characters from 31 letters and digits, the last a check character
  (GB 32100-2015, MOD 31);
* telephone numbers are compared by their digits only (spaces, dashes, brackets and a leading
  +86 / 86 do not matter), so that the number typed on the tracking page matches the one typed
  on the form however it was written.
"""

from __future__ import annotations

import re
import unicodedata

from gongkai.register.catalogue import USCC_ALPHABET, uscc_ok

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def clean(text: str) -> str:
    """Full-width digits, letters and punctuation as ASCII (NFKC), surrounding space removed."""
    return unicodedata.normalize("NFKC", text).strip()


def id_card_problem(number: str) -> str | None:
    """Why ``number`` is not a valid 18-digit 居民身份证号码, or None."""
    n = clean(number).upper().replace(" ", "")
    if not re.fullmatch(r"\d{17}[\dX]", n):
        return "居民身份证号码应为18位（最后一位可以是 X）"
    total = sum(int(c) * w for c, w in zip(n[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != n[17]:
        return "居民身份证号码的校验位不对，请核对是否输错"
    return None


def uscc_problem(code: str) -> str | None:
    """Why ``code`` is not a valid 统一社会信用代码, or None."""
    c = clean(code).upper().replace(" ", "")
    if len(c) != 18 or any(ch not in USCC_ALPHABET for ch in c):
        return "统一社会信用代码应为18位数字或大写字母（不含 I、O、S、V、Z）"
    if not uscc_ok(c):  # the check character (GB 32100-2015, MOD 31)
        return "统一社会信用代码的校验位不对，请核对是否输错"
    return None


def phone_digits(phone: str) -> str:
    """The digits of a telephone number, without a leading +86 / 0086 / 86 before a mobile."""
    d = re.sub(r"\D", "", clean(phone))
    for prefix in ("0086", "86"):
        if d.startswith(prefix) and len(d) - len(prefix) == 11 and d[len(prefix)] == "1":
            return d[len(prefix) :]
    return d


def phone_problem(phone: str) -> str | None:
    text = clean(phone)
    if re.search(r"[^\d\s\-+()]", text):
        return "联系电话只能包含数字、空格、“-”、“+”和括号"
    n = len(phone_digits(text))
    if n < 7 or n > 15:
        return "联系电话应为7至15位数字（手机号码或带区号的固定电话）"
    return None


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``: enough for its owner to recognise it."""
    d = phone_digits(phone)
    if len(d) <= 4:
        return "*" * len(d)
    head = 3 if len(d) >= 10 else 0
    return d[:head] + "*" * (len(d) - head - 4) + d[-4:]
