from django.core.management.base import BaseCommand

from cms.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Load demo data (provinces, framework, course, exam, one account per role). Idempotent."

    def handle(self, *args, **options):
        seed_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Accounts (password {DEMO_PASSWORD}):")
        )
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:10} {account.role.value}")
