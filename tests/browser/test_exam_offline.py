"""A timed exam on a link that drops: the question pages are fetched ahead while online, so
offline the officer goes on answering other questions; answers wait on the phone (the clock
keeps running) and all reach the server when the link returns; then the attempt is submitted
with nothing lost."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from assessments.models import Attempt, AttemptItem
from assessments.services import attempt_start
from tests.assessments.tokens import item_token

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def sign_in(page: Page, base: str, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base,
            }
        ]
    )


def right_option_text(item: AttemptItem) -> str:
    return next(o["text"] for o in item.question_version.options if o["correct"])


def wrong_option_text(item: AttemptItem) -> str:
    return next(o["text"] for o in item.question_version.options if not o["correct"])


def right_key(item: AttemptItem) -> str:
    return next(o["key"] for o in item.question_version.options if o["correct"])


def open_attempt(world, live_server, page: Page):
    base = live_server.url
    sign_in(page, base, world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    items = {
        i.position: i
        for i in AttemptItem.objects.filter(attempt=attempt).select_related("question_version")
    }
    return base, attempt, items


def queued(page: Page) -> list[str]:
    return sorted(
        page.evaluate(
            "Object.keys(localStorage).filter(function (k) { return k.indexOf('.q.') > 0; })"
        )
    )


def response_of(item: AttemptItem):
    return AttemptItem.objects.get(pk=item.pk).response


@pytest.mark.usefixtures("transactional_db")
def test_offline_the_officer_moves_between_questions_and_loses_nothing(
    world, live_server, page: Page
):
    base, attempt, items = open_attempt(world, live_server, page)
    count = len(items)
    state = page.locator("[data-save-state]")
    form = page.locator("#answer-form")
    legend = page.locator("#answer-form legend")
    next_button = page.locator("button[name=go][value=next]")
    previous_button = page.locator("button[name=go][value=previous]")
    url = f"{base}/attempts/{attempt.pk}/questions/"
    page_requests = []
    page.on(
        "request",
        lambda r: (
            page_requests.append(r.url) if "/questions/" in r.url and r.method == "GET" else 0
        ),
    )

    page.goto(f"{url}1/")
    expect(page.locator("[data-timer]")).to_be_visible()
    page.get_by_label(right_option_text(items[1]), exact=True).check()
    # saved in the background, before any button is pressed
    expect(state).to_have_attribute("data-state", "saved")
    assert response_of(items[1]) == [right_key(items[1])]
    # at once, every question of the attempt in one request
    expect(form).to_have_attribute("data-prefetch", "done", timeout=15000)
    expect(form).to_have_attribute("data-prefetched", str(count))
    assert sorted(page_requests) == [url, f"{url}1/"]
    kept = page.evaluate(
        "Object.keys(sessionStorage).filter(function (k) { return k.indexOf('.page.') > 0; })"
        ".map(function (k) { return JSON.parse(sessionStorage.getItem(k)).h; })"
    )
    for item in items.values():  # nothing kept on the device gives the answer away
        for option in item.question_version.options:  # the options, by their tokens only
            assert f'value="{item_token(item, option["key"])}"' in "".join(kept)
            assert f'value="{option["key"]}"' not in "".join(kept)
        assert "correct" not in "".join(kept).lower()

    page.context.set_offline(True)
    next_button.click()  # offline: question 2 comes from the device
    expect(legend).to_contain_text(f"2/{count}")
    assert page.url == f"{url}2/"
    page.get_by_label(wrong_option_text(items[2]), exact=True).check()
    expect(state).to_have_attribute("data-state", "offline")
    page.get_by_label(right_option_text(items[2]), exact=True).check()  # changed their mind

    page.locator(".qnav a", has_text="4").click()
    expect(legend).to_contain_text(f"4/{count}")
    assert page.url == f"{url}4/"
    page.get_by_label(right_option_text(items[4]), exact=True).check()
    previous_button.click()
    expect(legend).to_contain_text(f"3/{count}")
    page.get_by_label(right_option_text(items[3]), exact=True).check()
    expect(state).to_have_attribute("data-state", "offline")
    # answered here but not on the server yet (1 too: a button saves again): marked apart
    expect(page.locator(".qnav a.queued")).to_have_count(4)
    shot(page, "exam-offline-answering")

    # coming back to a question shows what was answered; the back button works too
    page.locator(".qnav a", has_text="2").click()
    expect(legend).to_contain_text(f"2/{count}")
    expect(page.get_by_label(right_option_text(items[2]), exact=True)).to_be_checked()
    # the number, then ", đã trả lời" when answered (not said by the colour alone)
    expect(page.locator(".qnav a[aria-current]")).to_have_text(re.compile(r"^2(, |$)"))
    page.go_back()
    expect(legend).to_contain_text(f"3/{count}")
    assert page.url == f"{url}3/"
    expect(page.get_by_label(right_option_text(items[3]), exact=True)).to_be_checked()
    page.locator(".qnav a", has_text="1").click()  # saved online before the link dropped
    expect(page.get_by_label(right_option_text(items[1]), exact=True)).to_be_checked()
    page.locator(".qnav a", has_text="3").click()

    # submitting needs the server: nothing is faked
    page.locator("button[name=go][value=review]").click()
    expect(state).to_have_attribute("data-state", "offline-review")
    assert page.url == f"{url}3/"
    assert queued(page) == [f"lms.attempt.{attempt.pk}.q.{n}" for n in (1, 2, 3, 4)]
    timer_before = page.locator("[data-timer]").inner_text()
    page.wait_for_timeout(1500)
    assert page.locator("[data-timer]").inner_text() != timer_before  # the clock runs on
    for n in (2, 3, 4):
        assert response_of(items[n]) is None
    shot(page, "exam-offline")

    page.context.set_offline(False)
    expect(state).to_have_attribute("data-state", "saved", timeout=15000)
    for n in (1, 2, 3, 4):
        assert response_of(items[n]) == [right_key(items[n])], n
    assert page.url == f"{url}3/"  # no surprise move
    expect(legend).to_contain_text(f"3/{count}")
    assert queued(page) == []
    seq = page.evaluate(f"localStorage.getItem('lms.attempt.{attempt.pk}.seq')")
    assert int(seq) == max(
        AttemptItem.objects.filter(attempt=attempt).values_list("saved_seq", flat=True)
    )

    expect(page.locator(".qnav a.queued")).to_have_count(0)
    before = len(page_requests)
    next_button.click()  # online again: the server shows the next question
    page.wait_for_url(f"{url}4/")
    expect(page.get_by_label(right_option_text(items[4]), exact=True)).to_be_checked()
    next_button.click()
    for position in range(5, count + 1):
        page.wait_for_url(f"{url}{position}/")
        page.get_by_label(right_option_text(items[position]), exact=True).check()
        next_button.click()
    page.wait_for_url(f"{base}/attempts/{attempt.pk}/review/")
    # the pages kept in this tab are not fetched again
    assert page_requests[before:] == [f"{url}{n}/" for n in range(4, count + 1)]
    page.locator("form[action$='/submit/'] button[type=submit]").click()
    page.wait_for_url(f"{base}/attempts/{attempt.pk}/result/")
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.score_percent == 100  # nothing lost
    shot(page, "exam-offline-result")


@pytest.mark.usefixtures("transactional_db")
def test_a_save_lost_on_the_way_counts_as_offline(world, live_server, page: Page):
    """The phone thinks it is online but the saves do not get through (a dead 2G link): the
    button still takes the officer to the next question, kept on the device."""
    base, attempt, items = open_attempt(world, live_server, page)
    url = f"{base}/attempts/{attempt.pk}/questions/"
    state = page.locator("[data-save-state]")
    page.goto(f"{url}1/")
    expect(page.locator("#answer-form")).to_have_attribute("data-prefetch", "done", timeout=15000)

    def dead_link(route):
        if route.request.method == "POST":
            route.abort("internetdisconnected")
        else:
            route.continue_()

    page.route(f"{url}**", dead_link)
    page.get_by_label(right_option_text(items[1]), exact=True).check()
    expect(state).to_have_attribute("data-state", "offline")
    page.locator("button[name=go][value=next]").click()
    expect(page.locator("#answer-form legend")).to_contain_text("2/")
    assert page.url == f"{url}2/"
    page.get_by_label(right_option_text(items[2]), exact=True).check()
    expect(state).to_have_attribute("data-state", "offline")
    assert response_of(items[1]) is None

    page.unroute(f"{url}**")
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(state).to_have_attribute("data-state", "saved", timeout=15000)
    assert page.url == f"{url}2/"
    assert response_of(items[1]) == [right_key(items[1])]
    assert response_of(items[2]) == [right_key(items[2])]


@pytest.mark.usefixtures("transactional_db")
def test_a_reload_while_offline_loses_no_answer(world, live_server, page: Page):
    """Without a service worker the browser cannot show the page again while offline (its own
    "no connection" page comes instead), but the answers stay on the device and are sent from
    the page once it is loaded again online."""
    base, attempt, items = open_attempt(world, live_server, page)
    url = f"{base}/attempts/{attempt.pk}/questions/"
    page.goto(f"{url}1/")
    expect(page.locator("#answer-form")).to_have_attribute("data-prefetch", "done", timeout=15000)
    page.context.set_offline(True)
    page.get_by_label(right_option_text(items[1]), exact=True).check()
    page.locator(".qnav a", has_text="2").click()
    page.get_by_label(right_option_text(items[2]), exact=True).check()
    with pytest.raises(PlaywrightError):
        page.reload()
    page.context.set_offline(False)
    page.goto(f"{url}2/")
    expect(page.locator("[data-save-state]")).to_have_attribute(
        "data-state", "saved", timeout=15000
    )
    expect(page.get_by_label(right_option_text(items[2]), exact=True)).to_be_checked()
    assert response_of(items[1]) == [right_key(items[1])]
    assert response_of(items[2]) == [right_key(items[2])]


@pytest.mark.usefixtures("transactional_db")
def test_offline_a_question_not_on_the_device_asks_for_the_connection(
    world, live_server, page: Page
):
    base, attempt, items = open_attempt(world, live_server, page)
    url = f"{base}/attempts/{attempt.pk}/questions/"
    state = page.locator("[data-save-state]")
    form = page.locator("#answer-form")
    # the questions cannot be fetched at once: only the pages seen (2, then 1) are kept
    page.route(url, lambda route: route.fulfill(status=503, body="busy"))
    page.goto(f"{url}2/")
    expect(form).to_have_attribute("data-prefetch", "done", timeout=15000)
    page.goto(f"{url}1/")
    expect(form).to_have_attribute("data-prefetch", "done", timeout=15000)
    expect(form).to_have_attribute("data-prefetched", "2")

    page.context.set_offline(True)
    page.get_by_label(right_option_text(items[1]), exact=True).check()
    page.locator(".qnav a", has_text="3").click()
    expect(state).to_have_attribute("data-state", "offline-missing")
    expect(state).to_have_text(form.get_attribute("data-msg-offline-missing"))
    shot(page, "exam-offline-missing")
    assert page.url == f"{url}1/"
    page.locator(".qnav a", has_text="2").click()  # question 2 is on the device
    expect(page.locator("#answer-form legend")).to_contain_text("2/")
    page.get_by_label(right_option_text(items[2]), exact=True).check()
    page.context.set_offline(False)
    expect(state).to_have_attribute("data-state", "saved", timeout=15000)
    assert response_of(items[1]) == [right_key(items[1])]
    assert response_of(items[2]) == [right_key(items[2])]


@pytest.mark.usefixtures("transactional_db")
def test_an_expired_session_keeps_the_answer_until_the_officer_signs_in_again(
    world, live_server, page: Page
):
    from django.contrib.sessions.models import Session

    base = live_server.url
    sign_in(page, base, world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    item = AttemptItem.objects.select_related("question_version").get(attempt=attempt, position=1)
    state = page.locator("[data-save-state]")
    page.goto(f"{base}/attempts/{attempt.pk}/questions/1/")

    Session.objects.all().delete()  # the session expired on the server
    page.get_by_label(right_option_text(item), exact=True).check()
    expect(state).to_have_attribute("data-state", "login")
    login_link = page.locator("[data-login] a")
    expect(login_link).to_be_visible()
    assert login_link.get_attribute("target") == "_blank"
    assert AttemptItem.objects.get(pk=item.pk).response is None
    shot(page, "exam-session-expired")

    # signing in again in another tab (which also gives the browser a new CSRF token)
    with page.context.expect_page() as new_tab:
        login_link.click()
    tab = new_tab.value
    tab.get_by_label("Tên đăng nhập hoặc email").fill("canbo")
    tab.get_by_label("Mật khẩu").fill("pw-12345-test")
    tab.get_by_role("button", name="Đăng nhập").click()
    tab.wait_for_url(f"{base}/attempts/{attempt.pk}/questions/1/")
    tab.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    expect(state).to_have_attribute("data-state", "saved", timeout=15000)
    assert AttemptItem.objects.get(pk=item.pk).response == [
        next(o["key"] for o in item.question_version.options if o["correct"])
    ]
