"""Issue 12, over time: a monthly snapshot of the figures (command and beat), the 12-month
trend of a scope, and the overview read as of a past month, by the units of that time."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command

from reports.models import ComplianceSnapshot
from reports.selectors import Filters, compliance_overview
from reports.snapshots import compliance_overview_as_of, compliance_trend, snapshot_take
from reports.standings import standings_rebuild
from tests.reports.test_overview import OVERVIEW, Tree, counts
from tests.staff.factories import hr_officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return Tree()


def test_a_snapshot_sums_to_the_live_overview_of_its_day(tree):
    snapshot_take(today=tree.today)
    month = tree.today.replace(day=1)
    for scope in (tree.ministry, tree.hanoi, tree.soc_son):
        live = compliance_overview(scope=scope, today=tree.today)
        past = compliance_overview_as_of(scope=scope, month=month)
        assert counts(past.total) == counts(live.total)
        assert [counts(c) for c in past.children] == [counts(c) for c in live.children]
    radiation = Filters(domain_id=tree.rad_domain.pk)
    assert counts(
        compliance_overview_as_of(scope=tree.hanoi, month=month, filters=radiation).total
    ) == counts(compliance_overview(scope=tree.hanoi, filters=radiation, today=tree.today).total)


def test_taking_the_month_again_replaces_it(tree):
    snapshot_take(today=tree.today)
    rows = ComplianceSnapshot.objects.count()
    snapshot_take(today=tree.today)
    assert ComplianceSnapshot.objects.count() == rows


def test_the_trend_has_one_point_per_month_taken_oldest_first(tree):
    two_months_ago = (tree.today.replace(day=1) - timedelta(days=40)).replace(day=1)
    snapshot_take(today=two_months_ago + timedelta(days=2))
    snapshot_take(today=tree.today)
    trend = compliance_trend(scope=tree.hanoi, today=tree.today)
    assert [p.month for p in trend] == [two_months_ago, tree.today.replace(day=1)]
    # two months ago the expired record (valid until yesterday) was still valid
    assert counts(trend[0].figures) == (4, 1, 2, 1)
    assert counts(trend[1].figures) == (4, 1, 1, 2)


def test_a_past_month_keeps_the_tree_of_its_time(tree):
    """An officer moved to another province after the snapshot is counted where she was."""
    snapshot_take(today=tree.today)
    tree.both.org_unit = tree.thong_nong
    tree.both.save()
    standings_rebuild()
    month = tree.today.replace(day=1)
    assert counts(compliance_overview(scope=tree.hanoi).total)[0] == 3
    assert counts(compliance_overview_as_of(scope=tree.hanoi, month=month).total)[0] == 4


def test_the_command_takes_the_snapshot():
    out = io.StringIO()
    call_command("reports_snapshot", stdout=out)
    assert "snapshot rows" in out.getvalue()


def test_the_overview_screen_as_of_a_month_and_its_trend(
    client, tree, django_assert_max_num_queries
):
    snapshot_take(today=tree.today)
    client.force_login(hr_officer_of(tree.hanoi))
    month = tree.today.replace(day=1)
    html = client.get(OVERVIEW, {"month": month.isoformat()}).content.decode()
    assert f'data-as-of="{month:%Y-%m}"' in html and 'data-staff="4"' in html
    assert "data-trend" in html and f'data-month="{month:%Y-%m}"' in html
    # a month that was never taken is a form error, not a 500
    response = client.get(OVERVIEW, {"month": "2001-01-01"})
    assert response.status_code == 200 and "help-critical" in response.content.decode()
    assert client.get(OVERVIEW, {"month": "gibberish"}).status_code == 200


def test_the_monthly_snapshot_is_on_beat(settings):
    entry = next(
        e
        for e in settings.CELERY_BEAT_SCHEDULE.values()
        if e["task"].endswith("snapshot_take_task")
    )
    assert entry["schedule"].day_of_month == {1}


def test_the_trend_takes_one_query(tree, django_assert_num_queries):
    snapshot_take(today=tree.today)
    with django_assert_num_queries(1):
        compliance_trend(scope=tree.ministry, today=date(tree.today.year, tree.today.month, 1))


def test_an_earlier_framework_version_is_read_from_its_snapshots(client, tree):
    from competencies.models import Framework
    from competencies.services import framework_new_version, framework_publish

    old = Framework.objects.get(status=Framework.Status.PUBLISHED)
    snapshot_take(today=tree.today - timedelta(days=40))
    new = framework_new_version(framework=old)
    framework_publish(framework=new)
    standings_rebuild()
    snapshot_take(today=tree.today)
    client.force_login(hr_officer_of(tree.hanoi))
    html = client.get(OVERVIEW, {"framework": old.pk}).content.decode()
    earlier = (tree.today - timedelta(days=40)).replace(day=1)
    # the latest month taken under the old version, and its trend only
    assert f'data-as-of="{earlier:%Y-%m}"' in html and f'data-framework="{old.pk}"' in html
    assert f'data-month="{earlier:%Y-%m}"' in html
    assert f'data-month="{tree.today:%Y-%m}"' not in html
    # a version no month was taken under is not offered
    assert client.get(OVERVIEW, {"framework": 999999}).status_code == 200
