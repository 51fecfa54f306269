from django.urls import path

from ras.accounts import administration_views, session_views, two_step_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("home/", views.home, name="home"),
    path("two-step/", two_step_views.two_step, name="two-step"),
    path("two-step/recovery-code/", two_step_views.two_step_recovery, name="two-step-recovery"),
    path("two-step/set-up/", two_step_views.two_step_set_up, name="two-step-set-up"),
    path("two-step/recovery-codes/", two_step_views.recovery_codes, name="recovery-codes"),
    path("two-step/turn-off/", two_step_views.turn_off, name="two-step-turn-off"),
    path("your-account/", session_views.account, name="account"),
    path("sessions/", session_views.sessions, name="sessions"),
    path("sessions/<uuid:public_id>/end/", session_views.session_end_view, name="session-end"),
    path("sessions/end-others/", session_views.sessions_end_others, name="sessions-end-others"),
    path("administration/people/", administration_views.people, name="admin-people"),
    path(
        "administration/people/<uuid:public_id>/",
        administration_views.person,
        name="admin-person",
    ),
    path(
        "administration/people/<uuid:public_id>/sessions/<uuid:session_id>/end/",
        administration_views.session_end,
        name="admin-session-end",
    ),
    path(
        "administration/people/<uuid:public_id>/sessions/end-all/",
        administration_views.sessions_end,
        name="admin-sessions-end",
    ),
    path(
        "administration/people/<uuid:public_id>/reset-two-step/",
        administration_views.two_step_reset_view,
        name="admin-two-step-reset",
    ),
    path(
        "administration/account-actions/",
        administration_views.actions,
        name="admin-account-actions",
    ),
]
