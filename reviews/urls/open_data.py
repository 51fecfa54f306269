"""Open data about personal budgets, mounted at /open-data/. No sign-in needed."""

from django.urls import path

from reviews.views import open_data

app_name = "open-data"

urlpatterns = [
    path("", open_data.index, name="index"),
    path("personal-budgets.csv", open_data.download_csv, name="download-csv"),
]
