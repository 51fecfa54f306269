"""Settings for a developer's or a demonstrator's machine (`make run`)."""

from ras.settings.base import *  # noqa: F403
from ras.settings.base import env

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env("SECRET_KEY", default="local-only-secret-key-never-used-in-production")

# The printed demo sign-ins work here and nowhere else.
ALLOW_DEMO_SIGN_IN = True
DEMO_PASSWORD = env("DEMO_PASSWORD", default="demo-password-2026")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
