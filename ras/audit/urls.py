"""The access audit for administrators, mounted at /audit/."""

from django.urls import path

from ras.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("find-a-person/", views.find_person, name="find-person"),
    path("find-a-member-of-staff/", views.find_staff, name="find-staff"),
    path("access-audit.csv", views.download, name="download"),
]
