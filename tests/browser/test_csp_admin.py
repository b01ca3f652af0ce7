"""The Wagtail admin under the production Content-Security-Policy: it gets its own, relaxed
policy (lms/csp.py: Wagtail renders inline scripts), and under it the screens trainers use raise
no violation. A module of its own: each browser module seeds the demo once."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page

from assessments.models import Exam
from courses.models import LessonPage
from tests.browser.test_csp import Watch
from tests.browser.test_exam_offline import sign_in


@pytest.fixture
def production_csp(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": settings.CSP_LEARNER_DIRECTIVES}


def test_the_admin_screens_of_a_trainer_work_under_the_admin_policy(
    demo_site, production_csp, page: Page
):
    """Wagtail's admin runs inline scripts (InlinePanel, date pickers): it gets its own policy,
    and under that policy its screens raise no violation either."""
    watch = Watch(page, demo_site.url)
    trainer = get_user_model().objects.get(username="giangvien")
    lesson = LessonPage.objects.live().filter(locale__language_code="vi").first()
    exam = Exam.objects.first()
    sign_in(page, demo_site.url, trainer)

    watch.visit("admin home", "/admin/", admin=True)
    watch.visit("lesson editor", f"/admin/pages/{lesson.pk}/edit/", admin=True)
    watch.visit("question bank", "/admin/questions/", admin=True)
    watch.visit("new question", "/admin/questions/new/", admin=True)
    watch.visit("exam editor", f"/admin/exams/edit/{exam.pk}/", admin=True)
    watch.visit("images", "/admin/images/", admin=True)

    assert not watch.problems, "\n" + "\n".join(watch.problems)
