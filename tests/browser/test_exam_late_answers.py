"""Issue 16, item 22: the link comes back only after the deadline plus the grace. The server
answers "closed"; the page keeps the answers it held, the result page says so and makes an
encrypted response file; a trainer uploads it, accepts, and the result includes them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.models import Attempt, LateResponse
from staff.roles import Role
from staff.services import user_role_grant
from tests.browser.test_exam_offline import (
    open_attempt,
    queued,
    right_option_text,
    shot,
    sign_in,
)
from tests.staff.factories import UserFactory


@pytest.mark.usefixtures("transactional_db")
def test_answers_given_offline_past_the_deadline_are_kept_sent_as_a_file_and_accepted(
    world, live_server, page: Page, roles
):
    base, attempt, items = open_attempt(world, live_server, page)
    count = len(items)
    form = page.locator("#answer-form")
    legend = page.locator("#answer-form legend")
    state = page.locator("[data-save-state]")
    page.goto(f"{base}/attempts/{attempt.pk}/questions/1/")
    page.get_by_label(right_option_text(items[1]), exact=True).check()
    expect(state).to_have_attribute("data-state", "saved")
    expect(form).to_have_attribute("data-prefetch", "done", timeout=15000)

    # the link drops; the officer answers every other question from the device
    page.context.set_offline(True)
    for position in range(2, count + 1):
        page.locator("button[name=go][value=next]").click()
        expect(legend).to_contain_text(f"{position}/{count}")
        page.get_by_label(right_option_text(items[position]), exact=True).check()
    # the "next" press on question 1 queued its answer again: every question waits
    expect(page.locator(".qnav a.queued")).to_have_count(count)

    # ... and the link only returns after the deadline plus the grace
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=now - timedelta(hours=1), deadline=now - timedelta(minutes=5)
    )
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(state).to_have_attribute("data-state", "closed", timeout=15000)
    # the server's "closed" deletes nothing the device held
    assert len(queued(page)) == count
    page.wait_for_url(f"**/attempts/{attempt.pk}/result/", timeout=15000)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and not attempt.passed

    held = page.locator("[data-late-held]")
    expect(held).to_be_visible()
    expect(page.locator("[data-late-count]")).to_contain_text(str(count))
    shot(page, "late-answers-held")
    with page.expect_download() as download_info:
        page.locator("[data-late-download]").click()
    with open(download_info.value.path(), "rb") as file:
        data = file.read()
    assert b'"ct"' in data and b"answer" not in data  # encrypted: no field names in clear

    # the officer hands the file to a trainer, who uploads and accepts it in the admin
    trainer = UserFactory(username="giangvien-late")
    user_role_grant(user=trainer, role=Role.TRAINER)
    admin = page.context.browser.new_context()
    desk = admin.new_page()
    sign_in(desk, base, trainer)
    desk.goto(base + reverse("late_responses:index"))
    desk.locator("input[name=file]").set_input_files(download_info.value.path())
    desk.locator("form[enctype] button[type=submit]").click()
    late = LateResponse.objects.get(attempt=attempt)
    desk.wait_for_url(f"**{reverse('late_responses:detail', args=[late.pk])}")
    assert len(late.answers) == count
    assert all(a["readable"] and a["device_time"] for a in late.answers)
    expect(desk.locator("table.listing").first.locator("tbody tr")).to_have_count(count)
    desk.locator("input[name=action][value=accept] + button").click()
    expect(desk.locator("input[name=action][value=accept]")).to_have_count(0)
    admin.close()
    attempt.refresh_from_db()
    assert attempt.passed is True and attempt.score_percent == 100

    # the result says so, and the device forgets what the server now holds
    page.reload()
    expect(page.locator("#late-answers")).to_contain_text(str(count))
    expect(held).to_be_hidden()
    assert queued(page) == []
    shot(page, "late-answers-accepted")
