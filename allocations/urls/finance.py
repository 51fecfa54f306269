"""Finance lead pages: versions per client group, drafts, editing, publishing, comparing."""

from django.urls import path  # noqa: F401

app_name = "finance"

urlpatterns: list = []
