from __future__ import annotations

from django.apps import AppConfig


class SuperviseConfig(AppConfig):
    name = "gongkai.web.supervise"
    label = "supervise"
    verbose_name = "年报报送与核查（公开办）"
