from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from ras import health, views
from ras.api_reference.views import ApiReferenceView

urlpatterns = [
    path("", views.start, name="start"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/", include("ras.accounts.urls")),
    path("admin/", admin.site.urls),
    path("retention/", include("ras.retention.urls")),
    path("audit/", include("ras.audit.urls")),
    path("finance/tables/", include("allocations.urls.finance")),
    path("finance/tables/", include("allocations.urls.spreadsheets")),
    path("finance/tables/", include("allocations.urls.uplift")),
    path("finance/recalculations/", include("allocations.urls.recalculations")),
    path("finance/calibration/", include("allocations.urls.calibration")),
    path("allocation-tables/", include("allocations.urls.public")),
    path("self-assessment/", include("questionnaires.urls")),
    path("self-assessment/", include("allocations.urls.assessment")),
    path("self-assessment/", include("allocations.urls.letters")),
    path("cases/", include("reviews.urls.cases")),
    path("your-budget/", include("reviews.urls.person")),
    path("your-records/", include("ras.subject_access.urls.person")),
    path("subject-access/", include("ras.subject_access.urls.staff")),
    path("manager/", include("reviews.urls.managers")),
    path("panels/", include("reviews.urls.panels")),
    path("proposals/", include("reviews.urls.proposals")),
    path("open-data/", include("reviews.urls.open_data")),
    path("equity/", include("reviews.urls.equity")),
    path("figures/", include("reviews.urls.figures")),
    path("staff/assessments/", include("allocations.urls.staff_assessments")),
    path("api/", include("allocations.urls.api")),
    path("api/", include("allocations.urls.assessments_api")),
    path("api/", include("reviews.urls.api")),
    path("api/", include("reviews.urls.open_data_api")),
    path("api/", include("reviews.urls.equity_api")),
    path("api/", include("reviews.urls.figures_api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiReferenceView.as_view(), name="api-docs"),
]

handler403 = "ras.views.permission_denied"
handler404 = "ras.views.page_not_found"
handler500 = "ras.views.server_error"
