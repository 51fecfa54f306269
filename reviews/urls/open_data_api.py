"""The open data API, mounted at /api/: /api/open-data/. Anyone may read it."""

from django.urls import path

from reviews.api.open_data import OpenDataView

app_name = "open-data-api"

urlpatterns = [
    path("open-data/", OpenDataView.as_view(), name="list"),
]
