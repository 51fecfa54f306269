"""Settings for the test suite: the real PostgreSQL and Redis, a Redis database of its own."""

from ras.settings.base import *  # noqa: F403
from ras.settings.base import env

SECRET_KEY = "test-only-secret-key-with-enough-length-and-variety-0123456789"
DEBUG = False
ALLOWED_HOSTS = ["*"]

ALLOW_DEMO_SIGN_IN = True
DEMO_PASSWORD = "demo-password-2026"

# Fast hashing: the tests sign in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/15")
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="ras-test")
HEALTH_WORKER_PING_TIMEOUT_SECONDS = 2.0

# Serve static files straight from the source folders, as `make run` does, with no collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Email stays in memory, in the test process and in the real Celery workers the tests start.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
