"""The development plan becomes a RevisedDocument: its revision constraints take the
shared names, the approval date check is the shared one (the check that an approved plan
says who approved it stays the plan's own), and fields gain their verbose names. No
column changes; every row stays as it is."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0002_progress_records_dismissals'),
        ('portal', '0002_thai_collation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='developmentplan',
            name='plan_revision_unique',
        ),
        migrations.RemoveConstraint(
            model_name='developmentplan',
            name='plan_first_fy_is_buddhist_era',
        ),
        migrations.RemoveConstraint(
            model_name='developmentplan',
            name='approved_plan_records_who_and_when',
        ),
        migrations.AlterField(
            model_name='developmentplan',
            name='approved_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='approved at'),
        ),
        migrations.AlterField(
            model_name='developmentplan',
            name='approved_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='approved by'),
        ),
        migrations.AlterField(
            model_name='developmentplan',
            name='organization',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='development_plans', to='portal.organization', verbose_name='organization'),
        ),
        migrations.AddConstraint(
            model_name='developmentplan',
            constraint=models.UniqueConstraint(fields=('organization', 'first_fy', 'revision'), name='plans_developmentplan_revision_unique'),
        ),
        migrations.AddConstraint(
            model_name='developmentplan',
            constraint=models.CheckConstraint(condition=models.Q(('first_fy__gte', 2500), ('first_fy__lte', 2700)), name='plans_developmentplan_first_fy_is_buddhist_era'),
        ),
        migrations.AddConstraint(
            model_name='developmentplan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['approved', 'published']), _negated=True), ('approved_at__isnull', False), _connector='OR'), name='plans_developmentplan_approved_has_date'),
        ),
        migrations.AddConstraint(
            model_name='developmentplan',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status__in', ['approved', 'published']), _negated=True), ('approved_by__isnull', False), _connector='OR'), name='approved_plan_records_who'),
        ),
    ]
