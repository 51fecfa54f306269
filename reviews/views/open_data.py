"""The open data page and its CSV: aggregate figures anyone may read, with no sign-in.

Every figure is suppressed by `reviews.suppression` before it reaches the page or the file.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from reviews.figures_snapshot import moment_words, refresh_every_words
from reviews.open_data import open_data_by_group, open_data_csv, open_data_read
from reviews.suppression import MINIMUM_PEOPLE

CSV_FILE_NAME = "personal-budgets-open-data.csv"


def index(request: HttpRequest) -> HttpResponse:
    """A table per client group by quarter, and how small numbers are kept back."""
    data = open_data_read()
    return render(
        request,
        "reviews/open_data/index.html",
        {
            "groups": open_data_by_group(data.published),
            "minimum_people": MINIMUM_PEOPLE,
            "as_at": moment_words(data.as_at),
            "every": refresh_every_words(int(settings.FIGURES_REFRESH_MINUTES)),
        },
    )


def download_csv(request: HttpRequest) -> HttpResponse:
    """The same cells as the page; suppressed cells read "fewer than 5"."""
    response = HttpResponse(
        open_data_csv(open_data_read().published), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{CSV_FILE_NAME}"'
    return response
