from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import timezone

from certificates.models import CertificateTemplate, IssuanceJob
from certificates.services import (
    ISSUANCE_CHUNK,
    IssuanceError,
    issuance_job_chunk,
    issuance_job_create,
)
from staff.models import OrgUnit, StaffRecord


class Command(BaseCommand):
    help = (
        "Issue a certificate template to many staff (a unit's subtree, a position, personnel "
        "numbers), printing the progress; --job resumes a bulk issuance started in the admin. "
        "Running it again issues nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--template", type=int, help="certificate template id")
        parser.add_argument("--unit", help="org unit code: everyone in its subtree")
        parser.add_argument("--position", help="position code")
        parser.add_argument("--numbers", nargs="*", default=[], help="personnel numbers")
        parser.add_argument("--job", type=int, help="resume this bulk issuance")

    def handle(self, *args, **options):
        if options["job"]:
            job = IssuanceJob.objects.filter(pk=options["job"]).first()
            if job is None:
                raise CommandError(f"no bulk issuance {options['job']}")
        else:
            job = self._create(options)
        IssuanceJob.objects.filter(pk=job.pk).exclude(status=IssuanceJob.Status.DONE).update(
            status=IssuanceJob.Status.RUNNING, started_at=timezone.now(), error=""
        )
        started = timezone.now()
        for start in range(0, job.total, ISSUANCE_CHUNK):
            job = issuance_job_chunk(job_id=job.pk, start=start)
            self.stdout.write(f"{job.processed}/{job.total}")
        seconds = max((timezone.now() - started).total_seconds(), 1e-6)
        self.stdout.write(
            f"job {job.pk}: {job.processed} of {job.total} certificates issued and signed, "
            f"{job.get_status_display()} ({job.total / seconds:.1f}/s)"
        )

    def _create(self, options) -> IssuanceJob:
        template = CertificateTemplate.objects.filter(pk=options["template"] or 0).first()
        if template is None:
            raise CommandError("--template: no such certificate template")
        condition = Q()
        if options["unit"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"--unit: no org unit {options['unit']}")
            condition &= Q(org_unit__path__startswith=unit.path)
        if options["position"]:
            condition &= Q(position__code=options["position"])
        if options["numbers"]:
            condition &= Q(personnel_number__in=options["numbers"])
        if not condition:
            raise CommandError("name staff with --unit, --position and/or --numbers")
        try:
            return issuance_job_create(
                template=template, staff=StaffRecord.objects.filter(condition), by=None, start=False
            )
        except IssuanceError as error:
            raise CommandError(str(error)) from error
