from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from certificates.selectors import certificate_list_for_user, certificate_live_status
from competencies.selectors import (
    competency_records_withdrawn_for_staff,
    staff_requirement_statuses,
)
from courses.selectors import enrolment_list_for_staff
from staff.selectors import staff_for_user

from . import selectors


@never_cache
def healthz(request):
    """200 when the database answers; 503 otherwise (for load balancers)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def dashboard(request):
    """The officer's own page: learning, competencies and certificates."""
    staff = staff_for_user(user=request.user)
    certificates = [
        (c, certificate_live_status(certificate=c))
        for c in certificate_list_for_user(user=request.user).select_related("template")
    ]
    return render(
        request,
        "cms/dashboard.html",
        {
            "staff": staff,
            "enrolments": enrolment_list_for_staff(staff=staff) if staff else [],
            "competency_summary": selectors.CompetencySummary.of(
                staff_requirement_statuses(staff=staff)
            )
            if staff
            else None,
            "certificates": certificates,
        },
    )


@never_cache  # personal data on possibly shared office PCs
@login_required
def my_competencies(request):
    """The officer's requirements, where they stand on each, and what closes each gap."""
    staff = staff_for_user(user=request.user)
    return render(
        request,
        "cms/my_competencies.html",
        {
            "staff": staff,
            "overview": selectors.my_competencies(staff=staff) if staff else None,
            "window_days": settings.COMPETENCY_EXPIRING_WINDOW_DAYS,
            # evidence that no longer counts (its certificate was revoked), and why
            "withdrawn": list(competency_records_withdrawn_for_staff(staff=staff)) if staff else [],
        },
    )
