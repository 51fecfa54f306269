"""The allocation tables API (Django REST framework), mounted at /api/."""

from rest_framework.routers import SimpleRouter

from allocations.api.views import ClientGroupViewSet, TableVersionViewSet

app_name = "api"

router = SimpleRouter()
router.register("client-groups", ClientGroupViewSet, basename="client-group")
router.register("table-versions", TableVersionViewSet, basename="table-version")

urlpatterns = router.urls
