"""Settings for Fuyuan, configured by environment variables only.

- ``DATABASE_URL``: ``sqlite:///path`` or ``postgres://user@host:port/name`` (SPEC §9); without it an SQLite
  file under the data folder.
- ``FUYUAN_DATA_DIR``: the data folder (default ``data/`` in the repository root).
- ``FUYUAN_CACHE_URL``, ``DATABASE_REPLICA_URL``, ``FUYUAN_UPLOAD_DIR``: several application servers (a shared Redis
  cache, a read replica for the figures and exports, a shared upload folder): the section "Several application
  servers" below and deploy/README.md.
- ``FUYUAN_SECRET_KEY``: Django's secret key. Without it a random key is made once and kept in
  ``<data folder>/secret_key`` (so sessions and the personal-data keys derived from it survive a restart). Changing
  it on a database that holds encrypted personal data stops the start with the reason (``fuyuan.core.startup``).
- ``FUYUAN_DEBUG``: ``1`` for Django's debug pages (``make dev``); off by default, so ``make run`` and any
  deployment show the site's own Chinese error pages.
- ``FUYUAN_ALLOWED_HOSTS``: the host names the site answers to.
- ``FUYUAN_HTTPS``: ``1`` when the site is served over HTTPS (production): Secure session and CSRF cookies, redirect
  from HTTP, HSTS. Leave it unset for development on http://127.0.0.1.
- ``FUYUAN_HSTS_SECONDS``: the HSTS max-age when ``FUYUAN_HTTPS=1`` (default one year; start lower on a first rollout).
- ``FUYUAN_HSTS_PRELOAD``: ``1`` to add ``preload`` to HSTS (only for a registrable domain its owner submits).
- ``FUYUAN_BEHIND_PROXY``: ``1`` when a reverse proxy ends TLS and sets ``X-Forwarded-Proto: https``; never set it
  without such a proxy in front.
- ``FUYUAN_CSRF_TRUSTED_ORIGINS``: comma-separated origins (``https://fuyuan.example.gov.cn``) whose form posts are
  accepted although the proxy hands the application another host name; leave it empty otherwise.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("FUYUAN_DATA_DIR", BASE_DIR / "data"))


def _secret_key(data_dir: Path) -> str:
    """``FUYUAN_SECRET_KEY``, else the key kept in the data folder, made once at the first start. The file is
    linked into place whole, so two processes starting together end up with the same key."""
    given = os.environ.get("FUYUAN_SECRET_KEY", "").strip()
    if given:
        return given
    path = data_dir / "secret_key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        draft = data_dir / f".secret_key.{os.getpid()}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # another process made it first: theirs is the key
        finally:
            draft.unlink()
    return path.read_text().strip()


SECRET_KEY = _secret_key(DATA_DIR)
DEBUG = os.environ.get("FUYUAN_DEBUG", "0") == "1"
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
    "fuyuan.obligations",
    "fuyuan.hearings",
    "fuyuan.disputes",
    "fuyuan.documents",
    "fuyuan.accountability",
    "fuyuan.packaging",
    "fuyuan.rectification",
    "fuyuan.reconsideration",
    "fuyuan.decisions",
    "fuyuan.performance",
    "fuyuan.meetings",
    "fuyuan.consultation",
    "fuyuan.legalreview",
    "fuyuan.similar",
    "fuyuan.risk",
    "fuyuan.nonlitigation",
    "fuyuan.filereview",
    "fuyuan.attendance",
    "fuyuan.enforcement",
    "fuyuan.assessment",
    "fuyuan.audit",
    "fuyuan.security",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "fuyuan.api",
    "rest_framework",
    "drf_spectacular",
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files (fuyuan/static, the admin's) straight from the package, before any log-in or session work.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "fuyuan.core.logs.RequestLogMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After a write, the person's reads stay on the primary database for a moment (fuyuan.core.replica).
    "fuyuan.core.replica.PrimaryPinMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Every view needs a logged-in user unless it is marked @login_not_required (log-in, the online application,
    # health, the API and its schema, which authenticate by token).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "fuyuan.security.middleware.SecurityPolicyMiddleware",
    "fuyuan.audit.middleware.AuditMiddleware",
    "axes.middleware.AxesMiddleware",
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

# Form widgets through Jinja2, Django's own widget templates for it (fuyuan/core/renderers.py).
FORM_RENDERER = "fuyuan.core.renderers.JinjaWidgets"

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
else:
    # PostgreSQL's JIT (on by default since version 12) compiles a statement whose estimated cost is high: the
    # reconsideration body's figures over 100,000 files spent 2.2 s compiling a statement that runs in 0.1 s
    # (bench/bench_reconsideration.py). Fuyuan's statements are short, so its connections turn it off; an
    # ``options`` given in DATABASE_URL (``?options=...``) is kept instead.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "fuyuan" / "static"]
# WhiteNoise serves the files where the apps keep them (no collectstatic step, nothing stale to copy): with debug
# off as with it on, `make run` and a gunicorn deployment serve the same files the test suite sees. Unhashed names,
# so a browser revalidates after WhiteNoise's default max-age of 60 seconds. FUYUAN_STATIC_ROOT is only for a web
# server in front that serves /static/ itself: `fuyuan collectstatic` copies the files there.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = os.environ.get("FUYUAN_STATIC_ROOT") or None
MEDIA_ROOT = DATA_DIR / "media"

# The hour (local time) at which the hearing reminders of the day (T-7, T-1) and escalations become due (SPEC §5).
FUYUAN_REMINDER_HOUR = int(os.environ.get("FUYUAN_REMINDER_HOUR", "9"))
# Deadlines due within this many days get a 临期 reminder; the worker sweeps every FUYUAN_SWEEP_INTERVAL seconds.
FUYUAN_DEADLINE_WARN_DAYS = int(os.environ.get("FUYUAN_DEADLINE_WARN_DAYS", "3"))


def _centre_limits(text: str) -> dict[str, int]:
    """``centre.plan=7,centre.expert_review=3`` as a dict; ``fuyuan.deadlines.rules`` checks the names."""
    limits: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, days = part.partition("=")
        if not sep or not days.strip().isdigit():
            raise ImproperlyConfigured(f"FUYUAN_CENTRE_LIMITS：“{part}”应写成 期限名=天数，如 centre.plan=7")
        limits[name.strip()] = int(days)
    return limits


# The dispute centre's periods in days (local rules; SPEC §5 calls them configurable): centre.expert_review (3),
# centre.plan (5), centre.pre_litigation (30).
FUYUAN_CENTRE_LIMITS = _centre_limits(os.environ.get("FUYUAN_CENTRE_LIMITS", ""))

# -- The deployment's own name (issue 13) --
# The prefecture or city that runs this platform, e.g. "黔南州". Its local rules are named after it on the pages
# ("黔南州规定：开庭前一周提醒"), and the forms' examples use it ("如：黔南州自然资源局"). Empty: neutral wording
# ("本地规定", "如：××县自然资源局"). The places where a mechanism was first devised (黔南州“两提两核一直达”,
# 黔西南州“四必治败诉”) are still named, as the rule's origin.
FUYUAN_DEPLOYMENT_NAME = os.environ.get("FUYUAN_DEPLOYMENT_NAME", "").strip()

FUYUAN_SWEEP_INTERVAL = int(os.environ.get("FUYUAN_SWEEP_INTERVAL", "60"))
# Outgoing channels. Without configuration nothing leaves the machine: emails are written to DATA_DIR/mail and SMS
# to DATA_DIR/sms.log (or, with fuyuan.notifications.sms.ConsoleSmsGateway, to the console log), so a demonstration
# or a development machine never mails anyone.
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

# 群体性 disputes: brought by this many people or more. A local working threshold (default 5), not taken from a
# statute or regulation; a deployment sets its own by the environment.
FUYUAN_GROUP_DISPUTE_SIZE = int(os.environ.get("FUYUAN_GROUP_DISPUTE_SIZE", "5"))

# SPEC §4, from 黔西南州's "四必治败诉" 工作机制 (黔西南州依法治州办的工作报道): "行政诉讼案件败诉率超过30%的县人民政府须向州人民政府书面
# 报告具体情况、作出检查". A county whose first-instance loss rate (败诉率) exceeds this percentage (strictly greater)
# gets a written-report duty (书面报告并作出检查). FUYUAN_LOSS_WINDOW is the period the rate is taken over: "year"
# (the calendar year to date) or "previous_year" (the last whole calendar year). A county gets one duty per year.
FUYUAN_LOSS_THRESHOLD = os.environ.get("FUYUAN_LOSS_THRESHOLD", "30")  # a percentage, read as a Decimal
FUYUAN_LOSS_WINDOW = os.environ.get("FUYUAN_LOSS_WINDOW", "year")
# Local rule (no source sets one): a county with fewer first-instance cases concluded in the window
# than this gets no duty, so that one early loss (1 of 1 in January) does not open the year's duty.
FUYUAN_REPORT_DUTY_MIN_CASES = int(os.environ.get("FUYUAN_REPORT_DUTY_MIN_CASES", "10"))
# Local rule (not a statute): the county reports within this many calendar days of the duty's opening.
FUYUAN_REPORT_DUE_DAYS = int(os.environ.get("FUYUAN_REPORT_DUE_DAYS", "30"))
# Working days an agency has to answer a court's 败诉风险提示 (a local rule: fuyuan/consultation/rules.py).
FUYUAN_CONSULTATION_ANSWER_DAYS = int(os.environ.get("FUYUAN_CONSULTATION_ANSWER_DAYS", "10"))
# Calendar days to perform a judgment that names no period, from its taking effect (a local rule: fuyuan/performance/rules.py).
FUYUAN_PERFORMANCE_DAYS = int(os.environ.get("FUYUAN_PERFORMANCE_DAYS", "60"))
# Working days of the legality review by kind (local rules: fuyuan/legalreview/rules.py), e.g. "contract=5,petition=20".
FUYUAN_LEGALREVIEW_PERIOD_DAYS = dict(
    p.strip().split("=", 1) for p in os.environ.get("FUYUAN_LEGALREVIEW_PERIOD_DAYS", "").split(",") if "=" in p
)
# 旁听庭审: sessions each unit must attend a year. Source: 黔西南州《建立国家工作人员旁听案件庭审学法用法机制的意见》
# ("各级各部门单位组织国家工作人员旁听庭审每年不少于2次"); a deployment under another rule sets its own number and source.
FUYUAN_ATTENDANCE_MIN_SESSIONS = int(os.environ.get("FUYUAN_ATTENDANCE_MIN_SESSIONS", "2"))
FUYUAN_ATTENDANCE_RULE_SOURCE = os.environ.get(
    "FUYUAN_ATTENDANCE_RULE_SOURCE", "源自黔西南州《建立国家工作人员旁听案件庭审学法用法机制的意见》：每年不少于2次"
)
# Calendar days a body has to file (备案) a major enforcement decision with the 司法局, and days before a 执法证 lapses
# that its 临期 warning goes out (local rules: fuyuan/enforcement/rules.py).
FUYUAN_ENFORCEMENT_FILING_DAYS = int(os.environ.get("FUYUAN_ENFORCEMENT_FILING_DAYS", "15"))
FUYUAN_ENFORCEMENT_WARN_DAYS = int(os.environ.get("FUYUAN_ENFORCEMENT_WARN_DAYS", "30"))
# How long the dashboard keeps its figures for a (scope, region, window, sort) at most; any case change ends it sooner.
FUYUAN_DASHBOARD_CACHE_SECONDS = int(os.environ.get("FUYUAN_DASHBOARD_CACHE_SECONDS", "600"))

# -- Several application servers (issue 19) --
# FUYUAN_CACHE_URL (``redis://host:6379/0``): Django's own Redis cache (``django.core.cache.backends.redis.RedisCache``,
# with the redis client library) instead of each process's memory, so that every gunicorn worker on every machine
# shares the dashboard's entries and their generation (``stats.cache``), the API rate limit (``api.auth``) and the
# log-in challenge. Without it: one LocMemCache per process, the embedded default (one machine, nothing to run).
FUYUAN_CACHE_URL = os.environ.get("FUYUAN_CACHE_URL", "").strip()
if FUYUAN_CACHE_URL:
    # Sessions read from the shared cache, written through to the database (a log-out ends them everywhere at once):
    # one query less on every page. Only with a shared cache: with one memory per process, a session ended in one
    # process would live on in another's memory.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": FUYUAN_CACHE_URL,
            "KEY_PREFIX": os.environ.get("FUYUAN_CACHE_PREFIX", "fuyuan"),
        }
    }
# DATABASE_REPLICA_URL: a read replica of DATABASE_URL (PostgreSQL streaming replication). The figures pages, the
# figures API and the exports read from it (``fuyuan.core.replica``); everything else, every write, and every read of
# a person who wrote something in the last FUYUAN_REPLICA_PIN_SECONDS (a cookie) stays on the primary, so a page
# after a save shows the save even while the replica lags behind.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60)
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.sqlite3":
        DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DATABASE_ROUTERS = ["fuyuan.core.replica.ReplicaRouter"]
FUYUAN_REPLICA_PIN_SECONDS = int(os.environ.get("FUYUAN_REPLICA_PIN_SECONDS", "10"))
# FUYUAN_UPLOAD_DIR: the folder under which uploaded files are kept (materials, reports, proofs: each app's storage
# takes a sub-folder; fuyuan.core.uploads.upload_dir), default the data folder. With several application servers: one folder every server mounts
# (NFS or the like, deploy/README.md), so a file uploaded through one server is served by any other.
FUYUAN_UPLOAD_DIR = os.environ.get("FUYUAN_UPLOAD_DIR", "").strip() or None

# ---- Trust (issue 7). Each section belongs to one part; keep additions inside your own section. ----

# -- Identity and the three administrators (fuyuan.security) --
# GB/T 22239-2019 8.1.4.1 身份鉴别. a) complexity and periodic change of passwords; b) login-failure handling and
# session timeout; d) two or more authentication factors (here: for the three administrators and superusers).
FUYUAN_PASSWORD_MIN_LENGTH = int(os.environ.get("FUYUAN_PASSWORD_MIN_LENGTH", "10"))
FUYUAN_PASSWORD_MIN_CLASSES = 3  # of upper case, lower case, digits, symbols
FUYUAN_PASSWORD_HISTORY = 5  # a new password may not repeat any of the last five
FUYUAN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("FUYUAN_PASSWORD_MAX_AGE_DAYS", "90"))  # 0: never expires
# Argon2 first, as Django's documentation recommends (argon2-cffi): a log-in costs about a tenth of the CPU of PBKDF2 at
# Django's 1,000,000 iterations (at OWASP's parameters), which under 200 users logging in at once made the log-in POST wait 30 s (issue 19,
# bench/bench_login.py). The PBKDF2 hashers stay listed so that existing passwords still verify; Django rewrites such a
# hash as Argon2 at the person's next successful log-in (``check_password``'s upgrade, which is not a password change:
# the history and the password's age stay as they were; tests/security/test_password_hashing.py).
PASSWORD_HASHERS = [
    "fuyuan.security.hashers.OwaspArgon2PasswordHasher",  # OWASP's Argon2id parameters (fuyuan.security.hashers)
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "fuyuan.security.passwords.MinimumLengthValidator"},
    {"NAME": "fuyuan.security.passwords.CharacterClassesValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "fuyuan.security.passwords.PasswordHistoryValidator"},
]
# Lock-out (django-axes): FUYUAN_LOGIN_FAILURE_LIMIT failed log-ins for one username lock that username for
# FUYUAN_LOCKOUT_MINUTES, from every address (offices share one NAT address; a per-address lock would let a
# botnet guess on). Attempts during the lock are refused without extending it, so the time shown holds.
FUYUAN_LOGIN_FAILURE_LIMIT = int(os.environ.get("FUYUAN_LOGIN_FAILURE_LIMIT", "5"))
FUYUAN_LOCKOUT_MINUTES = int(os.environ.get("FUYUAN_LOCKOUT_MINUTES", "30"))
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "fuyuan.security.backends.ScopedModelBackend",  # Django's, loading the person's region and organisation with them
]
AXES_FAILURE_LIMIT = FUYUAN_LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = FUYUAN_LOCKOUT_MINUTES / 60  # hours, as axes reads a float
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the IP address in the lock-out key. Offices sit behind one NAT address, so username+IP would
# let a guesser rotate addresses while a whole office shares one count; GB/T 22239-2019 8.1.4.1 b) asks for the
# failed log-ins of an account to be handled, which a per-account lock does. Hence W006 is silenced on purpose.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "fuyuan.security.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # the audit log (fuyuan.audit) records every log-in and log-out
AXES_VERBOSE = False
# Sessions: idle timeout, and an absolute maximum counted from the log-in.
FUYUAN_SESSION_IDLE_MINUTES = int(os.environ.get("FUYUAN_SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = 12 * 60 * 60
# Requests that a page makes by itself (a poll) do not count as the person being active.
FUYUAN_SESSION_PASSIVE_HEADER = "X-Fuyuan-Poll"
# Second factor: TOTP (RFC 6238) with django-otp.
OTP_TOTP_ISSUER = "府院联动"

# -- Audit log (fuyuan.audit) --
# 网络安全法 第21条: network logs are kept for at least six months.
FUYUAN_AUDIT_RETENTION_DAYS = int(os.environ.get("FUYUAN_AUDIT_RETENTION_DAYS", "183"))
# Reverse proxies (their addresses, comma-separated) whose X-Forwarded-For the audit log believes for "from where".
FUYUAN_AUDIT_TRUSTED_PROXIES = [a for a in os.environ.get("FUYUAN_AUDIT_TRUSTED_PROXIES", "").split(",") if a]

# -- REST API (fuyuan.api) --
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["fuyuan.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["fuyuan.api.parsers.BoundedJSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "fuyuan.api.errors.api_exception_handler",
    # Requests per token (fuyuan.api.auth.TokenRateThrottle); 429 with Retry-After beyond it.
    "DEFAULT_THROTTLE_RATES": {"api_token": os.environ.get("FUYUAN_API_RATE", "120/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "府院联动平台对外接口",
    "DESCRIPTION": "法院、行政机关、复议机构和依法治办的业务系统推送案件、开庭、结案情况，读取统计数据。"
    "每个外部系统一个令牌（Authorization: Bearer <令牌>），权限范围与其服务账号相同。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The help texts already name the labels; the generated "* `一审` - 一审" lists only repeated them.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
}
# Days a new API token is valid by default (0: until revoked).
FUYUAN_API_TOKEN_DAYS = int(os.environ.get("FUYUAN_API_TOKEN_DAYS", "365"))

# -- Personal data at rest (fuyuan.core.crypto) --
# 个人信息保护法 第51条; GB/T 22239-2019 8.1.4.8. ID numbers and phone numbers are stored AES-256-GCM encrypted.
# FUYUAN_FIELD_KEY: base64 of 32 random bytes (empty: derived from SECRET_KEY, and `check --deploy` warns).
# FUYUAN_FIELD_KEYS_OLD: comma-separated earlier keys, still accepted for reading after a rotation.
# FUYUAN_INDEX_KEY: base64 of 32 bytes for the blind indexes (equality lookups); set once, never rotated.
FUYUAN_FIELD_KEY = os.environ.get("FUYUAN_FIELD_KEY", "")
FUYUAN_FIELD_KEYS_OLD = [k for k in os.environ.get("FUYUAN_FIELD_KEYS_OLD", "").split(",") if k.strip()]
FUYUAN_INDEX_KEY = os.environ.get("FUYUAN_INDEX_KEY", "")

# -- Reliability: structured logs, backup (fuyuan.core) --
# Logs go to stderr, one JSON object a line (``json``, the default when not DEBUG) or readable text (``text``).
# Every line carries the request id and user id; ``fuyuan.request`` writes one line per request (core/logs.py).
FUYUAN_LOG_FORMAT = os.environ.get("FUYUAN_LOG_FORMAT", "text" if DEBUG else "json")
if FUYUAN_LOG_FORMAT not in ("json", "text"):
    raise ValueError(f"FUYUAN_LOG_FORMAT 只能是 json 或 text（收到 {FUYUAN_LOG_FORMAT!r}）")
FUYUAN_LOG_LEVEL = os.environ.get("FUYUAN_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "fuyuan.core.logs.RequestContext"}},
    "formatters": {
        "json": {
            "()": "fuyuan.core.logs.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            "json_ensure_ascii": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s user=%(user_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": FUYUAN_LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "fuyuan": {"level": FUYUAN_LOG_LEVEL},
        # The request line replaces Django's own lines for the development server and for 4xx/5xx responses
        # (those still log their traceback through django.request at ERROR).
        "django.server": {"level": "ERROR"},
    },
}
# Backups (``fuyuan backup``) are written here unless --output is given.
FUYUAN_BACKUP_DIR = Path(os.environ.get("FUYUAN_BACKUP_DIR", DATA_DIR / "backups"))

# -- Hardening: cookies, CSP, deployment checklist --
# `fuyuan check --deploy` with FUYUAN_DEBUG=0, a long FUYUAN_SECRET_KEY, FUYUAN_ALLOWED_HOSTS and FUYUAN_HTTPS=1 prints
# no warning (tests/core/test_hardening.py). Without FUYUAN_HTTPS (development, `make run` on http://127.0.0.1) no
# cookie is marked Secure and nothing redirects, so plain HTTP keeps working.
FUYUAN_HTTPS = os.environ.get("FUYUAN_HTTPS", "0") == "1"
# GB/T 22239-2019 8.1.2.2 b) (通信传输, confidentiality) and 8.1.4.1 d) (鉴别信息 not overheard in transit): the
# session and everything typed cross the network only over TLS.
SECURE_SSL_REDIRECT = FUYUAN_HTTPS
# A load balancer or monitor probing the instance directly (plain HTTP, no proxy header) gets the health answer,
# not a redirect; /health/ carries no personal data.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = FUYUAN_HTTPS
CSRF_COOKIE_SECURE = FUYUAN_HTTPS
# HSTS: a year by default. includeSubDomains covers only names under the site's own host (fuyuan.example.gov.cn),
# which are all ours. preload is off unless asked for: the browsers' list takes registrable domains only
# (example.gov.cn), and preloading one would force HTTPS on every sibling site of the prefecture — the domain
# owner's decision, not this application's; hence security.W021 is silenced when it is off.
SECURE_HSTS_SECONDS = int(os.environ.get("FUYUAN_HSTS_SECONDS", "31536000")) if FUYUAN_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = FUYUAN_HTTPS
SECURE_HSTS_PRELOAD = FUYUAN_HTTPS and os.environ.get("FUYUAN_HSTS_PRELOAD", "0") == "1"
SILENCED_SYSTEM_CHECKS = [  # added to whatever an earlier section silences, never replacing it
    *globals().get("SILENCED_SYSTEM_CHECKS", []),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
# Behind the prefecture's reverse proxy that ends TLS and sets X-Forwarded-Proto (opt-in: trusting the header
# without such a proxy would let any client claim HTTPS).
if os.environ.get("FUYUAN_BEHIND_PROXY", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No script reads either cookie: HTMX takes the CSRF token from <body hx-headers> in the page.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Lax, not Strict: a link to a case in a notification e-mail must open the page logged in; cross-site POSTs
# still carry no cookie.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "fuyuan.core.csrf.csrf_failure"
# Only when the address people type differs from the host the application sees (a proxy rewriting Host).
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("FUYUAN_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Case numbers and names appear in URLs; they do not travel to other sites in the Referer header.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): only this site's own scripts run — no inline script, no eval (HTMX is
# told allowEval=false in base.html; ECharts does not eval). Page scripts live in fuyuan/static/js/.
# style-src-attr allows inline style *attributes* only: templates size a few table columns and charts with
# style="…", and ECharts writes its tooltips as HTML with style attributes; a style attribute cannot run code.
# <style> elements stay 'self' (HTMX's own indicator <style> is switched off; site.css carries those rules).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# -- The public application form (线上申请, fuyuan.disputes): per-address limit and challenge --
# At most FUYUAN_APPLY_LIMIT submissions from one address in any FUYUAN_APPLY_LIMIT_MINUTES minutes (counted in
# the database, disputes.throttle). A party fills the form in minutes; ten leaves room for corrections and for a
# village office or a family sharing one address, and stops a script at ten.
FUYUAN_APPLY_LIMIT = int(os.environ.get("FUYUAN_APPLY_LIMIT", "10"))
FUYUAN_APPLY_LIMIT_MINUTES = int(os.environ.get("FUYUAN_APPLY_LIMIT_MINUTES", "10"))
# django-simple-captcha: four letters drawn as a PNG served by /disputes/apply/captcha/ (img-src 'self'), refreshed
# by fuyuan/static/js/captcha-refresh.js (connect-src 'self'); no audio (it would need flite), a challenge lasts
# 10 minutes, the time to fill the form.
CAPTCHA_LENGTH = 4
CAPTCHA_TIMEOUT = 10
CAPTCHA_FLITE_PATH = None
CAPTCHA_IMAGE_SIZE = (120, 40)
CAPTCHA_FONT_SIZE = 28
