"""Transparency: every published table, a calculator, and downloads. No sign-in needed."""

from django.urls import path

from allocations.views import public

app_name = "transparency"

urlpatterns = [
    path("", public.index, name="index"),
    path("calculator/", public.calculator, name="calculator"),
    path("allocation-tables.json", public.download_json, name="download-json"),
    path("allocation-tables.csv", public.download_csv, name="download-csv"),
]
