"""The manpower plan records its approval as the development plan does: ``approved_at``
(a moment) and ``approved_by``, instead of ``approved_on`` (a date). Each recorded date
becomes the start of that day in the portal's time zone, so the date shown is the same;
going back, the date is taken from the moment again."""

import datetime as dt

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def approved_on_to_approved_at(apps, schema_editor):
    ManpowerPlan = apps.get_model("staff", "ManpowerPlan")
    zone = timezone.get_default_timezone()
    for plan in ManpowerPlan.objects.filter(approved_on__isnull=False).only("approved_on"):
        plan.approved_at = dt.datetime.combine(plan.approved_on, dt.time.min, tzinfo=zone)
        plan.save(update_fields=["approved_at"])


def approved_at_to_approved_on(apps, schema_editor):
    ManpowerPlan = apps.get_model("staff", "ManpowerPlan")
    for plan in ManpowerPlan.objects.filter(approved_at__isnull=False).only("approved_at"):
        plan.approved_on = timezone.localdate(plan.approved_at)
        plan.save(update_fields=["approved_on"])


class Migration(migrations.Migration):

    dependencies = [
        ("staff", "0001_structure_staff_and_manpower"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Dropped first (and so added back last when going back, once the dates are
        # copied back): it refers to approved_on.
        migrations.RemoveConstraint(
            model_name="manpowerplan",
            name="manpower_plan_approved_has_date",
        ),
        migrations.AddField(
            model_name="manpowerplan",
            name="approved_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="approved at"),
        ),
        migrations.AddField(
            model_name="manpowerplan",
            name="approved_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="approved by",
            ),
        ),
        migrations.RunPython(approved_on_to_approved_at, approved_at_to_approved_on),
        migrations.RemoveField(
            model_name="manpowerplan",
            name="approved_on",
        ),
        migrations.AddConstraint(
            model_name="manpowerplan",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status__in", ["approved", "published"]), _negated=True),
                    ("approved_at__isnull", False),
                    _connector="OR",
                ),
                name="staff_manpowerplan_approved_has_date",
            ),
        ),
    ]
