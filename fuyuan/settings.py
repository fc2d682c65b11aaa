"""Settings for Fuyuan, configured by environment variables only.

- ``DATABASE_URL``: ``sqlite:///path`` or ``postgres://user@host:port/name`` (SPEC §9); without it an SQLite
  file under the data folder.
- ``FUYUAN_DATA_DIR``: the data folder (default ``data/`` in the repository root).
- ``FUYUAN_SECRET_KEY``, ``FUYUAN_DEBUG``, ``FUYUAN_ALLOWED_HOSTS``: the usual Django deployment settings.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FUYUAN_DATA_DIR", BASE_DIR / "data"))

SECRET_KEY = os.environ.get("FUYUAN_SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = os.environ.get("FUYUAN_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("FUYUAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "fuyuan.core",
    "fuyuan.cases",
    "fuyuan.stats",
    "fuyuan.deadlines",
    "fuyuan.demo",
    "fuyuan.notifications",
    "fuyuan.hearings",
    "fuyuan.disputes",
    "fuyuan.documents",
    "fuyuan.accountability",
    "fuyuan.packaging",
    "fuyuan.rectification",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "fuyuan.core.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "fuyuan.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "fuyuan" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "fuyuan.notifications.context.unread_count",
            ],
        },
    },
]

WSGI_APPLICATION = "fuyuan.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'fuyuan.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web pages read while an import writes; a busy writer waits instead of failing. IMMEDIATE takes
    # the write lock when a transaction begins, so the web server and `fuyuan worker` writing at once queue up
    # (a deferred transaction upgrading its read lock would fail at once with "database is locked").
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "fuyuan" / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"

# The hour (local time) at which the hearing reminders of the day (T-7, T-1) and escalations become due (SPEC §5).
FUYUAN_REMINDER_HOUR = int(os.environ.get("FUYUAN_REMINDER_HOUR", "9"))
# Deadlines due within this many days get a 临期 reminder; the worker sweeps every FUYUAN_SWEEP_INTERVAL seconds.
FUYUAN_DEADLINE_WARN_DAYS = int(os.environ.get("FUYUAN_DEADLINE_WARN_DAYS", "3"))
FUYUAN_SWEEP_INTERVAL = int(os.environ.get("FUYUAN_SWEEP_INTERVAL", "60"))
# Outgoing channels. Without configuration nothing leaves the machine: emails are written to DATA_DIR/mail and SMS
# to DATA_DIR/sms.log, so a demonstration or a development machine never mails anyone.
FUYUAN_SMS_BACKEND = os.environ.get("FUYUAN_SMS_BACKEND", "fuyuan.notifications.sms.FileSmsGateway")
EMAIL_BACKEND = os.environ.get("FUYUAN_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("FUYUAN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FUYUAN_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FUYUAN_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FUYUAN_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("FUYUAN_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("FUYUAN_EMAIL_FROM", "fuyuan@localhost")

# An uploaded ledger of 100,000 rows is about 10 MB; the web import refuses larger files with a message.
FUYUAN_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# 群体性 disputes: brought by this many people or more (信访 practice counts a collective visit from five).
FUYUAN_GROUP_DISPUTE_SIZE = int(os.environ.get("FUYUAN_GROUP_DISPUTE_SIZE", "5"))

# SPEC §4: a county whose first-instance loss rate (败诉率) exceeds this percentage (strictly greater) gets a
# written-report duty (书面报告并作出检查). FUYUAN_LOSS_WINDOW is the period the rate is taken over: "year" (the
# calendar year to date) or "previous_year" (the last whole calendar year). A county gets one duty per year.
FUYUAN_LOSS_THRESHOLD = os.environ.get("FUYUAN_LOSS_THRESHOLD", "30")  # a percentage, read as a Decimal
FUYUAN_LOSS_WINDOW = os.environ.get("FUYUAN_LOSS_WINDOW", "year")
# Local rule (not a statute): the county reports within this many calendar days of the duty's opening.
FUYUAN_REPORT_DUE_DAYS = int(os.environ.get("FUYUAN_REPORT_DUE_DAYS", "30"))
# How long the dashboard keeps its figures for a (scope, region, window, sort) at most; any case change ends it sooner.
FUYUAN_DASHBOARD_CACHE_SECONDS = int(os.environ.get("FUYUAN_DASHBOARD_CACHE_SECONDS", "600"))
