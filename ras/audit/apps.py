from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ras.audit"
    label = "audit"
    verbose_name = "Access audit"
