"""The question page in a browser: Enter in an answer saves it and moves forward (the form's first
submit button is "next"), with and without attempt.js; a device counter far ahead renumbers."""

import pytest
from playwright.sync_api import Page, expect

from assessments.models import AttemptItem
from tests.browser.test_exam_offline import open_attempt, right_key, right_option_text


def response_of(item: AttemptItem):
    return AttemptItem.objects.get(pk=item.pk).response


@pytest.mark.usefixtures("transactional_db")
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_enter_on_an_answer_moves_to_the_next_question(world, live_server, page: Page, javascript):
    if not javascript:
        page.route("**/attempt.js", lambda route: route.fulfill(status=404, body=""))
    base, attempt, items = open_attempt(world, live_server, page)
    url = f"{base}/attempts/{attempt.pk}/questions/"
    page.goto(f"{url}2/")
    option = page.get_by_label(right_option_text(items[2]), exact=True)
    option.check()
    option.press("Enter")
    expect(page).to_have_url(f"{url}3/")
    expect(page.locator("h1")).to_have_text(world.exam.title)
    assert response_of(items[2]) == [right_key(items[2])]


@pytest.mark.usefixtures("transactional_db")
def test_a_device_counting_far_ahead_of_the_server_renumbers_and_saves(
    world, live_server, page: Page
):
    """A counter left absurdly high on the device (2147483646) is refused by the server; the
    page numbers on from the server's highest and the answer is saved, not lost or frozen."""
    base, attempt, items = open_attempt(world, live_server, page)
    page.goto(f"{base}/attempts/{attempt.pk}/questions/1/")
    page.evaluate(f"localStorage.setItem('lms.attempt.{attempt.pk}.seq', '2147483646')")
    page.get_by_label(right_option_text(items[1]), exact=True).check()
    expect(page.locator("[data-save-state]")).to_have_attribute("data-state", "saved")
    item = AttemptItem.objects.get(pk=items[1].pk)
    assert item.response == [right_key(items[1])] and item.saved_seq < 100
