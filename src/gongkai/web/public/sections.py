"""Links other apps add to an agency's public home page, without this app importing them.

An app registers a function ``(organisation) -> list[(label, url)]`` in its ``AppConfig.ready``::

    from gongkai.web.public.sections import register
    register(lambda org: [(f"{r.year}年年度报告", reverse("reports:public", args=[r.pk]))
                          for r in published_reports(org)])

The catalogue needs no registration: the page links ``public_catalogue:list`` whenever that URL
name resolves.
"""

from __future__ import annotations

from collections.abc import Callable

from ..orgs.models import Organisation

Provider = Callable[[Organisation], list[tuple[str, str]]]
PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def links(org: Organisation) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for provider in PROVIDERS:
        out.extend(provider(org))
    return out
