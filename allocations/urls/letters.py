"""Letters to download, mounted under /self-assessment/ beside the journey."""

from django.urls import path

from allocations.views import letters

app_name = "letters"

urlpatterns = [
    path("<uuid:public_id>/letter.pdf", letters.indicative_budget, name="indicative-budget"),
]
