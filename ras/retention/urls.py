"""Retention runs and legal holds, mounted at /retention/ (administrators only).

Holds are found by opaque ids and runs by number: no personal data is ever in a URL.
"""

from django.urls import path

from ras.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.runs_page, name="runs"),
    path("runs/<int:run_id>/", views.run_page, name="run"),
    path("legal-holds/", views.holds_page, name="holds"),
    path("legal-holds/new/", views.hold_new, name="hold-new"),
    path("legal-holds/<uuid:hold_id>/release/", views.hold_release, name="hold-release"),
]
