"""Decided final budgets, as allocations may read them without importing the reviews app.

Budget decisions belong to the reviews app, which sits above this one, so a recalculation cannot
import them. Instead the reviews app registers a provider when it starts (``ReviewsConfig.ready``):
a function returning the SQL of a ``SELECT`` of ``(assessment_id, final_annual_pence)`` for every
assessment whose final budget is decided, and its parameters (``%s`` placeholders). Until a
provider is registered, no budget counts as decided.
"""

from collections.abc import Callable, Sequence
from typing import Any

# Query parameters are whatever the database driver accepts (ints, strings, dates...).
DecidedBudgetsSql = tuple[str, tuple[Any, ...]]
DecidedBudgetsProvider = Callable[[], tuple[str, Sequence[Any]]]

# No decided budget at all: the same two columns, and never a row.
NO_DECIDED_BUDGETS_SQL = (
    "SELECT NULL::bigint AS assessment_id, NULL::bigint AS final_annual_pence WHERE false"
)

_provider: DecidedBudgetsProvider | None = None


def register_decided_budgets(provider: DecidedBudgetsProvider) -> None:
    """Makes `provider` the source of decided budgets. Registering again replaces it."""
    global _provider
    _provider = provider


def decided_budgets_sql() -> DecidedBudgetsSql:
    """The SQL and parameters of a ``SELECT assessment_id, final_annual_pence`` of decided budgets.

    Each assessment appears at most once; amounts are integer pence a year.
    """
    if _provider is None:
        return NO_DECIDED_BUDGETS_SQL, ()
    sql, params = _provider()
    return sql, tuple(params)
