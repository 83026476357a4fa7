"""The interactive API docs page (``/api/v1/docs``): Swagger UI from the vendored
``swagger-ui-dist`` (static/gongkai/vendor/swagger-ui, see VENDORED.md), never a CDN. The
settings travel as a JSON data block and ``static/gongkai/api-docs.js`` starts Swagger UI, so
the page needs no inline script (the Content-Security-Policy forbids them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

SETTINGS = {
    "layout": "BaseLayout",
    "deepLinking": True,
    "validatorUrl": None,  # the default fetches a badge from validator.swagger.io
}


class OfflineSwagger(DocsBase):
    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {**SETTINGS, "url": self.get_openapi_url(api, kwargs)}
        return render(
            request,
            self.template,
            {"api": api, "swagger_settings": settings},  # json_script in the template
        )
