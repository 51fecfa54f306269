from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ras.accounts.demo import DEMO_ACCOUNTS, demo_accounts_load


class Command(BaseCommand):
    help = "Loads the demonstration data (accounts for every role). Safe to run more than once."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ALLOW_DEMO_SIGN_IN or not settings.DEMO_PASSWORD:
            raise CommandError("Demo data is for local settings only (ras.settings.local).")
        demo_accounts_load(password=settings.DEMO_PASSWORD)
        self.stdout.write(f"Demo sign-ins (password for all: {settings.DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role.value:<15} {account.email}")
