"""The figures API, mounted at /api/: /api/figures/variations/ and /api/figures/timeliness/."""

from django.urls import path

from reviews.api.figures import TimelinessFiguresView, VariationFiguresView

app_name = "figures-api"

urlpatterns = [
    path("figures/variations/", VariationFiguresView.as_view(), name="variations"),
    path("figures/timeliness/", TimelinessFiguresView.as_view(), name="timeliness"),
]
