"""Django's admin app with the site of :mod:`.adminsite` (superusers only). Kept apart from the
site: an app config module is imported before the models are ready."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class GongkaiAdminConfig(AdminConfig):
    default_site = "gongkai.web.adminsite.GongkaiAdminSite"
