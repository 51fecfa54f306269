"""Excel and CSV export of any version, and import into a draft (finance leads)."""

from django.urls import path

from allocations.views import spreadsheets

app_name = "spreadsheets"

urlpatterns = [
    path("<int:pk>/export.xlsx", spreadsheets.table_export_xlsx, name="export-xlsx"),
    path("<int:pk>/export.csv", spreadsheets.table_export_csv, name="export-csv"),
    path("<int:pk>/import/", spreadsheets.table_import, name="import"),
]
