from django.core.management.base import BaseCommand

from reports.snapshots import snapshot_take


class Command(BaseCommand):
    help = (
        "Take this month's compliance snapshot from the stored standings (Celery beat does it on "
        "the first of each month); taking it again the same month replaces it."
    )

    def handle(self, *args, **options):
        rows = snapshot_take()
        self.stdout.write(f"{rows} snapshot rows")
