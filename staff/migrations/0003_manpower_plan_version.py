"""The manpower plan gets the ``version`` every revised document has, so that its saves
can refuse to overwrite someone else's change. Existing plans start at 1."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0002_manpower_plan_approved_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="manpowerplan",
            name="version",
            field=models.PositiveIntegerField(default=1),
        ),
    ]
