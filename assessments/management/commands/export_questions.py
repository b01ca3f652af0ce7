"""python manage.py export_questions --format moodlexml|gift|xlsx [--output FILE]
[--status approved]: the question bank as a file (standard output when no --output)."""

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.bank_export import bank_export, bank_export_queryset
from assessments.interchange import FORMATS
from assessments.models import Question


class Command(BaseCommand):
    help = "Export the question bank as a Moodle XML, GIFT or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("--output")
        parser.add_argument("--status", choices=Question.Status.values)

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            content, warnings = bank_export(
                format=options["format"],
                questions=bank_export_queryset(status=options["status"] or ""),
            )
            for warning in warnings:
                self.stderr.write(
                    _("%(what)s “%(name)s”: %(message)s")
                    % {
                        "what": _("Left out") if warning.skipped else _("Not kept"),
                        "name": warning.name,
                        "message": warning.message,
                    }
                )
        if options["output"]:
            Path(options["output"]).write_bytes(content)
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
