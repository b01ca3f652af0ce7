from django.core.management.base import BaseCommand

from certificates.services import certificates_render_pending


class Command(BaseCommand):
    help = "Render the PDF of every certificate that has none yet (safe to run repeatedly)."

    def handle(self, *args, **options):
        count = certificates_render_pending()
        self.stdout.write(f"{count} certificate PDF(s) rendered")
