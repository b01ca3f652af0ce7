"""The officer's own personnel record: what HR holds about them, read-only."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from staff.models import OrgUnit, StaffHistory, StaffRecord
from staff.selectors import staff_for_user

PROVINCE_KINDS = (OrgUnit.Kind.PROVINCE, OrgUnit.Kind.CITY)


def _province_of(unit: OrgUnit) -> OrgUnit | None:
    """The province or centrally governed city above a unit (None for a province itself)."""
    if unit.kind in PROVINCE_KINDS:
        return None
    return unit.get_ancestors().filter(kind__in=PROVINCE_KINDS).last()


def _history_of(staff: StaffRecord):
    return (
        StaffHistory.objects.filter(staff=staff)
        .select_related("org_unit", "position")
        .order_by("started_on", "pk")
    )


@never_cache  # personal data on possibly shared office PCs
@login_required
def my_record(request):
    """The signed-in officer's staff record and position history; a clear message, not a 404,
    for an account without a record."""
    staff = staff_for_user(user=request.user)
    context = {"staff": staff}
    if staff is not None:
        context["province"] = _province_of(staff.org_unit)
        context["history"] = list(_history_of(staff))
    return render(request, "cms/my_record.html", context)
