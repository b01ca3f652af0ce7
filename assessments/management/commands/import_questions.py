"""python manage.py import_questions FILE [--format …] [--dry-run] [--competency CODE]
[--difficulty easy|medium|hard]: a question file into the bank, all or nothing (see
assessments.bank_import). Exit status 1, nothing written, on any error."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.bank_import import ImportRefused, bank_import_apply, bank_import_preview
from assessments.interchange import FORMATS
from assessments.models import Difficulty
from competencies.models import Competency


def _where(item) -> str:
    parts = []
    if item.position is not None:
        parts.append(_("position %(n)s") % {"n": item.position})
    if item.name:
        parts.append(f"“{item.name}”")
    return ", ".join(parts) or _("the file")


class Command(BaseCommand):
    help = "Import questions from a Moodle XML, GIFT or XLSX file into the question bank."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--format", choices=FORMATS)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--competency", help="competency code for questions without one")
        parser.add_argument("--difficulty", choices=Difficulty.values)

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(**options)

    def _handle(self, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read the file: %(error)s") % {"error": error}) from error
        competency = None
        if options["competency"]:
            competency = Competency.objects.filter(code=options["competency"]).first()
            if competency is None:
                raise CommandError(
                    _("The competency code “%(code)s” is not in the competency framework.")
                    % {"code": options["competency"]}
                )
        kwargs = {
            "data": data,
            "filename": path.name,
            "format": options["format"],
            "default_competency": competency,
            "default_difficulty": options["difficulty"] or "",
        }
        plan = bank_import_preview(**kwargs)
        if plan.ok and not options["dry_run"]:
            try:
                plan = bank_import_apply(**kwargs)
            except ImportRefused as refused:
                plan = refused.plan
        self._report(plan)
        if not plan.ok:
            self.stderr.write(_("The file has errors; nothing was imported."))
            raise SystemExit(1)
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))

    def _report(self, plan):
        counts = plan.counts
        self.stdout.write(
            _(
                "%(questions)d questions: %(create)d new, %(version)d new versions, "
                "%(unchanged)d unchanged; %(skipped)d skipped; %(errors)d errors."
            )
            % counts
        )
        for notice in plan.notices:
            self.stdout.write(
                _("Notice (%(where)s): %(message)s")
                % {"where": _where(notice), "message": notice.message}
            )
        for skipped in plan.skipped:
            self.stdout.write(
                _("Skipped (%(where)s, type %(type)s): %(reason)s")
                % {"where": _where(skipped), "type": skipped.qtype, "reason": skipped.reason}
            )
        for name, what in plan.losses:
            self.stdout.write(_("Not kept (“%(name)s”): %(what)s") % {"name": name, "what": what})
        for error in plan.errors:
            self.stderr.write(
                _("Error (%(where)s): %(message)s")
                % {"where": _where(error), "message": error.message}
            )
