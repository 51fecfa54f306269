from django.contrib import admin

from allocations.models import ClientGroup


@admin.register(ClientGroup)
class ClientGroupAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Administrators add client groups (a children's RAS, say); finance leads then give each
    group its allocation tables."""

    list_display = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
