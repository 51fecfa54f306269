"""Celery tasks of the allocations app, where the worker's autodiscovery looks for them."""

from allocations.recalculation.tasks import price_chunk

__all__ = ["price_chunk"]
