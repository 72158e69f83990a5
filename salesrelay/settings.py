"""Django settings. Everything a deployment changes comes from ``SALESRELAY_*`` variables."""

import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from salesrelay.database_url import database_from_url

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ.get("SALESRELAY_SECRET_KEY", "salesrelay-demo-key-change-me-in-production")
DEBUG = os.environ.get("SALESRELAY_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("SALESRELAY_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(
    ","
)

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
    "salesrelay.audit",
    "salesrelay.people",
    "salesrelay.materials",
    "salesrelay.clients",
    "salesrelay.pipeline",
    "salesrelay.deals",
    "salesrelay.payments",
    "salesrelay.finance",
    "salesrelay.compensation",
    "salesrelay.imports",
    "salesrelay.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
            ],
        },
    },
]

WSGI_APPLICATION = "salesrelay.wsgi.application"

DATABASES = {
    "default": database_from_url(
        os.environ.get("SALESRELAY_DATABASE_URL"), cwd=Path(os.getcwd())
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("SALESRELAY_TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = None  # served from the apps and salesrelay/static by WhiteNoise, no collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("SALESRELAY_MEDIA_ROOT", Path(os.getcwd()) / "media"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The business rules an installation may tune (SPEC §2).
SALESRELAY = {
    "CURRENCY": os.environ.get("SALESRELAY_CURRENCY", "RUB"),
    # "win": the client is handed off when its first deal is won; "payment": when it is first paid.
    "HANDOFF_ON": os.environ.get("SALESRELAY_HANDOFF_ON", "win"),
    "IDLE_PROSPECT_DAYS": int(os.environ.get("SALESRELAY_IDLE_PROSPECT_DAYS", "90")),
    # How many locked months before the month being calculated are checked for late changes
    # (each is recalculated); older locked months are final.
    "ADJUSTMENT_MONTHS": int(os.environ.get("SALESRELAY_ADJUSTMENT_MONTHS", "12")),
    # The largest manual adjustment (either sign) a dispute may book, in the currency.
    "MAX_ADJUSTMENT": os.environ.get("SALESRELAY_MAX_ADJUSTMENT", "1000000.00"),
}
