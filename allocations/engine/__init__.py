"""The pricing engine: pure Python that turns points into money.

Nothing here imports Django, Django REST framework, Celery or any models module; callers pass
plain values in and get plain, immutable values back. Money is integer pence throughout.
"""

from allocations.engine.assessments import ScoredAnswer, ScoredAssessment
from allocations.engine.errors import PricingError
from allocations.engine.money import format_percentage, format_pounds, rhu
from allocations.engine.pricing import indicative_amounts, price, price_assessment, price_many
from allocations.engine.results import PricingResult
from allocations.engine.tables import Band, TableVersion
from allocations.engine.uplift import uplift_bands
from allocations.engine.validation import TableProblem, validate_table

__all__ = [
    "Band",
    "PricingError",
    "PricingResult",
    "ScoredAnswer",
    "ScoredAssessment",
    "TableProblem",
    "TableVersion",
    "format_percentage",
    "format_pounds",
    "indicative_amounts",
    "price",
    "price_assessment",
    "price_many",
    "rhu",
    "uplift_bands",
    "validate_table",
]
