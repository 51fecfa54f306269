"""Settings shared by every environment. Values that differ by place come from the environment."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

COUNCIL_NAME = env("COUNCIL_NAME", default="Northbrook Council")
SERVICE_NAME = env("SERVICE_NAME", default="Care and support budgets")
# Printed on letters.
COUNCIL_ADDRESS_LINES = env.list(
    "COUNCIL_ADDRESS_LINES",
    default=["Adult Social Care", "Town Hall", "Market Street", "Northbrook", "NB1 1AA"],
)
COUNCIL_CONTACT_PHONE = env("COUNCIL_CONTACT_PHONE", default="01632 960000")
COUNCIL_CONTACT_EMAIL = env("COUNCIL_CONTACT_EMAIL", default="adult.care@northbrook.example")
COUNCIL_CONTACT_HOURS = env("COUNCIL_CONTACT_HOURS", default="Monday to Friday, 9am to 5pm")

INSTALLED_APPS = [
    "ras.accounts",
    "ras.people",
    "ras.retention",
    "ras.audit",
    "ras.apps.RasAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "django_celery_results",
    "django_celery_beat",
    "pgtrigger",
    "pghistory",
    "axes",
    # Two-step sign-in: authenticator apps (TOTP); recovery codes are a device of ras.accounts.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "django_htmx",
    "questionnaires",
    "allocations",
    "reviews",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Nothing shown to a signed-in user is kept by a browser or a proxy.
    "ras.caching.NoStoreForSignedInUsersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ras.accounts.middleware.AbsoluteSessionLimitMiddleware",
    # Two-step sign-in: who has taken the second step, then the one door that asks for it.
    "django_otp.middleware.OTPMiddleware",
    "ras.accounts.middleware.SecondFactorMiddleware",
    "ras.accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # django-axes must come last: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ras.urls"
WSGI_APPLICATION = "ras.wsgi.application"

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
                "ras.context_processors.service",
            ],
        },
    },
]

DATABASES = {
    "default": {
        **env.db("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/ras"),
        # Persistent connections: a page with one query runs ~10x faster than reconnecting.
        "CONN_MAX_AGE": env.int("CONN_MAX_AGE", default=60),
        "CONN_HEALTH_CHECKS": True,
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ras.accounts.backends.EmailBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:signed-out"

# Demo accounts sign in only where a settings module says so (local settings only).
ALLOW_DEMO_SIGN_IN = False
DEMO_PASSWORD = ""

# Sessions: 30 minutes idle (sliding), 12 hours at most whatever the activity.
# They live in the database: the sessions pages end a session by deleting its row.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A session's "last seen" time is written at most this often, not at every request.
SESSION_LAST_SEEN_INTERVAL = timedelta(minutes=1)

# Two-step sign-in (ADR "two-step sign-in"). Authenticator apps show the council's name; wrong
# codes make the next try wait 1, 2, 4, 8... seconds; admin never shows an app's secret.
OTP_TOTP_ISSUER = COUNCIL_NAME
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Repeated failed sign-ins lock the account from that address for a while.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "ras.accounts.backends.lockout_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# Every failed sign-in is kept (who, when, from where), not only those counting towards a lockout.
AXES_ENABLE_ACCESS_FAILURE_LOG = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict policy: scripts only from this site, plus the one inline GOV.UK Frontend line by nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# Uploads: every request's files pass the size limit first (ras/uploads.py), one file at most.
FILE_UPLOAD_HANDLERS = [
    "ras.uploads.UploadSizeLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 1

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Council RAS API",
    "DESCRIPTION": "Allocation tables, pricing, assessments and budget decisions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # /api/docs/ is a page of our own made from the schema (ras.api_reference), so there are no
    # Swagger UI or ReDoc settings and no drf-spectacular-sidecar assets.
}

# Celery: the broker is Redis; results and the beat schedule live in the database.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 10 * 60
CELERY_TASK_TIME_LIMIT = 11 * 60
# Longer than any task may run, so Redis never hands a running task to a second worker.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="ras")
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "mark-overdue-reviews": {
        "task": "reviews.mark_overdue_reviews",
        "schedule": crontab(hour=1, minute=30),
    },
    "retention-run": {
        "task": "retention.retention_run",
        "schedule": crontab(hour=2, minute=30),
    },
}

# Retention (docs/adr: retention), applied each night by the "retention-run" job.
# Unsubmitted self-assessments are kept this long after their last answer.
SAQ_DRAFT_RETENTION_DAYS = env.int("SAQ_DRAFT_RETENTION_DAYS", default=90)
# People are emailed this many days before their unsubmitted self-assessment is deleted.
DRAFT_DELETION_WARNING_DAYS = env.int("DRAFT_DELETION_WARNING_DAYS", default=7)
# A case with no activity on any of the person's records for this many years is anonymised
# (the common adult social care schedule: 8 years after the case closed).
CLOSED_CASE_RETENTION_YEARS = env.int("CLOSED_CASE_RETENTION_YEARS", default=8)
# Records of signing in (and of failing to) are kept this many days (two years).
SIGN_IN_RETENTION_DAYS = env.int("SIGN_IN_RETENTION_DAYS", default=730)
# Journey pages warn this long before an idle session ends (never under 20 seconds, WCAG 2.2.1).
SAQ_SESSION_WARNING_SECONDS = env.int("SAQ_SESSION_WARNING_SECONDS", default=120)
# The questionnaire people answer online: the newest published version with this code.
SAQ_QUESTIONNAIRE_CODE = env("SAQ_QUESTIONNAIRE_CODE", default="saq")

# The access audit is kept this long (6 years), then a retention job may delete it. The number is
# written into the audit table's trigger: changing it needs a migration (makemigrations audit).
AUDIT_RETENTION_DAYS = 2192

# Reviews: the first 6-8 weeks after a final budget starts, then at least yearly.
REVIEW_FIRST_WEEKS = env.int("REVIEW_FIRST_WEEKS", default=6)
REVIEW_INTERVAL_DAYS = env.int("REVIEW_INTERVAL_DAYS", default=365)
# An emergency allocation needs a manager's confirmation within this many days.
EMERGENCY_CONFIRM_DAYS = env.int("EMERGENCY_CONFIRM_DAYS", default=3)
REVIEWS_EMAIL_FROM = env("REVIEWS_EMAIL_FROM", default="care.budgets@example.org")
# The sender of the warning that an unsubmitted self-assessment will be deleted.
RETENTION_EMAIL_FROM = env("RETENTION_EMAIL_FROM", default=REVIEWS_EMAIL_FROM)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# Recalculation runs price this many assessments (a contiguous range of ids) in one Celery task.
RECALCULATION_CHUNK_SIZE = env.int("RECALCULATION_CHUNK_SIZE", default=20_000)

# Equity figures: points are grouped in bands this wide, and a final budget is far from its peers
# when it lies more than this many interquartile ranges outside their middle half.
EQUITY_POINTS_BAND_WIDTH = env.int("EQUITY_POINTS_BAND_WIDTH", default=10)
EQUITY_OUTLIER_IQR_MULTIPLE = env("EQUITY_OUTLIER_IQR_MULTIPLE", default="1.5")
# The equity dashboard and the open data read figures Celery beat works out this often (minutes);
# the pages say when, and a manager or finance lead can ask for them to be worked out now.
FIGURES_REFRESH_MINUTES = env.int("FIGURES_REFRESH_MINUTES", default=60)
CELERY_BEAT_SCHEDULE["refresh-figures"] = {
    "task": "reviews.refresh_figures",
    "schedule": timedelta(minutes=FIGURES_REFRESH_MINUTES),
}

# How long /healthz waits for a Celery worker to answer a ping.
HEALTH_WORKER_PING_TIMEOUT_SECONDS = env.float("HEALTH_WORKER_PING_TIMEOUT", default=1.0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
