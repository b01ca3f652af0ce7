from django.core.management.base import BaseCommand

from assessments.item_statistics import (
    item_statistics_recompute_all,
    item_statistics_recompute_pending,
)


class Command(BaseCommand):
    help = (
        "Recompute the item statistics of every question version drawn in a graded attempt, "
        "or with --pending only of those marked since the last run (periodic job)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200)
        parser.add_argument(
            "--pending",
            action="store_true",
            help="Only the question versions drawn in attempts graded since the last recompute.",
        )

    def handle(self, *args, batch_size, pending, **options):
        batch_size = max(1, batch_size)
        if pending:
            written = item_statistics_recompute_pending(batch_size=batch_size)
        else:
            written = item_statistics_recompute_all(batch_size=batch_size)
        self.stdout.write(f"Item statistics computed for {written} question versions.")
