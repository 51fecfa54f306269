"""URLs of the budget decision pages, one module per area, each mounted by ras/urls.py."""
