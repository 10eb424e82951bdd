"""CoinStack settings: one file, driven by the environment.

Environment variables (see README):
  DATABASE_URL   any URL dj-database-url reads; unset means SQLite at data/coinstack.sqlite3
  SECRET_KEY     required unless DEBUG is on
  DEBUG          "1"/"true" for development
  ALLOWED_HOSTS  comma-separated host names; required unless DEBUG is on
  MEDIA_ROOT     where coin and lot images are stored (default: media/ beside the code)
  COINSTACK_OWNER_CURRENCY       the currency values are given in (default EUR)
  COINSTACK_DEFAULT_PREMIUM_PCT  buyer's premium assumed when neither lot nor house states one (20)
"""

import os
import tempfile
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from coinstack.sqlite_library import use_current_sqlite

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

# A development secret only when DEBUG is on: a deployment that forgets SECRET_KEY must not start.
_DEV_SECRET = "django-insecure-coinstack-development-only"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY or (not DEBUG and (SECRET_KEY == _DEV_SECRET or len(SECRET_KEY) < 32)):
    raise ImproperlyConfigured(
        "Set SECRET_KEY in the environment to a long random string (at least 32 characters), "
        "or set DEBUG=1 for local development."
    )
# Earlier keys, comma-separated, after a key change: sessions and signed backups made under them stay
# valid (a backup signed with one restores without --allow-foreign).
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set ALLOWED_HOSTS (comma-separated host names) when DEBUG is off.")

INSTALLED_APPS = [
    "coinstack.admin_search.CoinStackAdminConfig",  # django.contrib.admin, every search box bounded
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "template_partials",
    "axes",  # failed-login records in the database; see coinstack/auth_views.py
    # Background jobs (web-triggered scrapes): Django's tasks API (django.tasks from Django 6.0) with
    # its database backend; `manage.py db_worker` runs them. See auctions/jobs.py.
    "django_tasks",
    "django_tasks_db",
    "vocab",
    "catalog",
    "auctions",
    # Running the installation: backups, restores, the pre-migrate backup (its `migrate` command
    # overrides Django's), index checks, the benchmark and the demo data.
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one, so the CSP is on every response, redirects and refusals included.
    "coinstack.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "coinstack.security.PrivateByDefaultMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Near the end, as django-axes asks: it turns a flagged failed login into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Runs the view itself for POST/PUT/PATCH/DELETE inside one transaction; keep it last: it
    # calls the view, so no process_view after it would run.
    "coinstack.middleware.AtomicWritesMiddleware",
]

ROOT_URLCONF = "coinstack.urls"

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
                "coinstack.context_processors.privacy",
            ],
            # `{% url %}` with its addresses remembered (coinstack/template_urls.py).
            "builtins": ["coinstack.template_urls"],
        },
    },
    # The fragments a list page repeats (cards, rows, facet options): see coinstack/jinja2.py. Only
    # reached through coinstack.jinja2.render_fragment; pages are Django templates.
    {
        "NAME": "jinja2",
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "coinstack.jinja2.environment"},
    },
]

WSGI_APPLICATION = "coinstack.wsgi.application"

# --- Database -------------------------------------------------------------------------------------
# A current SQLite where pysqlite3-binary is installed, chosen before Django loads its SQLite backend
# (coinstack.sqlite_library says why, and why never two in one process).
SQLITE_VERSION = use_current_sqlite()
DATA_DIR = Path(os.environ.get("COINSTACK_DATA_DIR", BASE_DIR / "data"))
DEFAULT_SQLITE_PATH = DATA_DIR / "coinstack.sqlite3"

# Connections are kept between requests (CONN_MAX_AGE seconds, 0 to close after each). Opening one
# costs more than most pages: SQLite parses the whole schema (280 objects, the search index's
# triggers among them: 10 ms at every first statement), PostgreSQL forks a backend. A kept
# connection is checked before each request reuses it, so a restarted PostgreSQL costs no error.
# A kept SQLite connection also keeps `restore` from switching the file under a running server
# (it refuses while another process has the database open).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so a
    # transaction never fails half-way on lock upgrade; the timeout makes writers queue instead of
    # surfacing "database is locked". Pages, imports and scrapes can then run at the same time.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA busy_timeout=20000; PRAGMA cache_size=-32000; PRAGMA temp_store=MEMORY;"
            ),
        }
    )
    # Tests use a file, not :memory:, so backups, restores and multi-process tests see a real database;
    # one per test process, so two test runs on one machine never share (and corrupt) a file.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"coinstack-test-{os.getpid()}.sqlite3")
    }
    _sqlite_name = str(DATABASES["default"]["NAME"])
    if _sqlite_name not in ("", ":memory:") and not _sqlite_name.startswith("file:"):
        Path(_sqlite_name).parent.mkdir(parents=True, exist_ok=True)

# Each process keeps what it computed under the data-version tokens (coinstack.dataversion): facet
# panels, pages of ids, rendered cards, coin-page sections. A token changes with every write, so
# nothing kept is ever stale; the bound is memory. Django's default of 300 entries was too few: in
# the load test's browsing mix every coin page visited adds one, so the lists' panels were pushed out
# and counted again (17 % more CPU per request). 3,000 entries held about 35 MB in that mix.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("COINSTACK_CACHE_ENTRIES", "3000"))},
    }
}

# Every request that writes commits before the response or rolls back completely on error: see
# coinstack.middleware.AtomicWritesMiddleware (reads stay outside transactions, so they never queue
# for SQLite's write lock).

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production serves hashed, compressed files (after collectstatic); development and the test
        # suite (STATIC_MANIFEST=0, set in pyproject.toml) serve the files as they are.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploads: keep them small enough that a hostile upload cannot fill memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
COINSTACK_MAX_IMAGE_BYTES = int(os.environ.get("COINSTACK_MAX_IMAGE_BYTES", 15 * 1024 * 1024))
# Every image that enters (admin uploads, scraped lot images, archives) is refused past this many
# pixels (coinstack.security.validate_image_upload): decoding one for a thumbnail costs 4 bytes each.
COINSTACK_MAX_IMAGE_PIXELS = int(os.environ.get("COINSTACK_MAX_IMAGE_PIXELS", 64_000_000))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "catalog:home"
LOGOUT_REDIRECT_URL = "login"

# --- Security (coinstack/security.py, coinstack/auth_views.py) ------------------------------------
# Defaults are the secure ones whenever DEBUG is off, so `manage.py check --deploy` is clean.
# COINSTACK_PLAIN_HTTP=1 serves over plain HTTP (a LAN box, a laptop): no HTTPS redirect, no secure
# cookies, no HSTS. Each SECURE_* / *_COOKIE_SECURE switch can also be set on its own.
_HTTPS = not DEBUG and not env_bool("COINSTACK_PLAIN_HTTP")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", _HTTPS)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", _HTTPS)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", _HTTPS)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if _HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", _HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", _HTTPS)
# Behind a TLS-terminating proxy, set SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO (only when the
# proxy always sets or strips that header) so the redirect does not loop.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Django's database sessions, loaded by a fixed SELECT rather than a query compiled per request.
SESSION_ENGINE = "coinstack.sessions"
# The CSP sent by coinstack.security.SecurityHeadersMiddleware: no inline script or style anywhere
# (htmx is configured by a <meta name="htmx-config"> with includeIndicatorStyles false).
COINSTACK_CSP = {
    "default-src": "'self'",
    "img-src": "'self' data: https:",  # lot images are often shown by their URL at the house
    "style-src": "'self'",
    "script-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

# Failed logins: 5 per username+IP, then refused for 15 minutes (django-axes, database-backed so it
# holds across gunicorn workers). Unlock early with `manage.py axes_reset_username NAME`.
AUTHENTICATION_BACKENDS = [
    "coinstack.auth_views.ThrottledLoginBackend",
    # Django's ModelBackend, loading the signed-in user by SQL compiled once.
    "coinstack.auth_backends.PreparedModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("COINSTACK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("COINSTACK_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "coinstack.auth_views.lockout_response"
# The client address is REMOTE_ADDR only: X-Forwarded-For is typed by the client unless a proxy
# you run rewrites it.
AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)
AXES_VERBOSE = False

# --- CoinStack ------------------------------------------------------------------------------------
# Anonymous visitors may browse read-only when this is on; private fields stay hidden from them.
COINSTACK_PUBLIC_BROWSING = env_bool("COINSTACK_PUBLIC_BROWSING")
COINSTACK_BACKUP_DIR = Path(os.environ.get("COINSTACK_BACKUP_DIR", BASE_DIR / "backups"))

# Scraping: polite and identifiable. Private addresses are refused unless a test turns this on.
COINSTACK_SCRAPER_CONTACT = os.environ.get("COINSTACK_SCRAPER_CONTACT", "coinstack@localhost")
COINSTACK_SCRAPER_USER_AGENT = f"CoinStack/0.1 (+mailto:{COINSTACK_SCRAPER_CONTACT})"
COINSTACK_SCRAPER_ALLOW_PRIVATE = env_bool("COINSTACK_SCRAPER_ALLOW_PRIVATE")
COINSTACK_SCRAPER_MIN_INTERVAL = float(os.environ.get("COINSTACK_SCRAPER_MIN_INTERVAL", "2.0"))
COINSTACK_SCRAPER_STATE_DIR = DATA_DIR / "scraper-state"
# One response may take this long in all (a server trickling a byte a second is cut off).
COINSTACK_SCRAPER_DEADLINE = float(os.environ.get("COINSTACK_SCRAPER_DEADLINE", "60"))

# Values from comparable sales (catalog.valuation): every price is converted into the owner's currency
# (an ISO 4217 code the ECB quotes), and a sold lot whose premium neither it nor its house states gets
# this buyer's premium (percent; 20 is the commonest rate of the European houses).
COINSTACK_OWNER_CURRENCY = os.environ.get("COINSTACK_OWNER_CURRENCY", "EUR").strip().upper()
if len(COINSTACK_OWNER_CURRENCY) != 3 or not COINSTACK_OWNER_CURRENCY.isalpha():
    raise ImproperlyConfigured(
        f"COINSTACK_OWNER_CURRENCY={COINSTACK_OWNER_CURRENCY!r} is not a three-letter currency code "
        "such as EUR, USD, CHF or GBP."
    )
try:
    COINSTACK_DEFAULT_PREMIUM_PCT = Decimal(os.environ.get("COINSTACK_DEFAULT_PREMIUM_PCT", "20"))
except InvalidOperation:
    COINSTACK_DEFAULT_PREMIUM_PCT = None
if COINSTACK_DEFAULT_PREMIUM_PCT is None or not (
    COINSTACK_DEFAULT_PREMIUM_PCT.is_finite() and 0 <= COINSTACK_DEFAULT_PREMIUM_PCT <= 100
):
    raise ImproperlyConfigured(
        "COINSTACK_DEFAULT_PREMIUM_PCT must be a percentage from 0 to 100, such as 20 or 17.5."
    )

# Background jobs: queued in the database, run by `python manage.py db_worker` (scripts/dev.sh starts
# one beside the development server; see the README's Deploy section for production). Web pages never
# scrape inside a request: they queue a job and poll it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
