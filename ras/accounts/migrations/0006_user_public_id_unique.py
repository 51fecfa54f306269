import uuid

from django.db import migrations, models


class Migration(migrations.Migration):
    """Step 3 of 3: every account has an id, and no two share one."""

    dependencies = [
        ("accounts", "0005_user_public_id_values"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
