from django.core.management.base import BaseCommand

from certificates.services import certificates_send_expiry_reminders


class Command(BaseCommand):
    help = (
        "Remind holders and their HR officers of certificates about to expire (thresholds in "
        "CERTIFICATE_EXPIRY_REMINDER_DAYS). Running it again sends nothing twice."
    )

    def handle(self, *args, **options):
        count = certificates_send_expiry_reminders()
        self.stdout.write(f"{count} expiry reminder(s) sent")
