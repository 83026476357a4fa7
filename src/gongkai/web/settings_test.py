"""Settings for the test suite: a throwaway data directory, in-memory SQLite (pytest-django's
default for SQLite), a fast password hasher. ``DATABASE_URL`` still switches to PostgreSQL."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("GONGKAI_DATA", tempfile.mkdtemp(prefix="gongkai-test-"))
os.environ.setdefault("GONGKAI_SECRET_KEY", "test-only-not-secret")

from .datadir import prepare
from .settings import *  # noqa: F403
from .settings import ALLOWED_HOSTS, DATA_DIR

prepare(DATA_DIR)

ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests run tasks at once, in the request (a test of the queue itself sets the database
# backend and runs the worker).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
