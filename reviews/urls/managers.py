"""The team manager's queue and decision pages, mounted at /manager/.

Cases are found by the decision's number: no personal data is ever in a URL.
"""

from django.urls import path

from reviews.views import managers

app_name = "managers"

urlpatterns = [
    path("", managers.queue_page, name="queue"),
    path("decisions/<int:decision_id>/", managers.decision_page, name="decision"),
    *(
        path(
            f"decisions/<int:decision_id>/{slug}/",
            managers.decide,
            {"step": slug},
            name=slug,
        )
        for slug in managers.STEPS
    ),
]
