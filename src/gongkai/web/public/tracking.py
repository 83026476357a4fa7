"""查询号: the code an online applicant tracks an application by.

12 characters from a 28-character alphabet without look-alikes (no 0/O, 1/I/L, S, U/V), drawn
by :mod:`secrets`: 28**12 ≈ 2.3·10**17 (57 bits), so codes cannot be guessed — and the tracking
page also wants the telephone number and is rate-limited. Shown as ``ABCD-EFGH-JKMN``; read back
case-insensitively, with or without dashes or spaces, full-width or not.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRTWXYZ"
LENGTH = 12


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(text: str) -> str:
    """The code as stored, from what the applicant typed: ``abcd efgh-jkmn`` → ``ABCDEFGHJKMN``."""
    t = unicodedata.normalize("NFKC", text).upper()
    return re.sub(r"[\s\-‐‑–—_·.]", "", t)


def display(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
