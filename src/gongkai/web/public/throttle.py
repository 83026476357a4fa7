"""Rate limits per client address for the public side, counted in Django's cache (a file cache
in the data directory in production, shared by the gunicorn workers).

``PUBLIC_RATE_LIMITS`` in the settings maps a bucket to ``(requests, seconds)``; the defaults
are :data:`DEFAULTS`. The online form and ``POST /api/v1/public/applications`` share the
``apply`` bucket, the tracking page and ``GET /api/v1/public/applications/{code}`` the ``track``
bucket. Fixed windows: the count resets ``seconds`` after the window's first request.

The address is ``REMOTE_ADDR``; behind a reverse proxy set ``PUBLIC_CLIENT_ADDRESS_HEADER`` (e.g.
``"HTTP_X_REAL_IP"``) to the header the proxy sets — only then, since clients can forge it.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

DEFAULTS: dict[str, tuple[int, int]] = {
    "apply": (10, 3600),  # 10 submissions (or attempts) per address per hour
    "track": (30, 600),  # 30 look-ups per address per 10 minutes
}


def limit(bucket: str) -> tuple[int, int]:
    configured = getattr(settings, "PUBLIC_RATE_LIMITS", {}) or {}
    count, seconds = configured.get(bucket, DEFAULTS[bucket])
    return int(count), int(seconds)


def address(request: HttpRequest) -> str:
    header = getattr(settings, "PUBLIC_CLIENT_ADDRESS_HEADER", None)
    if header and request.META.get(header):
        return str(request.META[header]).split(",")[0].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def hit(request: HttpRequest, bucket: str) -> int | None:
    """Count one request; the seconds to wait if it is over the limit, else None."""
    count, seconds = limit(bucket)
    now = int(time.time())
    window = now // seconds
    key = f"public-rate:{bucket}:{address(request)}:{window}"
    cache.add(key, 0, seconds)
    try:
        n = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        n = 1
    if n > count:
        return max(1, (window + 1) * seconds - now)
    return None


def message(wait: int) -> str:
    minutes = max(1, (wait + 59) // 60)
    return f"请求过于频繁，请 {minutes} 分钟后再试"
