"""Django settings. Everything instance-specific comes from the environment:

* ``GONGKAI_DATA`` — the data directory (database, files, SECRET_KEY); ``gongkai serve --data``;
* ``DATABASE_URL`` — PostgreSQL (psycopg 3) instead of the SQLite file in the data directory;
* ``GONGKAI_DEBUG=1`` — development only; ``gongkai serve`` refuses to start with it;
* ``GONGKAI_ALLOWED_HOSTS`` — comma-separated host names; ``GONGKAI_HTTPS=1`` — secure cookies.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from .datadir import data_dir, secret_key

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = data_dir()

SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY") or secret_key(DATA_DIR)
DEBUG = os.environ.get("GONGKAI_DEBUG") == "1"
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "gongkai.web.adminapps.GongkaiAdminConfig",  # /admin/, superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "gongkai.web.orgs",
    "gongkai.web.cases",
    "gongkai.web.letters",
    "gongkai.web.public",
    "gongkai.web.catalogue",
    "gongkai.web.appeals",
    "gongkai.web.reports",
    "gongkai.web.supervise",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongkai.web.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.web.urls"
WSGI_APPLICATION = "gongkai.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.web.supervise.context.nav",
            ],
        },
    },
]


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dict(dj_database_url.parse(url, conn_max_age=60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "gongkai.sqlite3",
        "OPTIONS": {
            # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock
            # at BEGIN, so two officers recording events never deadlock on lock upgrade.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"  # collected by `gongkai serve`, served by whitenoise
STATICFILES_DIRS = [BASE_DIR / "static"]  # vendored assets only: nothing from a CDN
MEDIA_ROOT = DATA_DIR / "files"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/cases/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# Security defaults (issue 10 §12). Cookies are HttpOnly and SameSite; secure over HTTPS.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = os.environ.get("GONGKAI_HTTPS") == "1"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # request bodies (forms, JSON)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
# The supervisor's uploads of annual reports (supervise.ingest): files per request (Django's
# default is 100), per file, and what a ZIP may expand to (a zip bomb is refused).
DATA_UPLOAD_MAX_NUMBER_FILES = 2000
GONGKAI_INGEST_MAX_FILES = 20000  # files of one upload, ZIPs expanded
GONGKAI_INGEST_FILE_MAX = 200 * 1024 * 1024  # bytes of one file (uploaded or in a ZIP)
GONGKAI_INGEST_ZIP_MEMBERS = 20000  # entries of one ZIP
GONGKAI_INGEST_ZIP_TOTAL = 2 * 1024 * 1024 * 1024  # bytes one ZIP expands to
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

# Login throttling counts failures here; a file cache in the data directory is shared by the
# gunicorn workers (a per-process memory cache would multiply the limit by the workers).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": DATA_DIR / "cache",
    }
}

# The public side (gongkai.web.public.throttle): requests per client address per window of
# seconds — "apply" for online applications (form and API), "track" for tracking look-ups.
PUBLIC_RATE_LIMITS = {"apply": (10, 3600), "track": (30, 600)}
# Behind a reverse proxy, the META key of the header carrying the client address (e.g.
# "HTTP_X_REAL_IP"); unset, REMOTE_ADDR counts (clients could forge the header otherwise).
PUBLIC_CLIENT_ADDRESS_HEADER = os.environ.get("GONGKAI_CLIENT_ADDRESS_HEADER") or None

PAGE_SIZE = 50
# The largest Excel ledger an officer may upload for import (bytes).
IMPORT_MAX_BYTES = int(os.environ.get("GONGKAI_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
NINJA_PAGINATION_PER_PAGE = PAGE_SIZE

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# Background jobs (the supervisor's ingest): django-tasks with its database backend, so the
# queue is a table in the application's own database (SQLite or PostgreSQL) and survives a
# restart; `gongkai serve` runs the worker (`manage.py db_worker`) beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
