"""WCAG 2.1 AA over the learner pages: axe-core (tests/browser/vendor/axe-core/) runs on each page
at 360 px and at a desktop width, in Vietnamese (and one lesson in English), and any violation
fails with its rule, impact, elements and help. At 360 px no page scrolls sideways.

One browser context; each page is loaded once and audited at both widths (the viewport is
resized, not the page reloaded)."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from wagtail.models import Locale

from assessments.models import Attempt, AttemptItem, Exam
from assessments.services import attempt_save_answer, attempt_start
from certificates.models import Certificate, CertificateTemplate
from certificates.services import certificate_issue, certificate_revoke
from courses.models import CoursePage, LessonPage
from courses.services import lesson_complete
from staff.models import StaffRecord
from tests.browser.test_exam_offline import sign_in

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: every rule axe tags so, none disabled
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
LESSON_BLOCKS = {"video", "callout", "practice_question", "checklist"}


@dataclass
class Audit:
    page: Page
    base: str
    problems: list[str] = field(default_factory=list)

    def visit(self, name: str, path: str, *, status: int = 200, language: str = "vi") -> None:
        self.page.set_viewport_size(PHONE)
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == status, (name, path, response.status)
        self.here(name, language=language)

    def here(self, name: str, *, language: str = "vi") -> None:
        """Audits the page the browser is on (at 360 px, then at the desktop width)."""
        page = self.page
        page.set_viewport_size(PHONE)
        path = page.url.removeprefix(self.base)
        lang = page.evaluate("document.documentElement.lang")
        if lang != language:
            self.problems.append(f"{name} ({path}): <html lang={lang!r}>, expected {language!r}")
        # axe skips what is not rendered: open every <details> (the video, the practice
        # feedback and answer, the late-answer upload) so their content is audited too
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        page.add_script_tag(path=str(AXE))
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            where = f"{name} ({path}) at {viewport['width']} px"
            if viewport is PHONE:
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    wide = page.evaluate(WIDEST_ELEMENTS, PHONE["width"])
                    self.problems.append(
                        f"{where}: scrolls sideways ({width} px wide); too wide: " + ", ".join(wide)
                    )
            results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            for violation in results["violations"]:
                targets = "\n      ".join(
                    " ".join(map(str, node["target"])) for node in violation["nodes"][:10]
                )
                more = len(violation["nodes"]) - 10
                self.problems.append(
                    f"{where}: {violation['id']} [{violation['impact']}] {violation['help']}"
                    f" ({violation['helpUrl']})\n      {targets}"
                    + (f"\n      … and {more} more" if more > 0 else "")
                )


# the innermost elements that pass the viewport's right edge or whose content spills out of
# them (a long unbreakable word), as short CSS paths
WIDEST_ELEMENTS = """limit => {
  const wide = el => {
    if (el.getBoundingClientRect().right > limit + 0.5) return true;
    const style = getComputedStyle(el);
    return style.display !== 'inline' && style.overflowX === 'visible'
      && el.scrollWidth > el.clientWidth + 1;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!wide(el) || [...el.children].some(wide)) continue;
    let p = el, path = [];
    while (p && p !== document.body && path.length < 4) {
      path.unshift(p.tagName.toLowerCase() + (p.id ? '#' + p.id : '')
        + (p.classList.length ? '.' + [...p.classList].join('.') : ''));
      p = p.parentElement;
    }
    out.push(path.join(' > ') + ' (' + Math.round(el.getBoundingClientRect().left
      + el.scrollWidth) + ' px)');
    if (out.length >= 5) break;
  }
  return out;
}"""


def lesson_with_every_block(course: CoursePage) -> LessonPage:
    for lesson in LessonPage.objects.live().descendant_of(course).specific():
        if LESSON_BLOCKS.issubset(block.block_type for block in lesson.body):
            return lesson
    pytest.fail(f"no lesson of {course.title} has every block: {sorted(LESSON_BLOCKS)}")


def answer_rightly(attempt: Attempt) -> None:
    items = AttemptItem.objects.filter(attempt=attempt).select_related("question_version")
    for item in items:
        right = [o["key"] for o in item.question_version.options if o["correct"]]
        attempt_save_answer(attempt=attempt, item=item, response=right, seq=item.saved_seq + 1)


def revoked_certificate(template: CertificateTemplate) -> Certificate:
    other = StaffRecord.objects.exclude(user__username="canbo").exclude(user=None).first()
    other = other or StaffRecord.objects.exclude(user__username="canbo").first()
    certificate = certificate_issue(
        staff=other,
        template=template,
        basis="accessibility-test",
        competencies=[{"code": "MET-01", "title": "Đo lường", "level": "Vận dụng"}],
        render=False,
    )
    return certificate_revoke(
        certificate=certificate,
        by=None,
        public_reason=Certificate.REVOKE_REASONS[0],
        reason="Cấp nhầm (kiểm thử)",
    )


@pytest.fixture
def page(browser: Browser, browser_context_args) -> Iterator[Page]:
    """The one context of the test, which lets add_script_tag put axe in the page: the site's
    Content-Security-Policy allows no inline script (rightly), and axe is not the site's. The
    policy itself is tested by tests/browser/test_csp*.py, with it enforced."""
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_learner_pages_meet_wcag_21_aa_on_a_phone_and_a_desktop(demo_site, page: Page):
    audit = Audit(page=page, base=demo_site.url)
    officer = StaffRecord.objects.get(user__username="canbo")
    course = CoursePage.objects.get(slug="do-luong-co-ban", locale__language_code="vi")
    lesson = lesson_with_every_block(course)
    english = lesson.get_translation(Locale.objects.get(language_code="en"))
    exam = Exam.objects.get(course=course, kind=Exam.Kind.CERTIFICATION)
    revoked = revoked_certificate(CertificateTemplate.objects.get(exam=exam))

    # the public
    audit.visit("home", "/")
    audit.visit("sign-in", "/accounts/login/")
    audit.visit("verify form", "/verify/")
    audit.visit("verify, revoked", f"/verify/{revoked.verification_code}/")
    audit.visit("verify, not found", "/verify/khong-ton-tai-0000000000000000000000000/", status=404)

    # the officer
    sign_in(page, demo_site.url, officer.user)
    audit.visit("course catalogue", "/learn/")  # leads to the course index page
    assert page.url == demo_site.url + course.get_parent().url, page.url
    audit.visit("course", course.url)
    audit.visit("lesson", lesson.url)
    audit.visit("lesson in English", english.url, language="en")
    for each in LessonPage.objects.live().descendant_of(course).specific():
        lesson_complete(staff=officer, lesson=each)
    audit.visit("exam", f"/exams/{exam.pk}/")
    attempt = attempt_start(exam=exam, staff=officer)
    audit.visit("question", f"/attempts/{attempt.pk}/questions/1/")
    answer_rightly(attempt)
    audit.visit("review before submitting", f"/attempts/{attempt.pk}/review/")
    # submitted by the browser: the live server grades it and issues the certificate (its
    # PDF is signed there, away from this thread's Playwright event loop)
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_url(f"**/attempts/{attempt.pk}/result/")
    audit.here("result")
    audit.visit("officer dashboard", "/me/")
    valid = Certificate.objects.get(staff=officer, status=Certificate.Status.VALID)
    page.context.clear_cookies()
    audit.visit("verify, valid", f"/verify/{valid.verification_code}/")

    assert not audit.problems, "\n" + "\n".join(audit.problems)

    # and the audit does see what it looks for: pale text, an unnamed field, a wide line
    page.evaluate(
        """document.querySelector('main').insertAdjacentHTML('beforeend',
        '<p style="color:#bbb">nhạt</p><input type="text"><p>' + 'x'.repeat(200) + '</p>')"""
    )
    audit.here("control")
    rules = " ".join(audit.problems)
    assert "color-contrast" in rules and "label" in rules, rules
    assert "scrolls sideways" in rules and "main#main > p (" in rules, rules
