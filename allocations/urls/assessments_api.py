"""The self-assessment API, mounted at /api/: the published questionnaire and assessments."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from allocations.api.assessments import AssessmentViewSet, CurrentQuestionnaireView

app_name = "assessments-api"

router = SimpleRouter()
router.register("assessments", AssessmentViewSet, basename="assessment")

urlpatterns = [
    path(
        "questionnaires/current/",
        CurrentQuestionnaireView.as_view(),
        name="questionnaire-current",
    ),
    *router.urls,
]
