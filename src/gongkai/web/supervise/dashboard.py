"""The supervisor's dashboard (``/supervise/``): roll-ups and charts of the reports collected."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import supervisor_required


@supervisor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "supervise/dashboard.html", {})
