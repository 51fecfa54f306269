"""The roles people hold in the service. Each role is a Django group of the same name."""

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    SERVICE_USER = "Service user"
    REPRESENTATIVE = "Representative"
    SOCIAL_WORKER = "Social worker"
    TEAM_MANAGER = "Team manager"
    FINANCE_LEAD = "Finance lead"
    PANEL_MEMBER = "Panel member"
    ADMINISTRATOR = "Administrator"

    @property
    def is_staff_role(self) -> bool:
        return self not in (Role.SERVICE_USER, Role.REPRESENTATIVE)


# The group names of the staff roles, for queries on people's groups.
STAFF_ROLE_NAMES = tuple(role.value for role in Role if role.is_staff_role)


@dataclass(frozen=True, slots=True)
class Task:
    """One thing a role can do, and the page (a URL name) where it starts."""

    text: str
    url_name: str


@dataclass(frozen=True, slots=True)
class RoleHome:
    """What a role's home page says that role can do."""

    role: Role
    summary: str
    can_do: tuple[Task, ...]


ROLE_HOMES: dict[Role, RoleHome] = {
    home.role: home
    for home in (
        RoleHome(
            Role.SERVICE_USER,
            "Tell us about the support you need and see the budget we would start from.",
            (
                Task("Fill in your self-assessment, a little at a time if you like", "saq:start"),
                Task("See your self-assessments and carry on where you stopped", "saq:mine"),
                Task(
                    "See your budget, every decision about it, and ask us to look again",
                    "your-budget:budgets",
                ),
                Task("Download a copy of everything we hold about you", "your-records:list"),
            ),
        ),
        RoleHome(
            Role.REPRESENTATIVE,
            "Fill in a self-assessment for someone you help, such as a relative or friend.",
            (
                Task("Start a self-assessment for the person you help", "saq:start"),
                Task("See the self-assessments you are filling in", "saq:mine"),
                Task(
                    "See their budget, every decision about it, and ask us to look again",
                    "your-budget:budgets",
                ),
                Task(
                    "Download a copy of everything we hold about the person you help",
                    "your-records:list",
                ),
            ),
        ),
        RoleHome(
            Role.SOCIAL_WORKER,
            "Check assessments with the people you support and agree their budgets.",
            (
                Task("See your caseload and the cases waiting for you", "cases:caseload"),
                Task("Check self-assessments and record your own view", "staff-assessments:list"),
                Task("See review tasks from a new allocation table", "proposals:list"),
                Task("Fill in a self-assessment with someone", "staff-assessments:new"),
                Task(
                    "Record an emergency allocation for a person in crisis", "cases:emergency-new"
                ),
            ),
        ),
        RoleHome(
            Role.TEAM_MANAGER,
            "Approve budgets above your team's delegated authority.",
            (
                Task(
                    "See the requests and emergency allocations waiting for you", "managers:queue"
                ),
                Task("See your team's caseload", "cases:caseload"),
                Task("Arrange panel meetings and their agendas", "panels:meetings"),
                Task("See whether similar needs get similar budgets", "equity:dashboard"),
                Task("See where budgets depart from the RAS, and why", "figures:variations"),
                Task("See how long people wait", "figures:timeliness"),
            ),
        ),
        RoleHome(
            Role.FINANCE_LEAD,
            "Own the allocation tables and see what a change would cost.",
            (
                Task("See every version of each client group's allocation table", "finance:index"),
                Task("See the published tables as the public sees them", "transparency:index"),
                Task("See what a table would do to every historical case", "recalculations:list"),
                Task("Create review tasks from a completed recalculation", "proposals:runs"),
                Task("Calibrate a table against what care really costs", "calibration:list"),
                Task("See whether similar needs get similar budgets", "equity:dashboard"),
                Task("See where budgets depart from the RAS, and why", "figures:variations"),
                Task("See how long people wait", "figures:timeliness"),
            ),
        ),
        RoleHome(
            Role.PANEL_MEMBER,
            "Decide the large or unusual allocations brought to panel.",
            (Task("See panel meetings, their agendas and each case's papers", "panels:meetings"),),
        ),
        RoleHome(
            Role.ADMINISTRATOR,
            "Look after accounts, roles, delegated authority and reason codes.",
            (
                Task("Go to administration", "admin:index"),
                Task(
                    "Send someone a copy of everything we hold about them (subject access)",
                    "subject-access:find",
                ),
                Task("See what the nightly retention run deleted, and why", "retention:runs"),
                Task("Place and release legal holds on people’s records", "retention:holds"),
                Task("See who looked at a person’s records", "audit:search"),
                Task(
                    "Reset a colleague's two-step sign-in, or end someone's sessions",
                    "accounts:admin-people",
                ),
                Task(
                    "See what administrators did to people's sign-in",
                    "accounts:admin-account-actions",
                ),
            ),
        ),
    )
}
