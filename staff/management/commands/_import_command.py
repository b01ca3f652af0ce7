"""Shared body of `import_staff` and `import_org_units`: same options, same report, same rule
(any error → exit code 1 and nothing written)."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from staff.importing import readers
from staff.services import import_file


class ImportCommand(BaseCommand):
    kind = ""

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="CSV, tab-separated text or XLSX file")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and print what would change, without writing anything",
        )
        parser.add_argument(
            "--date",
            dest="effective_date",
            type=date.fromisoformat,
            default=None,
            help="effective date of the changes (YYYY-MM-DD, default today)",
        )

    def handle(self, *args, file: Path, dry_run: bool, effective_date, **options):
        try:
            if file.stat().st_size > readers.MAX_FILE_BYTES:
                raise CommandError(readers.file_too_large_message())
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        # the command runs as the system: no HR scope limit
        plan = import_file(kind=self.kind, data=data, user=None, on=effective_date, dry_run=dry_run)
        self.stdout.write(
            _(
                "%(rows)s rows: %(create)s to create, %(update)s to update, "
                "%(unchanged)s unchanged, %(errors)s errors"
            )
            % {"rows": plan.total_rows, **plan.counts}
        )
        for notice in plan.notices:
            self.stdout.write(self.style.WARNING(notice))
        for error in plan.errors:
            self.stderr.write(
                _("Row %(row)s, column “%(column)s”: %(message)s")
                % {"row": error.row or "-", "column": error.column or "-", "message": error.message}
            )
        if plan.error_count > len(plan.errors):
            self.stderr.write(
                _("… and %(count)s more errors.") % {"count": plan.error_count - len(plan.errors)}
            )
        if not plan.ok:
            raise CommandError(
                _("The file has %(count)s errors; nothing was written.")
                % {"count": plan.error_count}
            )
        if dry_run:
            self.stdout.write(_("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported.")))
