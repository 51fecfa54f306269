"""The demonstration accounts: one per role, with a password that works in local settings only."""

from dataclasses import dataclass

from django.db import transaction

from ras.accounts.models import User
from ras.accounts.roles import Role
from ras.accounts.services import role_group, user_create


@dataclass(frozen=True, slots=True)
class DemoAccount:
    role: Role
    email: str
    full_name: str


DEMO_ACCOUNTS = (
    DemoAccount(Role.SERVICE_USER, "service.user@example.org", "Sam Taylor"),
    DemoAccount(Role.REPRESENTATIVE, "representative@example.org", "Rita Taylor"),
    DemoAccount(Role.SOCIAL_WORKER, "social.worker@example.org", "Wendy Okafor"),
    DemoAccount(Role.TEAM_MANAGER, "team.manager@example.org", "Mo Hussain"),
    DemoAccount(Role.FINANCE_LEAD, "finance.lead@example.org", "Fiona Clarke"),
    DemoAccount(Role.PANEL_MEMBER, "panel.member@example.org", "Pat Lewis"),
    DemoAccount(Role.ADMINISTRATOR, "administrator@example.org", "Ada Brown"),
)


@transaction.atomic
def demo_accounts_load(*, password: str) -> list[User]:
    """Creates the demo accounts, or resets them to their role and password. Safe to run again."""
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = user_create(
                email=account.email,
                full_name=account.full_name,
                roles=[account.role],
                password=password,
                is_demo=True,
            )
        else:
            user.set_password(password)
            user.is_demo = True
            user.is_active = True
            user.is_staff = account.role is Role.ADMINISTRATOR
            user.save()
            user.groups.set([role_group(account.role)])
        users.append(user)
    return users
