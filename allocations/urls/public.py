"""Transparency: every published table, a calculator, and downloads. No sign-in needed."""

from django.urls import path  # noqa: F401

app_name = "transparency"

urlpatterns: list = []
