"""The budget decisions API (Django REST framework), mounted at /api/decisions/."""
