from django.core.management.base import BaseCommand

from portal.demo import DEMO_LOGINS, demo_seed
from portal.history import command_reason, history_context


class Command(BaseCommand):
    help = "Create or refresh the demo organisation and its demo users (idempotent)."

    def handle(self, *args, **options) -> None:
        with history_context(reason=command_reason("seed_demo")):
            organization = demo_seed()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {organization.name_th}"))
        self.stdout.write("Demo logins (username / password):")
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.label:<10} {login.username:<10} / {login.password}")
