"""Default delegated authority (panels for the big cases only) and reason codes."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

AUTHORITY = (
    # role, basis points, pence a year, does a reduction need a manager?
    ("Social worker", 1_000, 200_000, True),
    ("Team manager", 2_500, 1_000_000, False),
)
REASON_CODES = (
    ("health-not-captured", "Health needs the questionnaire does not capture"),
    ("behaviour-that-challenges", "Behaviour that challenges needs extra support"),
    ("two-carers-needed", "Two care workers are needed at once"),
    ("night-support", "Support is needed at night"),
    ("carer-breakdown-risk", "The family carer is at risk of breaking down"),
    ("rural-travel", "Support costs more where the person lives"),
    ("cultural-or-language", "Cultural or language needs"),
    ("lower-cost-option", "A lower-cost way meets the same needs"),
    ("other-service-meets-need", "Another service already meets some of the needs"),
    ("other", "Another reason, written below"),
)


def seed(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    authority = apps.get_model("reviews", "DelegatedAuthority")
    for role, bp, pence, reduction_needs_manager in AUTHORITY:
        authority.objects.get_or_create(
            role=role,
            defaults={
                "max_increase_bp": bp,
                "max_increase_pence": pence,
                "reduction_needs_manager": reduction_needs_manager,
            },
        )
    reason_code = apps.get_model("reviews", "ReasonCode")
    for code, label in REASON_CODES:
        reason_code.objects.get_or_create(code=code, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
