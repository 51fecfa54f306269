"""The allocation tables API (Django REST framework)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
