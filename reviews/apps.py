from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Budget reviews and decisions"

    def ready(self) -> None:
        from allocations.recalculation.decided import register_decided_budgets

        # Recalculation runs (in allocations, below this app) read decided budgets through this.
        register_decided_budgets(decided_budgets_sql)


def decided_budgets_sql() -> tuple[str, tuple[str, str]]:
    """A SELECT of (assessment_id, final_annual_pence) for every agreed or varied final budget,
    with its parameters. An assessment has at most one decision, so it appears at most once."""
    from django.db import connection, models

    from reviews.models import BudgetDecision
    from reviews.workflow import State

    def column(name: str) -> str:
        field = BudgetDecision._meta.get_field(name)
        if not isinstance(field, models.Field) or field.column is None:  # pragma: no cover
            raise TypeError(f"BudgetDecision.{name} is not a column")
        return connection.ops.quote_name(field.column)

    table = connection.ops.quote_name(BudgetDecision._meta.db_table)
    assessment, final, state = column("assessment"), column("final_annual_pence"), column("state")
    sql = (
        f"SELECT {assessment} AS assessment_id, {final} AS final_annual_pence "  # noqa: S608
        f"FROM {table} WHERE {state} IN (%s, %s) "
        f"AND {assessment} IS NOT NULL AND {final} IS NOT NULL"
    )
    return sql, (State.AGREED.value, State.VARIED.value)
