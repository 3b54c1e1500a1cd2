"""Settings, read from the environment in this one place.

Environment variables:
  DATABASE_URL     default sqlite under var/ (WAL, IMMEDIATE transactions, busy timeout)
  SECRET_KEY       required when DEBUG is off
  DEBUG            "1"/"true" to enable
  ALLOWED_HOSTS    comma-separated
  CONGDONGSO_VAR   directory for the SQLite file and other local state (default ./var)
  LOG_LEVEL        default INFO
  LOG_FORMAT       plain (default) or json (one object per line, ids only)
  SECURE_*         HTTPS in production (DEBUG off): SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS, SECURE_HSTS_INCLUDE_SUBDOMAINS,
                   SECURE_HSTS_PRELOAD (on by default); SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto behind a TLS proxy
  UPLOAD_MAX_MB_*  size caps of imported files (VILLAGES 5, HOUSEHOLDS 20, SCAM_LIST 5)
  PG_BIN_DIR       where pg_dump/pg_restore are (`congdongso backup`/`restore`; default the newest
                   /usr/lib/postgresql/*/bin, else PATH)
  EMAIL_HOST ...   SMTP for notifications (EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
                   DEFAULT_FROM_EMAIL); SITE_URL for links in them
  FEEDBACK_*       feedback notifications (FEEDBACK_EMAIL_TO, FEEDBACK_WEBHOOK_URL, FEEDBACK_WEBHOOK_SECRET)
                   and retention of contact details (FEEDBACK_CONTACT_RETENTION_DAYS, FEEDBACK_CONTACT_MAX_DAYS)
  *_RETENTION_DAYS retention of other personal data (SCAM_REPORT_CONTACT_RETENTION_DAYS, ACCESS_LOG_RETENTION_DAYS,
                   CLOSED_REQUEST_RETENTION_DAYS)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_flag("DEBUG")
VAR_DIR = Path(os.environ.get("CONGDONGSO_VAR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_flag("CONGDONGSO_TESTING"):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    "congdongso.geo",
    "congdongso.accounts",
    "congdongso.audit",
    "congdongso.teams",
    "congdongso.households",
    "congdongso.catalog",
    "congdongso.outreach",
    "congdongso.scams",
    "congdongso.feedback",
    "congdongso.campaigns",
    "congdongso.indicators",
    "congdongso.privacy",
    "congdongso.ops",
    "congdongso.retention",
    "congdongso.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "congdongso.web.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "congdongso.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "congdongso.accounts.gate.AccessGateMiddleware",
]

# --- Security headers and HTTPS ------------------------------------------------------------------
# Production (DEBUG off, outside the test suite) is HTTPS only: `congdongso check --deploy` passes
# with no warning. Each flag can be changed from the environment for an unusual deployment.
_PRODUCTION = not DEBUG and not env_flag("CONGDONGSO_TESTING")
SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", default=_PRODUCTION)
# Load balancers probe the health page over plain HTTP inside the private network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# Behind a reverse proxy that ends TLS, Django sees plain HTTP: trust the proxy's header only when
# the operator says a proxy sets it (and strips it from clients), e.g. SECURE_PROXY_SSL_HEADER=
# X-Forwarded-Proto. Trusting it without such a proxy would let any client claim HTTPS.
_proxy_ssl_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
if _proxy_ssl_header:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_ssl_header.upper().replace("-", "_"), "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600) if _PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (Django's own middleware), in every environment so the browser journeys
# catch a violation. Scripts only from our own files (no inline code, no eval: see
# web/tests/test_no_inline_scripts.py). Styles allow 'unsafe-inline' on purpose: a few templates
# carry a <style> block or a style attribute (web/tests/test_inline_styles.py keeps the list from
# growing), and injected CSS cannot run code. No 'upgrade-insecure-requests': HSTS and the redirect
# cover HTTPS, and it would break plain-HTTP development.
from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Permissions-Policy (web.middleware): browser features no page of the site uses, refused to all.
PERMISSIONS_POLICY = {
    feature: [] for feature in ("accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone",
                                "payment", "usb")
}
# Uploaded import files: the largest accepted per kind, checked with their type by
# common/uploads.py (a reverse proxy should cap request bodies too, e.g. nginx client_max_body_size).
_MB = 1024 * 1024
UPLOAD_MAX_BYTES = {
    "villages": int(os.environ.get("UPLOAD_MAX_MB_VILLAGES", "5")) * _MB,
    "households": int(os.environ.get("UPLOAD_MAX_MB_HOUSEHOLDS", "20")) * _MB,
    "scam_list": int(os.environ.get("UPLOAD_MAX_MB_SCAM_LIST", "5")) * _MB,
}

ROOT_URLCONF = "congdongso.urls"
WSGI_APPLICATION = "congdongso.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Reopening the file and rerunning the PRAGMAs on every request more than doubled the CPU
        # per request in the scam lookup benchmark.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN, so concurrent writers wait on the busy
            # timeout instead of failing with "database is locked" on lock upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA temp_store=MEMORY;"
                "PRAGMA cache_size=-65536;"
                # Checkpoint the WAL every 4,000 pages (16 MB) instead of 1,000: a page that batch
                # after batch rewrites (an index leaf) is copied into the database once per
                # checkpoint, not once per 4 MB. bench/sync.py: raw inserts of assists with their
                # audit rows 24-28k -> 36-38k rows/s.
                "PRAGMA wal_autocheckpoint=4000;"
            ),
        },
    }


_database_url = os.environ.get("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"] = _sqlite_database(Path(DATABASES["default"]["NAME"]))
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {"default": _sqlite_database(VAR_DIR / "congdongso.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn's estimate of how guessable the password is (0-4), with a Vietnamese message.
    {"NAME": "congdongso.accounts.passwords.StrengthValidator", "OPTIONS": {"min_score": 3}},
]

# Login throttling: this many failures per username or per client address within the window.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))

# Officers (commune, province, national roles and staff) sign in with a second factor (TOTP) and their
# sessions end after this much inactivity, and this long after sign-in whatever the activity.
OFFICER_SESSION_IDLE_SECONDS = int(os.environ.get("OFFICER_SESSION_IDLE_SECONDS", str(30 * 60)))
OFFICER_SESSION_MAX_SECONDS = int(os.environ.get("OFFICER_SESSION_MAX_SECONDS", str(10 * 60 * 60)))
# Demo only: the code page shows the current code, so a person trying `make demo` without an authenticator
# app can still sign in as an officer. Follows DEBUG and nothing else; a system check refuses it without DEBUG.
TWO_FACTOR_DEMO_HINT = DEBUG

SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and not env_flag("CONGDONGSO_TESTING")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True
FORMAT_MODULE_PATH = ["congdongso.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"

# Background work (imports, notifications) runs through Django's task framework with the database
# backend: no broker to install. `congdongso db_worker` runs the worker (`make demo` starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Email, through Django's SMTP backend (MAILERS, Django 6.1). EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD, EMAIL_USE_TLS and DEFAULT_FROM_EMAIL come from the environment; without
# EMAIL_HOST no email is sent (the feedback email channel stays off).
_email_host = os.environ.get("EMAIL_HOST", "")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": _email_host or "localhost",
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_flag("EMAIL_USE_TLS"),
            "timeout": 10,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "congdongso@localhost")
# The address people reach the site at, for links in notifications ("https://congdongso.example.vn").
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

# Residents' feedback (the feedback app): notification channels and retention of contact details.
FEEDBACK_EMAIL_ENABLED = env_flag("FEEDBACK_EMAIL_ENABLED", default=bool(_email_host))
FEEDBACK_EMAIL_TO = env_list("FEEDBACK_EMAIL_TO")  # copied on every new report, beside the commune officers
FEEDBACK_WEBHOOK_URL = os.environ.get("FEEDBACK_WEBHOOK_URL", "")
FEEDBACK_WEBHOOK_SECRET = os.environ.get("FEEDBACK_WEBHOOK_SECRET", "")  # signs the body (HMAC-SHA256)
FEEDBACK_CONTACT_RETENTION_DAYS = int(os.environ.get("FEEDBACK_CONTACT_RETENTION_DAYS", "30"))
FEEDBACK_CONTACT_MAX_DAYS = int(os.environ.get("FEEDBACK_CONTACT_MAX_DAYS", "365"))

# Periodic reports (indicators.reports): more rows (units) than this are built by a background task;
# the file of such a report is kept this many hours for the user who asked for it.
REPORT_SYNC_MAX_ROWS = int(os.environ.get("REPORT_SYNC_MAX_ROWS", "2000"))
REPORT_FILE_KEEP_HOURS = int(os.environ.get("REPORT_FILE_KEEP_HOURS", "24"))

# Retention of personal data (the retention app): days each kind is kept before the daily purge
# (`congdongso purge_expired`, or its background task) anonymises or deletes it. Feedback contacts
# follow FEEDBACK_CONTACT_* above; apps may register more kinds and read their days from here.
RETENTION_DAYS = {
    "scam_report_contacts": int(os.environ.get("SCAM_REPORT_CONTACT_RETENTION_DAYS", "90")),
    "access_log": int(os.environ.get("ACCESS_LOG_RETENTION_DAYS", "730")),
    "closed_requests": int(os.environ.get("CLOSED_REQUEST_RETENTION_DAYS", "365")),
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # LOG_FORMAT=json: one JSON object per line (common/logs.py), for log collectors.
        "json": {"()": "congdongso.common.logs.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": os.environ.get("LOG_FORMAT", "plain")}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

NINJA_PAGINATION_PER_PAGE = 50

# Commendation proposals (campaigns.commendations): a member's assists inside any 60 minutes holding
# more than this many of them look implausible and do not count.
COMMENDATION_BURST_LIMIT = int(os.environ.get("COMMENDATION_BURST_LIMIT", "12"))
