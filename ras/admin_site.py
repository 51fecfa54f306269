from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest

from ras.accounts.roles import Role


class RasAdminSite(admin.AdminSite):
    """The admin site: only active users with the administrator role may enter."""

    site_header = f"{settings.SERVICE_NAME} administration"
    site_title = settings.SERVICE_NAME

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.has_role(Role.ADMINISTRATOR))
