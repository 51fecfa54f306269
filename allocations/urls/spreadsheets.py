"""Excel and CSV export of any version, and import into a draft (finance leads)."""

from django.urls import path  # noqa: F401

app_name = "spreadsheets"

urlpatterns: list = []
