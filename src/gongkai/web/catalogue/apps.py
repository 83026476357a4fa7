from __future__ import annotations

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "gongkai.web.catalogue"
    label = "catalogue"
    verbose_name = "政府信息公开目录"
