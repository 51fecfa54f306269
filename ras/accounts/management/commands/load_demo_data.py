from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from allocations.demo import demo_calibration_load, demo_tables_load
from ras.accounts.demo import DEMO_ACCOUNTS, demo_accounts_load
from ras.accounts.roles import Role
from reviews.demo import demo_assessments_load
from reviews.demo_history import demo_history_load


class Command(BaseCommand):
    help = "Loads demo accounts for every role, tables, the SAQ and assessments. Safe to rerun."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ALLOW_DEMO_SIGN_IN or not settings.DEMO_PASSWORD:
            raise CommandError("Demo data is for local settings only (ras.settings.local).")
        users = demo_accounts_load(password=settings.DEMO_PASSWORD)
        by_role = {user.roles[0]: user for user in users}
        demo_tables_load(finance_lead=by_role[Role.FINANCE_LEAD], today=timezone.localdate())
        demo_calibration_load(finance_lead=by_role[Role.FINANCE_LEAD])
        demo_assessments_load(
            service_user=by_role[Role.SERVICE_USER],
            representative=by_role[Role.REPRESENTATIVE],
            social_worker=by_role[Role.SOCIAL_WORKER],
        )
        demo_history_load(
            finance_lead=by_role[Role.FINANCE_LEAD],
            social_workers=[by_role[Role.SOCIAL_WORKER]],
            manager=by_role[Role.TEAM_MANAGER],
            panel_member=by_role[Role.PANEL_MEMBER],
        )
        self.stdout.write(f"Demo sign-ins (password for all: {settings.DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role.value:<15} {account.email}")
        self.stdout.write(
            "Staff sign in in two steps: at the first sign-in each staff account sets up an "
            "authenticator app (the page also shows its key, for `oathtool --totp -b KEY`)."
        )
