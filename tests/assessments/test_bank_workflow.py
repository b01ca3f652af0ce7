"""Versions and the review workflow of the question bank (assessments.services)."""

import pytest
from django.db import IntegrityError, transaction
from wagtail.models import ModelLogEntry

from assessments.models import Question, QuestionVersion
from assessments.services import (
    AssessmentError,
    attempt_start,
    blueprint_shortfalls,
    question_create,
    question_transition,
    question_update,
    question_version_create,
)
from staff.roles import Role
from staff.services import user_role_grant
from tests.assessments.factories import SINGLE_OPTIONS, BlueprintCellFactory, QuestionFactory
from tests.competencies.factories import CompetencyFactory
from tests.staff.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(roles):
    user = UserFactory(username="tac-gia")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


@pytest.fixture
def reviewer(roles):
    user = UserFactory(username="nguoi-duyet")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


def _draft(author, **kwargs):
    return question_create(
        name=kwargs.pop("name", "Câu hỏi nháp"),
        qtype="single",
        competency=kwargs.pop("competency", None) or CompetencyFactory(),
        difficulty="easy",
        stem="<p>Câu hỏi?</p>",
        options=SINGLE_OPTIONS,
        author=author,
        **kwargs,
    )


def _approver():
    user = UserFactory(username="nguoi-phe-duyet")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


def _approve(question, reviewer, approver=None):
    """Reviewed by `reviewer`, approved by another trainer (four eyes)."""
    question_transition(question=question, action="review", user=reviewer)
    return question_transition(question=question, action="approve", user=approver or _approver())


# --- versions --------------------------------------------------------------------------------


def test_a_version_is_never_updated_in_place(author):
    version = _draft(author).current_version
    version.stem = "<p>Sửa lén</p>"
    with pytest.raises(ValueError):
        version.save()
    assert QuestionVersion.objects.get(pk=version.pk).stem == "<p>Câu hỏi?</p>"


def test_a_new_question_is_a_draft_and_not_drawn(author):
    question = _draft(author, tags=["chợ"])
    assert question.status == Question.Status.DRAFT
    assert question.approved_version is None
    assert question.current_version.created_by == author
    assert list(question.tags.names()) == ["chợ"]


def test_question_text_is_sanitised(author):
    question = question_create(
        name="XSS",
        qtype="single",
        competency=CompetencyFactory(),
        difficulty="easy",
        stem='<p onclick="x()">Câu<script>alert(1)</script></p>',
        options=SINGLE_OPTIONS,
        explanation="<img src=x onerror=alert(1)>Giải thích",
    )
    assert question.current_version.stem == "<p>Câu</p>"
    assert "onerror" not in question.current_version.explanation


def test_an_invalid_question_writes_nothing():
    with pytest.raises(AssessmentError):
        question_create(
            name="Sai",
            qtype="numeric",
            competency=CompetencyFactory(),
            difficulty="easy",
            stem="<p>?</p>",
            data={"answers": []},
        )
    with pytest.raises(AssessmentError):
        question_create(
            name="Sai",
            qtype="single",
            competency=CompetencyFactory(),
            difficulty="extreme",
            stem="<p>?</p>",
            options=SINGLE_OPTIONS,
        )
    assert not Question.objects.exists()


def test_a_new_version_of_an_approved_question_is_a_draft_and_exams_keep_the_approved_one(
    author, reviewer
):
    question = _approve(_draft(author), reviewer)
    v1 = question.current_version
    v2 = question_version_create(
        question=question, stem="<p>Bản 2</p>", options=SINGLE_OPTIONS, author=author
    )
    question.refresh_from_db()
    assert (v2.number, question.status) == (2, Question.Status.DRAFT)
    assert question.current_version == v2
    assert question.approved_version == v1
    assert QuestionVersion.objects.get(pk=v1.pk).stem == "<p>Câu hỏi?</p>"


def test_saving_unchanged_content_adds_no_version(author):
    question = _draft(author)
    question.name = "Tên mới"
    assert (
        question_update(question=question, stem="<p>Câu hỏi?</p>", options=SINGLE_OPTIONS) is None
    )
    question.refresh_from_db()
    assert question.name == "Tên mới"
    assert question.versions.count() == 1


def test_a_seeded_approved_bank_is_drawn_in_its_first_version():
    question = QuestionFactory()  # status approved, one version
    assert question.approved_version == question.current_version


# --- drawing ---------------------------------------------------------------------------------


def test_exams_draw_only_approved_versions(world, author, reviewer):
    competency = world.competency
    drawn_before = {q.approved_version_id for q in Question.objects.filter(competency=competency)}
    # an approved question being revised is still drawn in its approved version
    revised = Question.objects.filter(competency=competency).first()
    old = revised.approved_version
    question_version_create(question=revised, stem="<p>Đang sửa</p>", options=SINGLE_OPTIONS)
    # a draft never is
    _draft(author, competency=competency)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    versions = {item.question_version_id for item in attempt.items.all()}
    assert versions == drawn_before
    assert old.pk in versions


def test_a_retired_question_is_neither_drawn_nor_counted(world, author, reviewer):
    question = Question.objects.filter(competency=world.competency).first()
    assert blueprint_shortfalls(exam=world.exam) == []
    question_transition(question=question, action="retire", user=reviewer)
    question.refresh_from_db()
    assert question.approved_version is None
    [(cell, available)] = blueprint_shortfalls(exam=world.exam)
    assert available == 4
    with pytest.raises(AssessmentError):
        attempt_start(exam=world.exam, staff=world.officer)


def test_a_question_under_revision_still_counts_for_the_blueprint(world):
    question = Question.objects.filter(competency=world.competency).first()
    question_version_create(question=question, stem="<p>Đang sửa</p>", options=SINGLE_OPTIONS)
    assert blueprint_shortfalls(exam=world.exam) == []


def test_shortfalls_list_every_short_cell(db):
    cell = BlueprintCellFactory(count=3)
    QuestionFactory(competency=cell.competency)
    QuestionFactory(competency=cell.competency, status=Question.Status.DRAFT)
    assert blueprint_shortfalls(exam=cell.exam) == [(cell, 1)]


# --- workflow --------------------------------------------------------------------------------


def test_draft_reviewed_approved_records_who_and_when(author, reviewer):
    question = _draft(author)
    _approve(question, reviewer)
    question.refresh_from_db()
    assert question.status == Question.Status.APPROVED
    assert question.approved_version == question.current_version
    entries = ModelLogEntry.objects.for_instance(question).order_by("timestamp", "id")
    steps = [(e.action.rsplit(".", 1)[1], e.user, e.data.get("version")) for e in entries]
    assert steps == [
        ("version", author, 1),
        ("review", reviewer, 1),
        ("approve", _approver(), 1),
    ]
    assert all(e.timestamp for e in entries)


@pytest.mark.parametrize("action", ["review", "approve"])
def test_nobody_reviews_or_approves_their_own_version(author, reviewer, action):
    question = _draft(author)
    if action == "approve":
        question_transition(question=question, action="review", user=reviewer)
    with pytest.raises(AssessmentError, match="someone else|người khác"):
        question_transition(question=question, action=action, user=author)
    question.refresh_from_db()
    assert question.approved_version is None


def test_the_author_of_a_new_version_cannot_approve_it_even_if_they_approved_the_last(
    author, reviewer
):
    question = _approve(_draft(author), reviewer)
    question_version_create(
        question=question, stem="<p>v2</p>", options=SINGLE_OPTIONS, author=reviewer
    )
    question.refresh_from_db()
    with pytest.raises(AssessmentError):
        question_transition(question=question, action="review", user=reviewer)
    question_transition(question=question, action="review", user=author)
    question_transition(question=question, action="approve", user=_approver())
    question.refresh_from_db()
    assert question.approved_version.number == 2


@pytest.mark.parametrize(
    "status,action",
    [
        ("draft", "approve"),
        ("approved", "review"),
        ("retired", "approve"),
        ("retired", "retire"),
        ("draft", "return_to_draft"),
    ],
)
def test_steps_out_of_order_are_refused(author, reviewer, status, action):
    question = _draft(author)
    if status in ("approved", "retired"):
        _approve(question, reviewer)
    if status == "retired":
        question_transition(question=question, action="retire", user=reviewer)
    with pytest.raises(AssessmentError):
        question_transition(question=question, action=action, user=reviewer)


def test_a_reviewer_can_send_a_question_back_to_its_author(author, reviewer):
    question = _draft(author)
    question_transition(question=question, action="review", user=reviewer)
    question = question_transition(
        question=question, action="return_to_draft", user=reviewer, comment="Sửa đáp án b"
    )
    assert question.status == Question.Status.DRAFT
    entry = ModelLogEntry.objects.for_instance(question).first()
    assert entry.data["comment"] == "Sửa đáp án b"


def test_editing_a_retired_question_reopens_it_as_a_draft(author, reviewer):
    question = _approve(_draft(author), reviewer)
    question_transition(question=question, action="retire", user=reviewer)
    question_version_create(question=question, stem="<p>Mới</p>", options=SINGLE_OPTIONS)
    question.refresh_from_db()
    assert (question.status, question.approved_version) == (Question.Status.DRAFT, None)


def test_steps_need_the_permission(author, roles):
    question = _draft(author)
    for role in (Role.HR_OFFICER, Role.OFFICER):
        user = UserFactory()
        user_role_grant(user=user, role=role)
        with pytest.raises(AssessmentError):
            question_transition(question=question, action="review", user=user)


def test_a_step_on_a_version_that_changed_meanwhile_is_refused(author, reviewer):
    question = _draft(author)
    question_version_create(question=question, stem="<p>v2</p>", options=SINGLE_OPTIONS)
    with pytest.raises(AssessmentError):
        question_transition(question=question, action="review", user=reviewer, version_number=1)


def test_the_database_refuses_an_approved_question_drawn_in_another_version(author, reviewer):
    question = _approve(_draft(author), reviewer)
    v2 = question_version_create(question=question, stem="<p>v2</p>", options=SINGLE_OPTIONS)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(status="approved", current_version=v2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(status="retired")


def test_the_reviewer_of_a_version_cannot_also_approve_it(author, reviewer):
    question = _draft(author)
    question_transition(question=question, action="review", user=reviewer)
    with pytest.raises(AssessmentError, match="người khác phải phê duyệt"):
        question_transition(question=question, action="approve", user=reviewer)
    question.refresh_from_db()
    assert question.status == Question.Status.REVIEWED
    question = question_transition(question=question, action="approve", user=_approver())
    assert question.status == Question.Status.APPROVED


def test_the_same_person_may_review_and_approve_when_the_setting_is_off(author, reviewer, settings):
    settings.QUESTION_APPROVAL_REQUIRES_DIFFERENT_REVIEWER = False
    question = _draft(author)
    question_transition(question=question, action="review", user=reviewer)
    question = question_transition(question=question, action="approve", user=reviewer)
    assert question.status == Question.Status.APPROVED


def test_after_a_return_to_draft_the_new_reviewer_is_the_one_who_may_not_approve(author, reviewer):
    question = _draft(author)
    question_transition(question=question, action="review", user=reviewer)
    question_transition(question=question, action="return_to_draft", user=reviewer)
    other = _approver()
    question_transition(question=question, action="review", user=other)
    with pytest.raises(AssessmentError):
        question_transition(question=question, action="approve", user=other)
    question = question_transition(question=question, action="approve", user=reviewer)
    assert question.status == Question.Status.APPROVED
