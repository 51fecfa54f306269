"""The person's own copy of their records, mounted at /your-records/."""

from django.urls import path

from ras.subject_access import views

app_name = "your-records"

urlpatterns = [
    path("", views.your_records, name="list"),
    path("<uuid:public_id>/download/", views.your_download, name="download"),
]
