"""The monthly digest e-mail to each HR officer: her scope's key figures, the people whose
evidence expires within 30 days, linking to the reports. Sent on the first of the month by
Celery beat; an officer may opt out. Each (officer, month) is recorded before its mail goes,
under a unique constraint, so a second run (or two at once) sends nothing twice, and a mail
that fails rolls its record back for the next run."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Min
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from lms.site_url import site_url
from staff.models import HRAssignment, OrgUnit

from .coverage import DomainCoverage, coverage_report
from .models import DigestOptOut, DigestSent, Standing
from .selectors import Overview, compliance_overview, subtree_bounds
from .snapshots import month_start

logger = logging.getLogger(__name__)
EXPIRING_DAYS = 30
LISTED = 20  # people named in the mail; the report has the rest


@dataclass(frozen=True)
class Expiring:
    full_name: str
    unit_name: str
    first_expiry: date


@dataclass
class UnitDigest:
    overview: Overview
    expiring: list[Expiring]
    expiring_count: int
    # the domains some commune of the scope has nobody covering, with those communes
    uncovered: list[DomainCoverage]


def unit_digest(*, unit: OrgUnit, today: date) -> UnitDigest:
    """The figures of one HR scope for the mail. A constant number of queries."""
    low, high = subtree_bounds(unit.path)
    soon = (
        Standing.objects.filter(
            unit_path__gte=low,
            unit_path__lt=high,
            sufficient_until__gte=today,
            sufficient_until__lte=today + timedelta(days=EXPIRING_DAYS),
        )
        .values("staff_id", "staff__full_name", "org_unit__name")
        .annotate(first=Min("sufficient_until"))
        .order_by("first", "staff__full_name")
    )
    return UnitDigest(
        overview=compliance_overview(scope=unit, today=today),
        expiring=[
            Expiring(r["staff__full_name"], r["org_unit__name"], r["first"]) for r in soon[:LISTED]
        ],
        expiring_count=soon.count(),
        uncovered=[d for d in coverage_report(scope=unit, today=today).per_domain if d.uncovered],
    )


def report_digests_send(*, today: date | None = None) -> int:
    """This month's digest to every active HR officer with an e-mail address who has not opted
    out; the number sent."""
    today = today or timezone.localdate()
    month = month_start(today)
    opted_out = DigestOptOut.objects.values("user_id")
    already = DigestSent.objects.filter(month=month).values("user_id")
    assignments = (
        HRAssignment.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .exclude(user_id__in=opted_out)
        .exclude(user_id__in=already)
        .select_related("user", "org_unit")
        .order_by("user_id", "org_unit__path")
    )
    by_user: dict[int, tuple] = {}
    for assignment in assignments:
        by_user.setdefault(assignment.user_id, (assignment.user, []))[1].append(assignment.org_unit)
    base = site_url()
    links = {
        "overview_url": base + reverse("reports_overview"),
        "opt_out_url": base + reverse("reports_digest"),
    }
    sent = 0
    for user, units in by_user.values():
        digests = [unit_digest(unit=unit, today=today) for unit in units]
        context = {"user": user, "month": month, "today": today, "digests": digests, **links}
        try:
            with transaction.atomic():
                DigestSent.objects.create(user=user, month=month)
                with override("vi"):  # the staff's language
                    subject = render_to_string("reports/email/digest_subject.txt", context)
                    body = render_to_string("reports/email/digest_message.txt", context)
                send_mail(" ".join(subject.split()), body.strip() + "\n", None, [user.email])
        except IntegrityError:
            continue  # a concurrent run took this one
        except Exception:
            logger.exception("monthly report digest for user %s not sent", user.pk)
            continue
        sent += 1
    return sent


def digest_opted_out(*, user) -> bool:
    return DigestOptOut.objects.filter(user=user).exists()


def digest_subscription_set(*, user, receive: bool) -> None:
    if receive:
        DigestOptOut.objects.filter(user=user).delete()
    else:
        DigestOptOut.objects.get_or_create(user=user)
