"""Staff pages for checking assessments and filling them in with people, at /staff/assessments/."""

from django.urls import path

from allocations.views import staff_assessments

app_name = "staff-assessments"

urlpatterns = [
    path("", staff_assessments.assessment_list, name="list"),
    path("new/", staff_assessments.assessment_new, name="new"),
    path("<uuid:public_id>/", staff_assessments.assessment_detail, name="detail"),
    path(
        "<uuid:public_id>/questions/<slug:code>/",
        staff_assessments.question_view,
        name="question",
    ),
]
