"""The open data page and its CSV: aggregate figures anyone may read, with no sign-in.

Every figure is suppressed by `reviews.suppression` before it reaches the page or the file.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reviews.open_data import open_data_by_group, open_data_csv, open_data_published
from reviews.suppression import MINIMUM_PEOPLE

CSV_FILE_NAME = "personal-budgets-open-data.csv"


def index(request: HttpRequest) -> HttpResponse:
    """A table per client group by quarter, and how small numbers are kept back."""
    published = open_data_published()
    return render(
        request,
        "reviews/open_data/index.html",
        {"groups": open_data_by_group(published), "minimum_people": MINIMUM_PEOPLE},
    )


def download_csv(request: HttpRequest) -> HttpResponse:
    """The same cells as the page; suppressed cells read "fewer than 5"."""
    response = HttpResponse(
        open_data_csv(open_data_published()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{CSV_FILE_NAME}"'
    return response
