from django.core.management.base import BaseCommand

from reports.standings import standings_rebuild


class Command(BaseCommand):
    help = "Rewrite the stored competency standings of every active staff member."

    def handle(self, *args, **options):
        rows = standings_rebuild()
        self.stdout.write(f"{rows} standings")
