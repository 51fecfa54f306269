"""The social worker's caseload and case pages, mounted at /cases/.

Cases are found by the decision's number, assessments by their opaque public id: no personal
data is ever in a URL.
"""

from django.urls import path

from reviews.views import case_actions, cases, emergency

app_name = "cases"

urlpatterns = [
    path("", cases.caseload_page, name="caseload"),
    path("take/<uuid:public_id>/", cases.take, name="take"),
    path("emergency/new/", emergency.emergency_new, name="emergency-new"),
    path("<int:decision_id>/", cases.case_page, name="detail"),
    path(
        "<int:decision_id>/requests/<int:event_id>/",
        cases.request_outcome_page,
        name="outcome",
    ),
    path("<int:decision_id>/agree/", case_actions.agree, name="agree"),
    path("<int:decision_id>/vary/", case_actions.vary, name="vary"),
    path("<int:decision_id>/outside-the-ras/", case_actions.outside_ras, name="outside-ras"),
    path("<int:decision_id>/return/", case_actions.return_to_person, name="return"),
    path("<int:decision_id>/start-review/", case_actions.start_review, name="start-review"),
    path("<int:decision_id>/contribution/", case_actions.contribution, name="contribution"),
]
