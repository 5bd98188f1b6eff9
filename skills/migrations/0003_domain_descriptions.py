# One sentence per domain saying what it covers, shown on each step of the form.
from django.db import migrations

from skills.reference import describe_domains


def describe(apps, schema_editor):
    describe_domains(lambda name: apps.get_model("skills", name))


class Migration(migrations.Migration):
    dependencies = [("skills", "0002_load_frameworks")]

    operations = [migrations.RunPython(describe, migrations.RunPython.noop)]
