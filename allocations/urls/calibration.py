"""Calibration samples: upload existing cases and compare a table's amounts with their cost."""

from django.urls import path

from allocations.views import calibration

app_name = "calibration"

urlpatterns = [
    path("", calibration.calibration_samples_page, name="list"),
    path("<int:pk>/", calibration.calibration_sample_page, name="detail"),
]
