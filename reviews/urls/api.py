"""The budget decisions API, mounted at /api/: /api/decisions/ and its actions."""

from rest_framework.routers import SimpleRouter

from reviews.api.views import DecisionViewSet

app_name = "decisions-api"

router = SimpleRouter()
router.register("decisions", DecisionViewSet, basename="decision")

urlpatterns = router.urls
