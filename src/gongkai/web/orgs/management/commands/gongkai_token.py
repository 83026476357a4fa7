"""``gongkai-manage gongkai_token USER [--name …]``: issue an API token and print it once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.web.orgs.models import Token


class Command(BaseCommand):
    help = "为用户生成接口令牌（只显示一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户「{options['username']}」")
        _, key = Token.issue(user, options["name"])
        self.stdout.write(key)
