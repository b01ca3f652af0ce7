from django.core.management.base import BaseCommand
from wagtail import hooks

from demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load demo data (provinces, framework, course, exam, one account per role). Idempotent."

    def handle(self, *args, **options):
        # the admin's snippets and viewsets register their models for Wagtail's reference
        # index in wagtail_hooks modules: load them first, as a web process does, or the
        # first seed's records are left out of the index
        hooks.search_for_hooks()
        seed_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Accounts (password {DEMO_PASSWORD}):")
        )
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.username:10} {account.role.value}")
