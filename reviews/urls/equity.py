"""The equity dashboard and its downloads, mounted at /equity/."""

from django.urls import path

from reviews.views import equity

app_name = "equity"

urlpatterns = [
    path("", equity.equity_page, name="dashboard"),
    path("refresh/", equity.equity_refresh, name="refresh"),
    *(
        path(
            f"{table}.{file_format}",
            equity.equity_download,
            {"table": table, "file_format": file_format},
            name=f"{table}-{file_format}",
        )
        for table in equity.TABLES
        for file_format in ("csv", "xlsx")
    ),
]
