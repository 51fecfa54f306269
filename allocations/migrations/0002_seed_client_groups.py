"""The four client groups every council's RAS starts with. Administrators can add more."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

CLIENT_GROUPS = (
    ("older-people", "Older people", "People aged 65 and over."),
    (
        "physical-disabilities",
        "Physical disabilities",
        "Adults with a physical or sensory disability.",
    ),
    ("mental-health", "Mental health", "Adults with mental health needs."),
    (
        "learning-disabilities",
        "Learning disabilities",
        "Adults with a learning disability or autism.",
    ),
)


def seed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    client_group = apps.get_model("allocations", "ClientGroup")
    for code, name, description in CLIENT_GROUPS:
        client_group.objects.get_or_create(
            code=code, defaults={"name": name, "description": description}
        )


class Migration(migrations.Migration):
    dependencies = [("allocations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
