"""Issue 12: the monthly digest e-mail to each HR officer (beat, opt-out): her scope's key
figures and the people expiring within 30 days, linking to the reports; never twice a month."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from competencies.models import CompetencyRecord
from reports.digest import report_digests_send
from reports.models import DigestOptOut, DigestSent
from reports.standings import standings_rebuild
from tests.reports.test_overview import Tree
from tests.staff.factories import hr_officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    tree = Tree()
    # Ba Đình's "both" officer: one record expires in 10 days
    CompetencyRecord.objects.filter(staff=tree.both, competency=tree.rad).update(
        valid_until=tree.today + timedelta(days=10)
    )
    standings_rebuild()
    return tree


def test_each_hr_officer_gets_her_scope_only(tree):
    hanoi, caobang = hr_officer_of(tree.hanoi), hr_officer_of(tree.caobang)
    assert report_digests_send(today=tree.today) == 2
    by_address = {m.to[0]: m for m in mail.outbox}
    hanoi_mail, caobang_mail = by_address[hanoi.email], by_address[caobang.email]
    assert "1/4 cán bộ (25%)" in hanoi_mail.body
    assert "Ba Đình" in hanoi_mail.body and "Nguyễn Văn An" in hanoi_mail.body
    assert "Cao Bằng" not in hanoi_mail.body and "Hoàng Văn Em" not in hanoi_mail.body
    assert "Hà Nội" not in caobang_mail.body and "Nguyễn Văn An" not in caobang_mail.body
    assert reverse("reports_overview") in hanoi_mail.body
    assert reverse("reports_digest") in hanoi_mail.body
    # Sóc Sơn has officers but nobody meeting radiation safety
    assert "Sóc Sơn" in hanoi_mail.body.split("Xã/phường chưa có người đáp ứng")[1]


def test_a_second_run_the_same_month_sends_nothing(tree):
    hr_officer_of(tree.hanoi)
    assert report_digests_send(today=tree.today) == 1
    assert report_digests_send(today=tree.today + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1 and DigestSent.objects.count() == 1


def test_an_officer_who_opted_out_gets_nothing(client, tree):
    hr = hr_officer_of(tree.hanoi)
    client.force_login(hr)
    url = reverse("reports_digest")
    assert 'data-receiving="1"' in client.get(url).content.decode()
    assert client.post(url, {"receive": "0"}).status_code == 302
    assert DigestOptOut.objects.filter(user=hr).exists()
    assert report_digests_send(today=tree.today) == 0
    client.post(url, {"receive": "1"})
    assert report_digests_send(today=tree.today) == 1


def test_a_failing_mail_is_sent_by_the_next_run(tree, monkeypatch):
    hr_officer_of(tree.hanoi)

    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("reports.digest.send_mail", broken)
    assert report_digests_send(today=tree.today) == 0
    assert not DigestSent.objects.exists()
    monkeypatch.undo()
    assert report_digests_send(today=tree.today) == 1


def test_the_digest_is_on_beat_after_the_snapshot(settings):
    schedule = {e["task"]: e["schedule"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    digest = schedule["reports.tasks.report_digests_send_task"]
    snapshot = schedule["reports.tasks.snapshot_take_task"]
    assert digest.day_of_month == {1} and min(digest.hour) > min(snapshot.hour)
