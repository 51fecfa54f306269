"""The equity figures API, mounted at /api/."""

from django.urls import path

from reviews.api.equity import EquityBandsView, EquityOutliersView

app_name = "equity-api"

urlpatterns = [
    path("equity/bands/", EquityBandsView.as_view(), name="bands"),
    path("equity/outliers/", EquityOutliersView.as_view(), name="outliers"),
]
