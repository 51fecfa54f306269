"""Figures for managers and finance leads, mounted at /figures/: variations and timeliness."""

from django.urls import path

from reviews.views import figures

app_name = "figures"

urlpatterns = [
    path("variations/", figures.variations_page, name="variations"),
    path("timeliness/", figures.timeliness_page, name="timeliness"),
    *(
        path(
            f"{page}/<slug:table>.{file_format}",
            view,
            {"file_format": file_format},
            name=f"{page}-{file_format}",
        )
        for page, view in (
            ("variations", figures.variations_download),
            ("timeliness", figures.timeliness_download),
        )
        for file_format in ("csv", "xlsx")
    ),
]
