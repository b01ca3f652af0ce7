"""The demo gives every report something real to show (issue 12, "Demo and docs")."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.models import Standing
from reports.selectors import compliance_overview
from staff.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())


def test_both_provinces_have_several_units_and_every_outcome(demo):
    hanoi = compliance_overview(scope=OrgUnit.objects.get(code="01"))
    caobang = compliance_overview(scope=OrgUnit.objects.get(code="04"))
    for overview in (hanoi, caobang):
        assert len(overview.children) >= 2
        total = overview.total
        assert total.all_met and total.part_met and total.none_met


def test_some_evidence_expires_within_30_days_and_some_has_expired(demo):
    today = timezone.localdate()
    rows = Standing.objects.filter(sufficient_until__isnull=False)
    assert rows.filter(sufficient_until__range=(today, today + timedelta(days=30))).exists()
    assert rows.filter(sufficient_until__lt=today).exists()


def test_dong_anh_has_officers_but_nobody_covers_radiation_safety(demo):
    today = timezone.localdate()
    dong_anh = Standing.objects.filter(org_unit__code="01-DA", domain__code="RAD")
    assert dong_anh.exists()
    assert not dong_anh.filter(sufficient_until__gte=today).exists()


def test_seeding_again_leaves_the_standings_as_they_were(demo, django_capture_on_commit_callbacks):
    before = sorted(Standing.objects.values_list("staff_id", "requirement_id", "sufficient_until"))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    after = sorted(Standing.objects.values_list("staff_id", "requirement_id", "sufficient_until"))
    assert after == before
