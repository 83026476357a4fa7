from __future__ import annotations

from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "gongkai.web.public"
    label = "public"
    verbose_name = "政府信息公开（公众端）"
