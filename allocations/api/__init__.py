"""The allocation tables API (Django REST framework): serializers and views."""
