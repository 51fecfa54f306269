"""Review tasks made when a new table is published, mounted at /proposals/.

Runs, tasks and cases are found by their numbers: no personal data is ever in a URL.
"""

from django.urls import path

from reviews.views import proposals

app_name = "proposals"

urlpatterns = [
    path("", proposals.task_list, name="list"),
    path("runs/", proposals.runs, name="runs"),
    path("runs/<int:run_id>/", proposals.create, name="create"),
    path("<int:proposal_id>/keep/", proposals.keep, name="keep"),
    path("<int:proposal_id>/start-review/", proposals.start_review, name="start-review"),
]
