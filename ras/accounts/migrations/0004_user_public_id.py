import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    """Step 1 of 3: an opaque id for each account, nullable until every row has its own."""

    dependencies = [
        ("accounts", "0003_teams"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, null=True),
        ),
    ]
