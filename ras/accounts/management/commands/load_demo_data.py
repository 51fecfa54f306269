from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from allocations.demo import demo_tables_load
from ras.accounts.demo import DEMO_ACCOUNTS, demo_accounts_load
from ras.accounts.roles import Role


class Command(BaseCommand):
    help = (
        "Loads the demonstration data: accounts for every role, allocation tables. Safe to rerun."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ALLOW_DEMO_SIGN_IN or not settings.DEMO_PASSWORD:
            raise CommandError("Demo data is for local settings only (ras.settings.local).")
        users = demo_accounts_load(password=settings.DEMO_PASSWORD)
        finance_lead = next(user for user in users if user.has_role(Role.FINANCE_LEAD))
        demo_tables_load(finance_lead=finance_lead, today=timezone.localdate())
        self.stdout.write(f"Demo sign-ins (password for all: {settings.DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role.value:<15} {account.email}")
