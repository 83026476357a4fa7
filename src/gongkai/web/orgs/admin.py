"""The admin's view of organisations, memberships and API tokens (a token's key is shown
once, by ``gongkai token``; the admin can only list and revoke tokens)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Membership, Organisation, Token


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent", "supervisor", "successor", "path")
    list_filter = ("level",)
    search_fields = ("name",)
    autocomplete_fields = ("parent", "supervisor", "successor")
    readonly_fields = ("path",)
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "role")
    list_filter = ("role", "organisation")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ("user", "organisation")
    list_select_related = ("user", "organisation")


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin):
    list_display = ("user", "name", "created", "last_used")
    list_filter = ("created",)
    search_fields = ("user__username", "name")
    readonly_fields = ("user", "created", "last_used")
    fields = ("user", "name", "created", "last_used")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # `gongkai token USER` issues one and shows its key once

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
