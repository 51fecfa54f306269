from django.contrib.admin.apps import AdminConfig


class RasAdminConfig(AdminConfig):
    """Django admin, open to administrators only (see RasAdminSite)."""

    default_site = "ras.admin_site.RasAdminSite"
