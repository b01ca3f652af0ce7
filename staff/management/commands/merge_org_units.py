from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from staff.models import OrgUnit
from staff.services import org_unit_merge


class Command(BaseCommand):
    help = (
        "Merge units into another from a date: the merged units close with the other as their "
        "successor and their staff in service move to it, with their history kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", help="codes of the units that are merged")
        parser.add_argument("--into", required=True, help="code of the unit that takes over")
        parser.add_argument("--on", required=True, help="merger date, YYYY-MM-DD")

    def handle(self, *args, codes, into, on, **options):
        try:
            day = date.fromisoformat(on)
        except ValueError as exc:
            raise CommandError(f"--on: not a date (YYYY-MM-DD): {on}") from exc
        units = list(OrgUnit.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {u.code for u in units})
        target = OrgUnit.objects.filter(code=into).first()
        if unknown or target is None:
            raise CommandError(f"unknown unit code(s): {', '.join(unknown or [into])}")
        try:
            org_unit_merge(units=units, into=target, on=day)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"{len(units)} unit(s) merged into {target.code} on {day.isoformat()}")
