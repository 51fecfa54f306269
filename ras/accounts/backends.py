from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser


class EmailBackend(ModelBackend):
    """Signs people in by email address. Demo accounts work only where settings allow them."""

    def user_can_authenticate(self, user: AbstractBaseUser | None) -> bool:
        if getattr(user, "is_demo", False) and not settings.ALLOW_DEMO_SIGN_IN:
            return False
        return super().user_can_authenticate(user)
