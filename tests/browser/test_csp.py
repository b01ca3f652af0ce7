"""The production Content-Security-Policy (lms/settings/base.py, lms/csp.py) over the learner
pages and the admin screens trainers use: Chromium reports no violation (the
`securitypolicyviolation` events and the console's "Content Security Policy" errors), and the
pages still do their work with the policy on (the question page's script saves an answer, the
lesson's marks it done, the progress bar shows the progress without an inline width)."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Page, expect

from assessments.models import Attempt, AttemptItem, Exam
from assessments.services import attempt_save_answer, attempt_start, attempt_submit
from certificates.models import Certificate
from courses.models import CoursePage, LessonPage
from courses.services import lesson_complete
from staff.models import StaffRecord
from tests.browser.test_accessibility import lesson_with_every_block
from tests.browser.test_exam_offline import sign_in

# runs before any page script, in every document; Playwright injects it outside the page's CSP
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline')
    + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def answer_and_submit(attempt: Attempt, *, first_seq: int) -> Attempt:
    """Right answers and the submission, from a thread of their own: the certificate that a
    pass issues is signed with asyncio, which cannot run inside Playwright's event loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_answer_and_submit, attempt, first_seq).result()


def _answer_and_submit(attempt: Attempt, first_seq: int) -> Attempt:
    items = AttemptItem.objects.filter(attempt=attempt).select_related("question_version")
    for seq, item in enumerate(items, start=first_seq):
        right = [o["key"] for o in item.question_version.options if o["correct"]]
        attempt_save_answer(attempt=attempt, item=item, response=right, seq=seq)
    return attempt_submit(attempt=attempt, idempotency_key=uuid.uuid4().hex)


@pytest.fixture
def production_csp(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_LEARNER_DIRECTIVES}
    return settings.CONTENT_SECURITY_POLICY


class Watch:
    def __init__(self, page: Page, base: str):
        self.page, self.base = page, base
        self.problems: list[str] = []
        self.console: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on(
            "console",
            lambda m: self.console.append(m.text) if "Content Security Policy" in m.text else None,
        )

    def visit(self, name: str, path: str, *, status: int = 200, admin: bool = False) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == status, (name, path, response)
        policy = response.headers.get("content-security-policy", "")
        if admin:
            assert "script-src 'self' 'unsafe-inline'" in policy, (name, policy)
        else:
            assert "script-src 'self';" in policy + ";" and "unsafe" not in policy, (name, policy)
        self.page.wait_for_load_state("networkidle")
        self.collect(name)

    def collect(self, name: str) -> None:
        for violation in self.page.evaluate("window.__csp || []"):
            self.problems.append(f"{name}: {violation}")
        self.problems.extend(f"{name}: {text}" for text in self.console)
        self.console.clear()


def test_learner_pages_raise_no_violation_of_the_production_policy_and_still_work(
    demo_site, production_csp, page: Page
):
    watch = Watch(page, demo_site.url)
    officer = StaffRecord.objects.get(user__username="canbo")
    course = CoursePage.objects.get(slug="do-luong-co-ban", locale__language_code="vi")
    lesson = lesson_with_every_block(course)
    exam = Exam.objects.get(course=course, kind=Exam.Kind.CERTIFICATION)

    watch.visit("home", "/")
    watch.visit("verify form", "/verify/")
    watch.visit("sign-in", "/accounts/login/")

    sign_in(page, demo_site.url, officer.user)
    watch.visit("course", course.url)
    watch.visit("lesson", lesson.url)
    # lesson.js, an external script, runs: reaching the end of the lesson marks it done
    page.locator("#lesson-end").scroll_into_view_if_needed()
    expect(page.locator("#lesson-status")).to_be_visible()
    watch.collect("lesson, read to the end")
    for each in LessonPage.objects.live().descendant_of(course).specific():
        lesson_complete(staff=officer, lesson=each)
    watch.visit("course, finished", course.url)
    # the progress bar is a <progress>, full without any style attribute
    expect(page.locator("#course-progress")).to_have_attribute("value", "100")
    watch.visit("my learning", "/me/learning/")
    watch.visit("exam", f"/exams/{exam.pk}/")

    attempt = attempt_start(exam=exam, staff=officer)
    watch.visit("question", f"/attempts/{attempt.pk}/questions/1/")
    # attempt.js runs under the policy: choosing an option saves it in the background
    page.locator("#answer-form fieldset input").first.check()
    expect(page.locator("[data-save-state]")).to_have_attribute("data-state", "saved")
    watch.collect("question, answered")
    watch.visit("question 2", f"/attempts/{attempt.pk}/questions/2/")
    attempt = answer_and_submit(attempt, first_seq=100)  # after the page's own saves
    watch.visit("result", f"/attempts/{attempt.pk}/result/")
    watch.visit("officer dashboard", "/me/")
    valid = Certificate.objects.get(staff=officer, status=Certificate.Status.VALID)
    page.context.clear_cookies()
    watch.visit("verify, valid", f"/verify/{valid.verification_code}/")

    assert not watch.problems, "\n" + "\n".join(watch.problems)
