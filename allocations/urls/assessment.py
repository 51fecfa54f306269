"""Sending a self-assessment and its confirmation with the indicative budget.

Mounted at /self-assessment/ beside the journey (`questionnaires.urls`): these pages price money,
so they belong to the allocations app, which may read the questionnaires but not the reverse.
"""

from django.urls import path

from allocations.views import assessment_budget

app_name = "assessment-budget"

urlpatterns = [
    path("<uuid:public_id>/submit/", assessment_budget.submit, name="submit"),
    path("<uuid:public_id>/confirmation/", assessment_budget.confirmation, name="confirmation"),
]
