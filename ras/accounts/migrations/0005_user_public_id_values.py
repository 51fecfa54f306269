import uuid

from django.db import migrations


def give_each_account_its_own_id(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.only("pk").iterator():
        User.objects.filter(pk=user.pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    """Step 2 of 3: a different id for every existing account."""

    dependencies = [
        ("accounts", "0004_user_public_id"),
    ]

    operations = [
        migrations.RunPython(give_each_account_its_own_id, migrations.RunPython.noop),
    ]
