from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "ras.retention"
    label = "retention"
    verbose_name = "Retention of records and legal holds"
