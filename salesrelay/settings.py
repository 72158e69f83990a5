"""Django settings. Everything a deployment changes comes from ``SALESRELAY_*`` variables
(README, "Running it for real")."""

import os
from datetime import timedelta
from pathlib import Path
from typing import TypedDict

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from salesrelay.database_url import database_from_url
from salesrelay.secret_key import data_folder, secret_key

BASE_DIR = Path(__file__).resolve().parent
CWD = Path(os.getcwd())

DATABASES = {"default": database_from_url(os.environ.get("SALESRELAY_DATABASE_URL"), cwd=CWD)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SECRET_KEY = os.environ.get("SALESRELAY_SECRET_KEY") or secret_key(
    data_folder(DATABASES["default"], CWD))
DEBUG = os.environ.get("SALESRELAY_DEBUG", "0") == "1"
ALLOWED_HOSTS = [host.strip() for host in os.environ.get(
    "SALESRELAY_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if host.strip()]

# SALESRELAY_HTTPS=1: the site is reached over HTTPS only, through a proxy that terminates TLS
# and sets X-Forwarded-Proto (README). Cookies never travel in clear, browsers remember to use
# HTTPS (HSTS) and a plain-HTTP request is redirected.
HTTPS = os.environ.get("SALESRELAY_HTTPS", "0") == "1"
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SALESRELAY_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "django_q",
    "salesrelay.audit",
    "salesrelay.people",
    "salesrelay.materials",
    "salesrelay.clients",
    "salesrelay.pipeline",
    "salesrelay.deals",
    "salesrelay.payments",
    "salesrelay.finance",
    "salesrelay.compensation",
    "salesrelay.analytics",
    "salesrelay.imports",
    "salesrelay.notifications",
    "salesrelay.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a login that axes refused (too many failures) into the lockout page.
    "axes.middleware.AxesMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "salesrelay.people.access.RouteAccessMiddleware",
]

ROOT_URLCONF = "salesrelay.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "salesrelay.web.context.navigation",
                "salesrelay.notifications.context.bell",
            ],
        },
    },
]

WSGI_APPLICATION = "salesrelay.wsgi.application"

AUTHENTICATION_BACKENDS = [
    # First: counts failed logins and refuses a locked one before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
]

# Login throttling (django-axes): after 5 failures of one login from one address that login is
# locked there for 30 minutes; `salesrelay axes_reset` (or `axes_reset_username LOGIN`) lifts it.
AXES_FAILURE_LIMIT = int(os.environ.get("SALESRELAY_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SALESRELAY_LOCKOUT_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "salesrelay.web.lockout.locked_out"
AXES_HTTP_RESPONSE_CODE = 429  # the status of the lockout page (django-axes' own default)


# Content-Security-Policy: scripts, styles, images and requests from this site only; no inline
# script and no style attribute at all (behaviour lives in static/js/app.js, looks in app.css,
# htmx is served by the app).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Errors (a 500 with its traceback, a failed command) go to stderr, where gunicorn, systemd or
# docker collect them; SALESRELAY_LOG_LEVEL=INFO shows more.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                            "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("SALESRELAY_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": os.environ.get("SALESRELAY_LOG_LEVEL", "WARNING"),
                   "propagate": False},
    },
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("SALESRELAY_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True
# Days and times per language on the pages (salesrelay/formats: ISO in English, 02.03.2026 in Russian).
FORMAT_MODULE_PATH = ["salesrelay.formats"]

STATIC_URL = "static/"
STATIC_ROOT = None  # served from the apps and salesrelay/static by WhiteNoise, no collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("SALESRELAY_MEDIA_ROOT", Path(os.getcwd()) / "media"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

class BusinessRules(TypedDict):
    """The settings of ``SALESRELAY``, typed for the code that reads them."""

    CURRENCY: str
    HANDOFF_ON: str
    IDLE_PROSPECT_DAYS: int
    ADJUSTMENT_MONTHS: int
    MAX_ADJUSTMENT: str
    TOKEN_DAYS: int
    POOL_NOTICE_DAYS: int
    SITE_URL: str


# The business rules an installation may tune (SPEC §2).
SALESRELAY: BusinessRules = {
    "CURRENCY": os.environ.get("SALESRELAY_CURRENCY", "RUB"),
    # "win": the client is handed off when its first deal is won; "payment": when it is first paid.
    "HANDOFF_ON": os.environ.get("SALESRELAY_HANDOFF_ON", "win"),
    "IDLE_PROSPECT_DAYS": int(os.environ.get("SALESRELAY_IDLE_PROSPECT_DAYS", "90")),
    # How many locked months before the month being calculated are checked for late changes
    # (each is recalculated); older locked months are final.
    "ADJUSTMENT_MONTHS": int(os.environ.get("SALESRELAY_ADJUSTMENT_MONTHS", "12")),
    # The largest manual adjustment (either sign) a dispute may book, in the currency.
    "MAX_ADJUSTMENT": os.environ.get("SALESRELAY_MAX_ADJUSTMENT", "1000000.00"),
    # How long a personal API token lasts (0: until revoked).
    "TOKEN_DAYS": int(os.environ.get("SALESRELAY_TOKEN_DAYS", "365")),
    # How many days ahead a hunter is told that a prospect returns to the free pool.
    "POOL_NOTICE_DAYS": int(os.environ.get("SALESRELAY_POOL_NOTICE_DAYS", "7")),
    # The address the links of notification e-mails start with.
    "SITE_URL": os.environ.get("SALESRELAY_SITE_URL", "http://127.0.0.1:8000"),
}

# E-mail (the notifications): SMTP when SALESRELAY_EMAIL_HOST is set, with Django's EMAIL_*
# settings from the environment; without it every message is written to stderr (the demo; a
# command's stdout is its output).
EMAIL_HOST = os.environ.get("SALESRELAY_EMAIL_HOST", "")
EMAIL_BACKEND = ("django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST
                 else "salesrelay.notifications.mail.ConsoleEmailBackend")
EMAIL_PORT = int(os.environ.get("SALESRELAY_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("SALESRELAY_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SALESRELAY_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("SALESRELAY_EMAIL_TLS", "1") == "1"
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("SALESRELAY_EMAIL_FROM", "SalesRelay <salesrelay@localhost>")

# Background jobs (the web import): django-q2 with its ORM broker, so that the queue is a table of
# the database itself, SQLite or PostgreSQL, and needs no other server. `salesrelay worker` runs
# the cluster (`make demo` starts one beside the development server). One worker: an import
# writes its whole history in one transaction, and two at once would only wait for each other.
# A job may take an hour before it is stopped, and is never retried (``retry`` above
# ``timeout``, one attempt): an import that failed is shown as failed, not run again.
# After a change of the data, the worker calculates the analytics' default months ahead of
# the pages (salesrelay/analytics/warm.py); 0 leaves that to the first page that needs them.
SALESRELAY_ROLLUP_WARM = os.environ.get("SALESRELAY_ROLLUP_WARM", "1") == "1"

Q_CLUSTER = {
    "name": "salesrelay",
    "orm": "default",
    "workers": 1,
    "recycle": 50,
    "timeout": 3600,
    "retry": 3720,
    "max_attempts": 1,
    "ack_failures": True,
    "save_limit": 200,
    "poll": 0.5,
    "catch_up": False,
    "log_level": os.environ.get("SALESRELAY_LOG_LEVEL", "WARNING"),
    "sync": False,  # True: a job runs in the request that queues it (the tests)
}

# The REST API (salesrelay/api.py): session or personal token, the access table on every route,
# JSON errors, pages of 50.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["salesrelay.people.access.RoutePermission"],
    "DEFAULT_PAGINATION_CLASS": "salesrelay.rest.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "salesrelay.rest.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser",
                               "rest_framework.parsers.FormParser"],
    "COERCE_DECIMAL_TO_STRING": True,
}
# The lists (salesrelay/web/lists.py): our table template, no inline script or style in it.
DJANGO_TABLES2_TEMPLATE = "web/table.html"

REST_KNOX = {"AUTH_HEADER_PREFIX": "Token", "TOKEN_TTL": None, "AUTO_REFRESH": False}
SPECTACULAR_SETTINGS = {
    "TITLE": "SalesRelay API",
    "DESCRIPTION": "The CRM, pay and analytics of SalesRelay. Sign in with the browser session "
                   "or send `Authorization: Token <token>` (create one on the Tokens page or "
                   "with `salesrelay token create LOGIN`).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "salesrelay.rest.document_errors"],
    "ENUM_NAME_OVERRIDES": {
        "DepartmentEnum": "salesrelay.people.choices.Department",
        "RoleEnum": "salesrelay.people.choices.Role",
        "SegmentEnum": "salesrelay.clients.choices.Segment",
        "DealStatusEnum": "salesrelay.deals.choices.DealStatus",
        "CostCategoryEnum": "salesrelay.deals.choices.CostCategory",
        "ActivityKindEnum": "salesrelay.pipeline.choices.ActivityKind",
        "OutcomeEnum": "salesrelay.pipeline.choices.Outcome",
        "MaterialKindEnum": "salesrelay.materials.choices.MaterialKind",
        "PeriodStatusEnum": "salesrelay.compensation.choices.PeriodStatus",
        "LineSourceEnum": "salesrelay.compensation.choices.LineSource",
        "DisputeStatusEnum": "salesrelay.compensation.choices.DisputeStatus",
        "StatementStatusEnum": "salesrelay.compensation.choices.StatementStatus",
        "OwnershipReasonEnum": "salesrelay.clients.choices.OwnershipReason",
    },
}
