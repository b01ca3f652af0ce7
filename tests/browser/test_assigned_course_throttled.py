"""An assigned course followed to the end on a slow mobile link, across a browser restart.

HR assigns the demo course to the officer with a due date. On a phone-sized screen with the
network throttled by Chromium (DevTools network emulation, a 3G-like link), the officer signs
in, finds the course in "My learning", reads part of it, closes the browser, opens it again
(only the persistent cookies survive, as on a phone), continues from the first unfinished
lesson, finishes the course and finds its exam unlocked. The number of lessons comes from the
demo data, whatever it is."""

import re
from datetime import timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from assessments.models import Exam
from courses.models import CoursePage, Enrolment, LessonPage, LessonProgress
from courses.services import enrolments_assign
from demo.accounts import DEMO_PASSWORD
from staff.models import StaffRecord

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# 3G-like: 750 kbit/s down, 250 kbit/s up, 150 ms added to every round trip
THREE_G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 750 * 1000 / 8,
    "uploadThroughput": 250 * 1000 / 8,
}
# "Xong · tiếp: …" / "Xong · về khóa học" (the English msgid until the catalogue has it)
DONE = re.compile(r"^(Xong|Done) · ")


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def throttled_page(context: BrowserContext) -> Page:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", THREE_G)
    return page


def first_unfinished(course: CoursePage, staff: StaffRecord) -> LessonPage | None:
    done = set(LessonProgress.objects.filter(staff=staff).values_list("lesson_id", flat=True))
    lessons = LessonPage.objects.live().public().descendant_of(course).order_by("path")
    return next((lesson for lesson in lessons if lesson.pk not in done), None)


def finish_lesson(page: Page) -> None:
    """Presses "Done · next" at the end of the lesson and waits for the next page."""
    before = page.url
    page.get_by_role("button", name=DONE).click()
    page.wait_for_url(lambda url: url != before)
    page.wait_for_load_state("networkidle")  # lesson.js may mark the new lesson done on view


def test_an_officer_follows_an_assigned_course_on_a_slow_link_and_resumes_after_a_restart(
    demo_site, browser, browser_context_args
):
    base = demo_site.url
    course = CoursePage.objects.get(slug="do-luong-co-ban")
    exam = Exam.objects.get(course=course, kind=Exam.Kind.CERTIFICATION)
    lessons = list(LessonPage.objects.live().public().descendant_of(course).order_by("path"))
    assert len(lessons) >= 2
    officer = StaffRecord.objects.get(user__username="canbo")
    due = timezone.localdate() + timedelta(days=30)
    result = enrolments_assign(
        course=course,
        by=get_user_model().objects.get(username="nhansu"),
        due_date=due,
        staff_ids=[officer.pk],
    )
    assert result.assigned == 1
    assert Enrolment.objects.get(staff=officer, course=course).due_date == due

    # --- first session: sign in ("remember me"), find the assignment, read part of it ---
    context = browser.new_context(**browser_context_args)
    page = throttled_page(context)
    response = page.goto(base + "/accounts/login/")
    timing = page.evaluate("() => performance.getEntriesByType('navigation')[0].toJSON()")
    # the emulated latency is really applied (a lower bound only; nothing is timed otherwise).
    # Chromium spreads it between the headers and the body, so only the whole fetch is bounded.
    assert timing["responseEnd"] - timing["fetchStart"] >= THREE_G["latency"]
    assert response.status == 200
    page.get_by_label("Tên đăng nhập hoặc email").fill("canbo")
    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
    page.locator("input[name=remember]").check()
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Trang của tôi")).to_be_visible()

    page.goto(base + "/me/learning/")
    card = page.locator(".learning-item").filter(has_text=course.title)
    expect(card).to_be_visible()
    expect(card).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(card.locator(".progress")).to_have_attribute("value", "0")
    shot(page, "11-my-learning-assigned")
    card.locator("a.button").click()
    expect(page.locator("article h1")).to_have_text(lessons[0].title)
    # lazy images arrive as the officer scrolls to them, each the 360 px rendition of a phone
    images = page.locator("article figure img")
    for i in range(images.count()):
        image = images.nth(i)
        image.scroll_into_view_if_needed()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
        )
        assert ".width-360." in image.evaluate("img => img.currentSrc")
    shot(page, "12-first-lesson-throttled")

    for _ in range(max(1, len(lessons) // 2)):
        expect(page.locator("article h1")).to_be_visible()
        finish_lesson(page)
    # the course page shows the exam, still locked
    page.goto(base + course.url)
    expect(page.locator("[aria-disabled=true]").filter(has_text=exam.title)).to_be_visible()
    expect(page.get_by_role("link", name=exam.title)).to_have_count(0)

    # --- the browser is closed; on reopening only persistent cookies are left ---
    state = context.storage_state()
    context.close()
    state["cookies"] = [c for c in state["cookies"] if c.get("expires", -1) > 0]
    assert any(c["name"] == "sessionid" for c in state["cookies"])
    resume_at = first_unfinished(course, officer)
    assert resume_at is not None and resume_at.pk != lessons[0].pk

    context = browser.new_context(storage_state=state, **browser_context_args)
    page = throttled_page(context)
    page.goto(base + "/me/learning/")
    card = page.locator(".learning-item").filter(has_text=course.title)
    expect(card).to_contain_text(due.strftime("%d/%m/%Y"))
    expect(card.locator("a.button")).to_contain_text(resume_at.title)
    shot(page, "13-my-learning-resume")
    card.locator("a.button").click()
    expect(page.locator("article h1")).to_have_text(resume_at.title)

    # --- to the end, however many lessons are left; the last one leads back to the course ---
    for _ in range(len(lessons)):
        if page.get_by_role("button", name=DONE).count() == 0:
            break
        finish_lesson(page)
    assert page.url == base + course.url
    expect(page.locator("#course-progress")).to_have_attribute("value", "100")
    expect(page.get_by_role("link", name=exam.title)).to_be_visible()
    shot(page, "14-course-completed-exam-unlocked")
    assert first_unfinished(course, officer) is None
    assert Enrolment.objects.get(staff=officer, course=course).completed_at is not None

    page.goto(base + "/me/learning/")
    card = page.locator(".learning-item").filter(has_text=course.title)
    expect(card.locator(".progress")).to_have_attribute("value", "100")
    context.close()
