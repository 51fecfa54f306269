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


@dataclass(frozen=True, slots=True)
class RoleHome:
    """What a role's home page says that role can do."""

    role: Role
    summary: str
    can_do: tuple[str, ...]


ROLE_HOMES: dict[Role, RoleHome] = {
    home.role: home
    for home in (
        RoleHome(
            Role.SERVICE_USER,
            "Tell us about the support you need and see the budget we would start from.",
            (
                "Fill in your self-assessment, a little at a time if you like",
                "See your indicative personal budget and how it was worked out",
                "Follow what happens next and ask us to look again at a decision",
            ),
        ),
        RoleHome(
            Role.REPRESENTATIVE,
            "Fill in a self-assessment for someone you help, such as a relative or friend.",
            (
                "Start and fill in a self-assessment for the person you help",
                "See their indicative personal budget and how it was worked out",
                "Ask us to look again at a decision on their behalf",
            ),
        ),
        RoleHome(
            Role.SOCIAL_WORKER,
            "Check assessments with the people you support and agree their budgets.",
            (
                "See your caseload and the cases waiting for you",
                "Check a self-assessment and its indicative budget with the person",
                "Agree the budget, or vary it within your delegated authority with reasons",
                "Ask for an allocation outside the RAS with a costed support plan",
                "Record an emergency allocation for a person in crisis",
            ),
        ),
        RoleHome(
            Role.TEAM_MANAGER,
            "Approve budgets above your team's delegated authority.",
            (
                "See the requests waiting for your approval",
                "Approve, decline, send to panel or return a request, with reasons",
                "Confirm emergency allocations",
            ),
        ),
        RoleHome(
            Role.FINANCE_LEAD,
            "Own the allocation tables and see what a change would cost.",
            (
                "See every version of each client group's allocation table",
                "Draft a new table, edit it in the browser or in Excel, and publish it",
                "Compare two versions of a table",
                "Model a table change across historical cases before publishing it",
            ),
        ),
        RoleHome(
            Role.PANEL_MEMBER,
            "Decide the large or unusual allocations brought to panel.",
            (
                "See the meetings you sit on and their agendas",
                "Read each case's papers: the assessment, the plan and the reasons",
                "Record the panel's decision with reasons",
            ),
        ),
        RoleHome(
            Role.ADMINISTRATOR,
            "Look after accounts, roles and the settings the council controls.",
            (
                "Add people and give them roles",
                "Set delegated authority limits and reason codes",
                "Add client groups",
            ),
        ),
    )
}
