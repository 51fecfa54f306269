from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django_otp.plugins.otp_totp import admin as totp_admin

from ras.accounts.models import Team, User

# Authenticator apps are reset on the administrators' own page, which asks for a reason and
# keeps it: admin must not be a second door that removes them silently.
admin.site.unregister(totp_admin.TOTPDevice)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name",)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):  # type: ignore[type-arg]
    ordering = ("email",)
    list_display = ("email", "full_name", "is_active", "is_demo")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name", "team")}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "is_demo", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
