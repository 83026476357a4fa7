"""``manage.py gongkai_worker``: the background worker of ``gongkai serve`` — django-tasks-db's
``db_worker`` (same options), after re-queueing the ingest jobs a killed worker left
unfinished (:func:`gongkai.web.supervise.tasks.recover`)."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands import db_worker

from ...tasks import recover


class Command(db_worker.Command):
    help = "运行后台任务（年报读取）：先把上次中断的读取任务重新排队，再处理队列"

    def handle(self, *args: Any, **options: Any) -> None:
        recover()
        super().handle(*args, **options)
