"""Pages for budget decisions, one module per area."""
