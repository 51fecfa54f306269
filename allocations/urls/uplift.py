"""The annual uplift of a published table (finance leads), mounted at /finance/tables/."""

from django.urls import path

from allocations.views import uplift

app_name = "uplift"

urlpatterns = [
    path("<int:pk>/uplift/", uplift.uplift, name="uplift"),
]
