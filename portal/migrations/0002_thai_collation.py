# Thai dictionary order for names on PostgreSQL: an ICU collation named "thai", the same
# name the SQLite connection registers in Python (portal.thai), so querysets can order
# with Collate(field, "thai") on both backends. On other backends this does nothing.
from django.contrib.postgres.operations import CreateCollation
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_organizations_and_memberships")]

    operations = [CreateCollation("thai", provider="icu", locale="th-TH")]
