from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "ras.people"
    label = "people"
    verbose_name = "People who receive care and support"
