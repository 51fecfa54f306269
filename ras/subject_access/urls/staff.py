"""Subject access for staff, mounted at /subject-access/. People are found by their opaque
public id: no personal data is ever in a URL."""

from django.urls import path

from ras.subject_access import views

app_name = "subject-access"

urlpatterns = [
    path("", views.find_person, name="find"),
    path("<uuid:public_id>/", views.person_page, name="person"),
    path("<uuid:public_id>/download/", views.staff_download, name="download"),
]
