# Reference data of the two OCSC-based frameworks (see skills/reference.py).
from django.db import migrations

from skills.reference import FRAMEWORKS, load_frameworks


def load(apps, schema_editor):
    load_frameworks(lambda name: apps.get_model("skills", name))


def unload(apps, schema_editor):
    apps.get_model("skills", "Framework").objects.filter(
        code__in=[f["code"] for f in FRAMEWORKS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("skills", "0001_frameworks_rounds_assessments")]

    operations = [migrations.RunPython(load, unload)]
