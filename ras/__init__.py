"""The council RAS project package: settings, URLs, the Celery app, accounts and roles."""

from ras.celery import app as celery_app

__all__ = ("celery_app",)
