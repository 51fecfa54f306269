from django.contrib import admin

from reviews.models import DelegatedAuthority, ReasonCode


@admin.register(DelegatedAuthority)
class DelegatedAuthorityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("role", "max_increase_bp", "max_increase_pence", "reduction_needs_manager")


@admin.register(ReasonCode)
class ReasonCodeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("label", "code", "is_active")
    list_filter = ("is_active",)
