"""The person's pages about their budget, mounted at /your-budget/.

Decisions are found by their number; no personal data is ever in a URL.
"""

from django.urls import path

from reviews.views import person

app_name = "your-budget"

urlpatterns = [
    path("", person.budgets, name="budgets"),
    path("<int:decision_id>/", person.decision_page, name="decision"),
    path("<int:decision_id>/look-again/", person.challenge, name="challenge"),
    path(
        "<int:decision_id>/send-changed-answers/",
        person.send_changed_answers,
        name="send-changed-answers",
    ),
]
