"""The self-assessment journey, mounted at /self-assessment/ (namespace "saq").

Sending the assessment and the confirmation with the budget are in `allocations.urls.assessment`,
mounted at the same place: they need money, which this app does not know.
"""

from django.urls import path

from questionnaires.views import answering, checking, sessions, starting

app_name = "saq"

urlpatterns = [
    path("", starting.start, name="start"),
    path(
        "sign-in-or-create-account/",
        starting.sign_in_or_create_account,
        name="sign-in-or-create-account",
    ),
    path("create-account/", starting.create_account, name="create-account"),
    path("new/", starting.new, name="new"),
    path("new/myself/", starting.new_myself, name="new-myself"),
    path("new/someone-else/", starting.new_someone_else, name="new-someone-else"),
    path("your-assessments/", starting.mine, name="mine"),
    path("keep-alive/", sessions.keep_alive, name="keep-alive"),
    path("signed-out/", sessions.timed_out, name="timed-out"),
    path("<uuid:public_id>/", answering.resume, name="resume"),
    path("<uuid:public_id>/who-for/", answering.client_group, name="client-group"),
    path("<uuid:public_id>/tasks/", answering.task_list, name="task-list"),
    path("<uuid:public_id>/questions/<slug:code>/", answering.question, name="question"),
    path("<uuid:public_id>/check/", checking.check, name="check"),
    path("<uuid:public_id>/come-back-later/", sessions.come_back_later, name="come-back-later"),
]
