from django.core.management.base import BaseCommand

from assessments.services import attempts_close_overdue


class Command(BaseCommand):
    help = "Grade every attempt left open past its deadline (safe to run repeatedly)."

    def handle(self, *args, **options):
        self.stdout.write(f"{attempts_close_overdue()} attempt(s) closed")
