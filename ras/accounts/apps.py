from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ras.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from ras.accounts.middleware import record_session_at_sign_in

        # Django's hook into every sign-in (the sign-in page, admin's, a new account's first).
        user_logged_in.connect(record_session_at_sign_in, dispatch_uid="ras-record-session")
