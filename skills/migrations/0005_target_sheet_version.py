# One version per organisation and framework for the target matrix (lost updates).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0002_thai_collation'),
        ('skills', '0004_round_and_group_rule_versions'),
    ]

    operations = [
        migrations.CreateModel(
            name='TargetSheet',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('framework', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='skills.framework')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='skill_target_sheets', to='portal.organization')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('organization', 'framework'), name='target_sheet_unique_in_org')],
            },
        ),
    ]
