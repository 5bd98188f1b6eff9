"""Store again the target group of every project (plans/audience.py), for after a
change made outside the portal (SQL, a restore of part of the data)."""

from django.core.management.base import BaseCommand

from plans.audience import organization_audience_refresh
from plans.models import Project


class Command(BaseCommand):
    help = "Store again the target group of every project of every organisation."

    def handle(self, *args, **options) -> None:
        ids = sorted(set(Project.objects.values_list("plan__organization_id", flat=True)))
        for organization_id in ids:
            organization_audience_refresh(organization_id=organization_id)
        self.stdout.write(f"{len(ids)} organisations refreshed")
