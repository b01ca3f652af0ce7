"""Trainers author courses with Wagtail's own tools: drafts, previews, revisions, copying,
translating, the "Course review" moderation workflow and scheduled publishing."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import (
    GroupPagePermission,
    Locale,
    PageLogEntry,
    Revision,
    TaskState,
    WorkflowPage,
    WorkflowState,
)
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.models import CoursePage, CourseReviewTask, LessonPage
from courses.services import (
    COURSE_REVIEW_WORKFLOW_NAME,
    course_catalogue_grant_trainers,
    course_reviewer_grant,
)
from courses.tasks import pages_publish_scheduled_task
from staff.roles import ROLE_GROUP_NAMES, Role
from staff.services import user_role_grant
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)
from tests.staff.factories import StaffRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def index(roles):
    index = CourseIndexPageFactory(parent=site_home())
    course_catalogue_grant_trainers(index=index)
    return index


@pytest.fixture
def course(index):
    course = CoursePageFactory(parent=index, slug="khoa-1", title="Đo lường")
    for i in range(3):
        LessonPageFactory(parent=course, slug=f"bai-{i + 1}", title=f"Bài {i + 1}")
    return course


@pytest.fixture
def lesson(course) -> LessonPage:
    lesson = LessonPage.objects.child_of(course).get(slug="bai-1")
    lesson.save_revision().publish()  # published the way the admin does: with a revision
    return lesson


def trainer(*, reviewer: bool = False, **kwargs):
    user = UserFactory(**kwargs)
    user_role_grant(user=user, role=Role.TRAINER)
    if reviewer:
        course_reviewer_grant(user=user)
    return user


@pytest.fixture
def author(index):
    return trainer(username="giangvien")


@pytest.fixture
def reviewer(index):
    return trainer(reviewer=True, username="truongnhom")


def lesson_form(lesson, *, title: str, text: str = "Nội dung mới.", **extra) -> dict:
    return nested_form_data(
        {
            "title": title,
            "slug": lesson.slug,
            "body": streamfield([("paragraph", rich_text(f"<p>{text}</p>"))]),
            "comments": inline_formset([]),
            **extra,
        }
    )


def edit(client, lesson, **kwargs):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]), lesson_form(lesson, **kwargs)
    )


def live_title(page) -> str:
    return type(page).objects.get(pk=page.pk).title


def task_state(page) -> TaskState:
    return TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )


def approve(client, page) -> bool:
    """Whether the signed-in user's approval went through (Wagtail's admin answers a refusal
    with a redirect to its dashboard and "you do not have permission")."""
    url = reverse(
        "wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state(page).pk]
    )
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    return response["Location"] != reverse("wagtailadmin_home")


# --- drafts, previews, revisions ---------------------------------------------------------------


def test_a_draft_is_not_shown_to_officers(client, lesson, author):
    client.force_login(author)
    edit(client, lesson, title="Bài 1 (bản nháp)", text="Chưa duyệt.")
    page = LessonPage.objects.get(pk=lesson.pk)
    assert page.has_unpublished_changes and page.title == "Bài 1"
    officer = Client()
    officer.force_login(StaffRecordFactory().user)
    html = officer.get(lesson.url).content.decode()
    assert "Bài 1" in html and "bản nháp" not in html and "Chưa duyệt." not in html


def test_a_page_never_published_is_not_found_and_not_listed(client, course):
    draft = LessonPageFactory(parent=course, slug="bai-nhap", title="Bài nháp", live=False)
    client.force_login(StaffRecordFactory().user)
    assert client.get("/khoa-hoc/khoa-1/bai-nhap/").status_code == 404
    assert draft.title not in client.get(course.url).content.decode()


def test_the_trainer_previews_a_draft_and_an_officer_cannot(client, lesson, author):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    client.force_login(author)
    response = client.post(url, lesson_form(lesson, title="Bài 1 (xem trước)", text="Thử."))
    assert response.json() == {"is_valid": True, "is_available": True}
    html = client.get(url).content.decode()
    assert "Bài 1 (xem trước)" in html and "Thử." in html
    assert live_title(lesson) == "Bài 1"
    client.force_login(StaffRecordFactory().user)
    assert client.get(url).status_code == 302  # to sign in: no admin access


def test_a_revision_can_be_reverted(client, lesson, author):
    first = LessonPage.objects.get(pk=lesson.pk).live_revision
    lesson.title = "Bài 1 (sai)"
    lesson.save_revision().publish()
    client.force_login(author)
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=[lesson.pk, first.pk])
    assert 'value="Bài 1"' in client.get(revert_url).content.decode()
    client.post(revert_url, lesson_form(lesson, title="Bài 1"))  # the reverted form, saved
    latest = LessonPage.objects.get(pk=lesson.pk).latest_revision
    assert latest.as_object().title == "Bài 1"
    assert PageLogEntry.objects.filter(page=lesson, action="wagtail.revert").exists()


def test_copying_a_course_copies_its_lessons_as_drafts(client, course, index, author):
    client.force_login(author)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[course.pk]),
        {
            "new_title": "Đo lường (bản 2026)",
            "new_slug": "khoa-1-2026",
            "new_parent_page": index.pk,
            "copy_subpages": "on",
            "publish_copies": "on",  # not offered to trainers: ignored
        },
    )
    assert response.status_code == 302
    copy = CoursePage.objects.get(slug="khoa-1-2026")
    lessons = LessonPage.objects.child_of(copy)
    assert sorted(lessons.values_list("title", flat=True)) == ["Bài 1", "Bài 2", "Bài 3"]
    assert not copy.live and not lessons.filter(live=True).exists()


# --- the "Course review" workflow ----------------------------------------------------------------


def test_the_catalogue_runs_the_course_review_workflow(index, course):
    assert course.get_workflow().name == COURSE_REVIEW_WORKFLOW_NAME
    [task] = course.get_workflow().tasks
    assert isinstance(task.specific, CourseReviewTask)


def test_a_trainer_cannot_publish_but_submits_for_review(client, lesson, author):
    client.force_login(author)
    edit(client, lesson, title="Bài 1 (mới)", **{"action-publish": "1"})
    assert live_title(lesson) == "Bài 1"  # saved as a draft only
    edit(client, lesson, title="Bài 1 (mới)", **{"action-submit": "1"})
    assert live_title(lesson) == "Bài 1"
    state = task_state(lesson)
    assert state.workflow_state.requested_by == author
    assert isinstance(state.task.specific, CourseReviewTask)


def test_a_reviewer_approves_and_the_change_goes_live(client, lesson, author, reviewer):
    client.force_login(author)
    edit(client, lesson, title="Bài 1 (mới)", **{"action-submit": "1"})
    client.force_login(reviewer)
    assert approve(client, lesson)
    assert live_title(lesson) == "Bài 1 (mới)"
    assert WorkflowState.objects.get().status == WorkflowState.STATUS_APPROVED


def test_a_trainer_who_is_not_a_reviewer_cannot_approve(client, lesson, author):
    client.force_login(author)
    edit(client, lesson, title="Bài 1 (mới)", **{"action-submit": "1"})
    client.force_login(trainer(username="dongnghiep"))
    assert not approve(client, lesson)
    assert live_title(lesson) == "Bài 1"


def test_a_reviewer_cannot_approve_their_own_change(client, lesson, reviewer):
    client.force_login(reviewer)
    edit(client, lesson, title="Bài 1 (tự duyệt)", **{"action-submit": "1"})
    assert not approve(client, lesson)
    assert live_title(lesson) == "Bài 1"
    task = task_state(lesson).task.specific
    assert not task.get_task_states_user_can_moderate(reviewer).exists()
    assert task.get_actions(LessonPage.objects.get(pk=lesson.pk), reviewer) == []
    # another reviewer can
    other = trainer(reviewer=True, username="truongnhom2")
    assert task.get_task_states_user_can_moderate(other).exists()
    client.force_login(other)
    assert approve(client, lesson)
    assert live_title(lesson) == "Bài 1 (tự duyệt)"


def test_reviewers_can_open_a_change_waiting_for_them(client, lesson, author, reviewer):
    client.force_login(author)
    edit(client, lesson, title="Bài 1 (mới)", **{"action-submit": "1"})
    client.force_login(reviewer)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Bài 1 (mới)" in html  # "Awaiting your review"
    assert client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).status_code == 200


# --- scheduled publishing ------------------------------------------------------------------------


def test_an_approved_change_with_a_go_live_time_is_published_then(client, lesson, author, reviewer):
    go_live = timezone.localtime() + timedelta(hours=2)
    client.force_login(author)
    edit(
        client,
        lesson,
        title="Bài 1 (từ 2 giờ nữa)",
        go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
        **{"action-submit": "1"},
    )
    client.force_login(reviewer)
    assert approve(client, lesson)
    assert Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    assert live_title(lesson) == "Bài 1"  # approved, waiting for its time
    call_command("publish_scheduled")
    assert live_title(lesson) == "Bài 1"
    later = timezone.now() + timedelta(hours=2, minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled")
    assert live_title(lesson) == "Bài 1 (từ 2 giờ nữa)"


def test_the_periodic_task_runs_wagtails_scheduled_publishing(lesson, settings):
    assert (
        settings.CELERY_BEAT_SCHEDULE["publish-scheduled-pages"]["task"]
        == "courses.tasks.pages_publish_scheduled_task"
    )
    lesson.title = "Bài 1 (hẹn giờ)"
    lesson.save_revision(approved_go_live_at=timezone.now() - timedelta(seconds=1))
    pages_publish_scheduled_task.delay()
    assert live_title(lesson) == "Bài 1 (hẹn giờ)"


# --- the setup -----------------------------------------------------------------------------------


def trainer_codenames(page) -> set[str]:
    return set(
        GroupPagePermission.objects.filter(
            group__name=ROLE_GROUP_NAMES[Role.TRAINER], page=page
        ).values_list("permission__codename", flat=True)
    )


def test_the_setup_runs_twice_and_takes_publishing_back_from_trainers(index):
    GroupPagePermission.objects.create(
        group=GroupPagePermission.objects.filter(page=index).first().group,
        page=index,
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="publish_page"
        ),
    )
    course_catalogue_grant_trainers(index=index)
    course_catalogue_grant_trainers(index=index)
    assert trainer_codenames(index) == {"add_page", "change_page", "lock_page", "unlock_page"}
    assert WorkflowPage.objects.filter(page=index).count() == 1
    assert CourseReviewTask.objects.count() == 1


def test_a_trainer_translates_a_course_and_edits_the_translation(client, course, author):
    english = Locale.objects.get(language_code="en")
    home = site_home()
    home.copy_for_translation(english).save_revision().publish()
    english_index = course.get_parent().specific.copy_for_translation(english)
    english_index.save_revision().publish()
    # the translated catalogue has the trainers' permissions and the review workflow
    assert trainer_codenames(english_index) == trainer_codenames(course.get_parent())
    assert WorkflowPage.objects.get(page=english_index).workflow.name == (
        COURSE_REVIEW_WORKFLOW_NAME
    )
    client.force_login(author)
    response = client.post(
        reverse("simple_translation:submit_page_translation", args=[course.pk]),
        {"locales": [english.pk], "include_subtree": "on"},
    )
    assert response.status_code == 302
    translation = course.get_translation(english)
    assert LessonPage.objects.child_of(translation).count() == 3
    assert not translation.live  # a draft, for the trainer to translate and submit
    edit_url = reverse("wagtailadmin_pages:edit", args=[translation.pk])
    assert client.get(edit_url).status_code == 200
