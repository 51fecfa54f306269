from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "ras.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
