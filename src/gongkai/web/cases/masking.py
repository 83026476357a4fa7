"""Personal data shown in lists and the API is masked (ID numbers, phone numbers)."""

from __future__ import annotations


def mask_id(number: str) -> str:
    """``330102199001011234`` → ``3301**********1234``: the region prefix and the last four
    digits stay, enough to tell two applicants apart at a glance."""
    n = number.strip()
    if len(n) <= 8:
        return "*" * len(n)
    return n[:4] + "*" * (len(n) - 8) + n[-4:]
