"""The revision constraints take the names the shared RevisedDocument gives them
(``<app>_<model>_…``); what they enforce is unchanged."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0003_manpower_plan_version"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="manpowerplan",
            name="manpower_plan_revision_unique",
        ),
        migrations.RemoveConstraint(
            model_name="manpowerplan",
            name="manpower_plan_first_fy_is_buddhist_era",
        ),
        migrations.AddConstraint(
            model_name="manpowerplan",
            constraint=models.UniqueConstraint(
                fields=("organization", "first_fy", "revision"),
                name="staff_manpowerplan_revision_unique",
            ),
        ),
        migrations.AddConstraint(
            model_name="manpowerplan",
            constraint=models.CheckConstraint(
                condition=models.Q(("first_fy__gte", 2500), ("first_fy__lte", 2700)),
                name="staff_manpowerplan_first_fy_is_buddhist_era",
            ),
        ),
    ]
