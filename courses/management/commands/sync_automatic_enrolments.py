"""Periodic job (cron or Celery beat): enrol staff in the courses closing their gaps, including
the requirements that became "expiring" or "expired" with the passing of time."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from courses.services import enrolments_sync_automatic


class Command(BaseCommand):
    help = "Enrol active staff in the live courses teaching the competencies they lack."

    def handle(self, *args, **options):
        created = enrolments_sync_automatic()
        self.stdout.write(_("%(count)s automatic enrolments created.") % {"count": created})
