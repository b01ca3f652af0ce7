"""Exam rules: pass marks per competency, thresholds turning competency scores into levels,
eligibility by position, review policies, the window, attempts and cool-down; the exam admin
for trainers with its "Publish" step."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Attempt,
    Exam,
    ExamCompetencyRule,
    ExamLevelThreshold,
    ReviewPolicy,
    level_thresholds_problems,
)
from assessments.services import AssessmentError, attempt_start, attempt_submit, exam_publish
from competencies.models import CompetencyRecord
from staff.roles import Role
from staff.services import user_role_grant
from tests.assessments.factories import BlueprintCellFactory, QuestionFactory
from tests.competencies.factories import CompetencyFactory, ProficiencyLevelFactory
from tests.conftest import correct_response, wrong_response
from tests.staff.factories import PositionFactory, UserFactory

pytestmark = pytest.mark.django_db

EXPLANATION = "GIẢI-THÍCH-BÍ-MẬT"
FEEDBACK = "PHẢN-HỒI-BÍ-MẬT"
RIGHT_TEXT = "ĐÁP-ÁN-ĐÚNG-KÍN"


def _sit(world, *, right: int | None = None, by_code: dict | None = None) -> Attempt:
    """Start and submit an attempt; `by_code` = {competency code: how many to answer right}."""
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    done: dict[str, int] = {}
    for item in attempt.items.select_related("question_version__question__competency"):
        code = item.question_version.question.competency.code
        quota = (by_code or {}).get(code, right if right is not None else 99)
        good = done.get(code, 0) < quota
        done[code] = done.get(code, 0) + (1 if good else 0)
        item.response = correct_response(item) if good else wrong_response(item)
        item.save(update_fields=["response"])
    return attempt_submit(attempt=attempt, idempotency_key=f"k{attempt.pk}")


@pytest.fixture
def two(world):
    """The world's exam drawing on a second competency too: 5 + 5 questions."""
    other = CompetencyFactory(code="MET-02", title="Hàng đóng gói sẵn")
    QuestionFactory.create_batch(5, competency=other)
    BlueprintCellFactory(exam=world.exam, competency=other, count=5)
    world.other = other
    return world


# --- pass mark per competency, thresholds ----------------------------------------------------


def test_a_pass_mark_per_competency_fails_a_candidate_who_passes_overall(two):
    ExamCompetencyRule.objects.create(exam=two.exam, competency=two.other, pass_mark_percent=80)
    attempt = _sit(two, by_code={"MET-01": 5, "MET-02": 3})
    assert attempt.score_percent == 80  # above the exam's 60 %
    assert attempt.competency_scores["MET-02"] == 60.0
    assert attempt.passed is False
    assert not CompetencyRecord.objects.exists()


def test_without_the_rule_the_same_answers_pass(two):
    attempt = _sit(two, by_code={"MET-01": 5, "MET-02": 3})
    assert attempt.passed is True


def test_thresholds_record_the_level_reached_per_competency(two):
    level3 = ProficiencyLevelFactory(rank=3, name="Thành thạo")
    ExamLevelThreshold.objects.create(exam=two.exam, level=two.level, min_percent=60)
    ExamLevelThreshold.objects.create(exam=two.exam, level=level3, min_percent=90)
    attempt = _sit(two, by_code={"MET-01": 5, "MET-02": 3})
    assert attempt.passed is True
    records = {
        r.competency.code: r for r in CompetencyRecord.objects.select_related("competency", "level")
    }
    assert records["MET-01"].level == level3
    assert records["MET-02"].level == two.level
    assert records["MET-01"].evidence_ref == f"attempt:{attempt.pk}"
    # validity comes from the framework (36 months unless the requirement says otherwise)
    assert records["MET-01"].valid_until > records["MET-01"].assessed_on


def test_a_competency_below_every_threshold_gets_no_record(two):
    level3 = ProficiencyLevelFactory(rank=3, name="Thành thạo")
    ExamLevelThreshold.objects.create(exam=two.exam, level=level3, min_percent=90)
    _sit(two, by_code={"MET-01": 5, "MET-02": 3})
    assert set(CompetencyRecord.objects.values_list("competency__code", flat=True)) == {"MET-01"}


def test_thresholds_must_rise_with_the_level():
    assert level_thresholds_problems([(2, 70), (3, 90)]) == []
    assert level_thresholds_problems([(2, 90), (3, 70)])
    assert level_thresholds_problems([(2, 70), (3, 70)])
    assert level_thresholds_problems([(2, 70), (2, 80)])


def test_publishing_refuses_falling_thresholds_and_lists_short_cells(world):
    world.exam.published = False
    world.exam.save()
    level3 = ProficiencyLevelFactory(rank=3)
    ExamLevelThreshold.objects.create(exam=world.exam, level=world.level, min_percent=90)
    ExamLevelThreshold.objects.create(exam=world.exam, level=level3, min_percent=80)
    with pytest.raises(AssessmentError, match="rise with the level|tăng"):
        exam_publish(exam=world.exam)
    ExamLevelThreshold.objects.filter(level=level3).update(min_percent=95)
    other = CompetencyFactory(code="RAD-01")
    BlueprintCellFactory(exam=world.exam, competency=other, difficulty="hard", count=3)
    BlueprintCellFactory(exam=world.exam, competency=other, difficulty="easy", count=2)
    with pytest.raises(AssessmentError) as error:
        exam_publish(exam=world.exam)
    assert "RAD-01" in error.value.message and error.value.message.count("RAD-01") == 2
    world.exam.refresh_from_db()
    assert world.exam.published is False


def test_a_pass_mark_on_a_competency_the_blueprint_does_not_draw_is_refused(world):
    world.exam.published = False
    world.exam.save()
    ExamCompetencyRule.objects.create(
        exam=world.exam, competency=CompetencyFactory(code="IP-01"), pass_mark_percent=50
    )
    with pytest.raises(AssessmentError, match="IP-01"):
        exam_publish(exam=world.exam)


def test_the_window_must_open_before_it_closes(world):
    now = timezone.now()
    world.exam.opens_at, world.exam.closes_at = now, now - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        world.exam.full_clean()
    assert "closes_at" in error.value.message_dict


def test_after_close_cannot_show_less_than_after_submit(world):
    world.exam.review_after_submit = ReviewPolicy.FULL
    world.exam.review_after_close = ReviewPolicy.SCORE
    with pytest.raises(ValidationError) as error:
        world.exam.full_clean()
    assert "review_after_close" in error.value.message_dict


# --- eligibility, window, attempts, cool-down ------------------------------------------------


def test_a_position_not_listed_is_refused_with_a_message(world, client):
    world.exam.eligible_positions.add(PositionFactory())
    world.exam.save()  # a parental many-to-many is written on save
    with pytest.raises(AssessmentError, match="positions|vị trí"):
        attempt_start(exam=world.exam, staff=world.officer)
    client.force_login(world.officer.user)
    page = client.get(reverse("assessments:exam", args=[world.exam.pk])).content.decode()
    assert "positions" in page or "vị trí" in page
    assert reverse("assessments:start", args=[world.exam.pk]) not in page
    response = client.post(reverse("assessments:start", args=[world.exam.pk]), follow=True)
    assert not Attempt.objects.exists()
    assert response.status_code == 200


def test_a_listed_position_may_start(world):
    world.exam.eligible_positions.add(world.officer.position, PositionFactory())
    world.exam.save()
    assert attempt_start(exam=world.exam, staff=world.officer).pk


def test_the_window_is_enforced(world):
    now = timezone.now()
    Exam.objects.filter(pk=world.exam.pk).update(opens_at=now + timedelta(hours=1))
    world.exam.refresh_from_db()
    with pytest.raises(AssessmentError):
        attempt_start(exam=world.exam, staff=world.officer)
    Exam.objects.filter(pk=world.exam.pk).update(
        opens_at=now - timedelta(hours=2), closes_at=now - timedelta(hours=1)
    )
    world.exam.refresh_from_db()
    with pytest.raises(AssessmentError):
        attempt_start(exam=world.exam, staff=world.officer)


def test_attempts_and_cool_down(world):
    world.exam.max_attempts = 2
    world.exam.cooldown_minutes = 60
    world.exam.save()
    _sit(world, right=0)
    with pytest.raises(AssessmentError, match="retake|thi lại"):
        attempt_start(exam=world.exam, staff=world.officer)
    Attempt.objects.update(submitted_at=timezone.now() - timedelta(minutes=61))
    _sit(world, right=0)
    Attempt.objects.update(submitted_at=timezone.now() - timedelta(minutes=61))
    with pytest.raises(AssessmentError, match="attempts|lần thi"):
        attempt_start(exam=world.exam, staff=world.officer)


# --- review policies -------------------------------------------------------------------------


@pytest.fixture
def secret_world(world):
    """The world's questions replaced by ones carrying an explanation and option feedback."""
    from assessments.models import BlueprintCell, Question

    BlueprintCell.objects.filter(exam=world.exam).delete()
    Question.objects.update(approved_version=None, status="retired")
    competency = CompetencyFactory(code="IP-02")
    QuestionFactory.create_batch(
        3,
        competency=competency,
        version__explanation=f"<p>{EXPLANATION}</p>",
        version__options=[
            {"key": "a", "text": RIGHT_TEXT, "correct": True},
            {"key": "b", "text": "Phương án sai", "correct": False, "feedback": FEEDBACK},
        ],
    )
    BlueprintCellFactory(exam=world.exam, competency=competency, count=3)
    return world


def _result_page(world, client) -> str:
    attempt = _sit(world, right=0)  # every answer wrong: the key is never the officer's own
    client.force_login(world.officer.user)
    return client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()


def _set_policy(exam, after_submit, after_close=None, closes_at=None):
    Exam.objects.filter(pk=exam.pk).update(
        review_after_submit=after_submit,
        review_after_close=after_close or after_submit,
        closes_at=closes_at,
    )
    exam.refresh_from_db()


def _shows_key(page: str) -> bool:
    return any(s in page for s in (RIGHT_TEXT, EXPLANATION, FEEDBACK))


def test_policy_nothing_shows_neither_score_nor_answers(secret_world, client):
    _set_policy(secret_world.exam, ReviewPolicy.NOTHING)
    page = _result_page(secret_world, client)
    assert "0.00%" not in page and "0,00%" not in page
    assert "Phương án sai" not in page and not _shows_key(page)
    exam_page = client.get(reverse("assessments:exam", args=[secret_world.exam.pk]))
    assert "0.00%" not in exam_page.content.decode()


def test_policy_score_shows_the_score_only(secret_world, client):
    _set_policy(secret_world.exam, ReviewPolicy.SCORE)
    page = _result_page(secret_world, client)
    assert "0.00%" in page or "0,00%" in page
    assert "Phương án sai" not in page and not _shows_key(page)


def test_policy_right_wrong_shows_the_answers_but_not_the_key(secret_world, client):
    _set_policy(secret_world.exam, ReviewPolicy.RIGHT_WRONG)
    page = _result_page(secret_world, client)
    assert page.count("Phương án sai") == 3
    assert "status-gap" in page
    assert not _shows_key(page)


def test_policy_full_shows_the_key_feedback_and_explanation(secret_world, client):
    _set_policy(secret_world.exam, ReviewPolicy.FULL)
    page = _result_page(secret_world, client)
    assert RIGHT_TEXT in page and EXPLANATION in page and FEEDBACK in page


def test_the_key_waits_for_the_exam_to_close(secret_world, client):
    soon = timezone.now() + timedelta(hours=1)
    _set_policy(secret_world.exam, ReviewPolicy.SCORE, ReviewPolicy.FULL, closes_at=soon)
    page = _result_page(secret_world, client)
    assert not _shows_key(page)
    attempt = Attempt.objects.get()
    Exam.objects.filter(pk=secret_world.exam.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    page = client.get(reverse("assessments:result", args=[attempt.pk])).content.decode()
    assert RIGHT_TEXT in page and EXPLANATION in page


# --- the exam admin --------------------------------------------------------------------------


@pytest.fixture
def trainer(roles):
    user = UserFactory(username="giangvien-thi")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


def _formset(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
        data[f"{prefix}-{i}-id"] = ""
    return data


def _exam_post(world, *, thresholds=(), rules=(), **extra) -> dict:
    level3 = ProficiencyLevelFactory(rank=3)
    return {
        "title": "Sát hạch thử",
        "kind": "certification",
        "requires_course_completion": "",
        "instructions": "",
        "time_limit_minutes": "20",
        "pass_mark_percent": "70",
        "max_attempts": "2",
        "cooldown_minutes": "0",
        "opens_at": "",
        "closes_at": "",
        "shuffle_questions": "on",
        "shuffle_options": "on",
        "eligible_positions": [str(world.officer.position.pk)],
        "review_after_submit": "score",
        "review_after_close": "full",
        "awarded_level": str(world.level.pk),
        **_formset(
            "blueprint",
            [{"competency": str(world.competency.pk), "difficulty": "easy", "count": "5"}],
        ),
        **_formset(
            "competency_rules",
            [{"competency": str(world.competency.pk), "pass_mark_percent": p} for p in rules],
        ),
        **_formset(
            "level_thresholds",
            [
                {"level": str(pk if pk else level3.pk), "min_percent": p}
                for pk, p in [
                    (world.level.pk if i == 0 else None, p) for i, p in enumerate(thresholds)
                ]
            ],
        ),
        **extra,
    }


def test_a_trainer_creates_an_exam_with_blueprint_rules_and_thresholds(world, trainer, client):
    client.force_login(trainer)
    assert client.get(reverse("exam:index")).status_code == 200
    assert client.get(reverse("exam:add")).status_code == 200
    response = client.post(
        reverse("exam:add"), _exam_post(world, rules=["80"], thresholds=["70", "90"])
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    exam = Exam.objects.get(title="Sát hạch thử")
    assert exam.published is False
    assert list(exam.eligible_positions.all()) == [world.officer.position]
    assert exam.blueprint.get().count == 5
    assert exam.competency_rules.get().pass_mark_percent == 80
    assert sorted(exam.level_thresholds.values_list("min_percent", flat=True)) == [70, 90]
    # publish: the bank has the five approved questions the blueprint asks for
    page = client.get(reverse("exam:publish", args=[exam.pk]))
    assert page.status_code == 200
    response = client.post(reverse("exam:publish", args=[exam.pk]), {"action": "publish"})
    assert response.status_code == 302
    exam.refresh_from_db()
    assert exam.published is True


def test_falling_thresholds_and_a_bad_window_are_refused_on_the_form(world, trainer, client):
    client.force_login(trainer)
    response = client.post(
        reverse("exam:add"),
        _exam_post(
            world,
            thresholds=["90", "70"],
            opens_at="2026-12-02 08:00",
            closes_at="2026-12-01 08:00",
        ),
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert not Exam.objects.filter(title="Sát hạch thử").exists()
    form = response.context["form"]
    assert "closes_at" in form.errors
    assert any("rise with the level" in str(e) or "tăng" in str(e) for e in form.non_field_errors())
    assert str(form.non_field_errors()[0]) in text.replace("&#x27;", "'")


def test_a_per_competency_pass_mark_outside_1_to_100_is_refused(world, trainer, client):
    client.force_login(trainer)
    response = client.post(reverse("exam:add"), _exam_post(world, rules=["120"]))
    assert response.status_code == 200
    assert not Exam.objects.filter(title="Sát hạch thử").exists()


def test_the_publish_page_lists_each_short_cell(world, trainer, client):
    world.exam.published = False
    world.exam.save()
    BlueprintCellFactory(exam=world.exam, competency=world.competency, difficulty="hard", count=4)
    client.force_login(trainer)
    page = client.get(reverse("exam:publish", args=[world.exam.pk])).content.decode()
    assert "MET-01" in page and " disabled" in page
    response = client.post(reverse("exam:publish", args=[world.exam.pk]), {"action": "publish"})
    assert response.status_code == 302
    world.exam.refresh_from_db()
    assert world.exam.published is False


def test_hr_and_officers_cannot_reach_the_exam_admin(world, roles, client):
    hr = UserFactory(username="nhansu-thi")
    user_role_grant(user=hr, role=Role.HR_OFFICER)
    for user in (hr, world.officer.user):
        client.force_login(user)
        for url in (
            reverse("exam:index"),
            reverse("exam:add"),
            reverse("exam:edit", args=[world.exam.pk]),
            reverse("exam:publish", args=[world.exam.pk]),
        ):
            response = client.get(url)
            assert response.status_code == 302, (user, url)
            assert "/login" in response.url or response.url.rstrip("/").endswith("/admin"), url
        response = client.post(
            reverse("exam:publish", args=[world.exam.pk]), {"action": "unpublish"}
        )
        assert response.status_code == 302
        world.exam.refresh_from_db()
        assert world.exam.published is True


def test_an_exam_with_attempts_cannot_be_deleted(world, roles, client):
    admin = UserFactory(username="quantri-thi", is_superuser=True)
    _sit(world)
    client.force_login(admin)
    response = client.post(reverse("exam:delete", args=[world.exam.pk]))
    assert response.status_code == 302
    assert Exam.objects.filter(pk=world.exam.pk).exists()


def _edit_post(world, *, count: int) -> dict:
    """The edit form of the world's exam with its existing blueprint cells asking `count`."""
    data = _exam_post(world)
    cells = list(world.exam.blueprint.all())
    data.update(_formset("blueprint", []))
    data["blueprint-TOTAL_FORMS"] = data["blueprint-INITIAL_FORMS"] = str(len(cells))
    for i, cell in enumerate(cells):
        data.update(
            {
                f"blueprint-{i}-id": str(cell.pk),
                f"blueprint-{i}-competency": str(cell.competency_id),
                f"blueprint-{i}-difficulty": cell.difficulty,
                f"blueprint-{i}-count": str(count),
            }
        )
    return data


def test_a_published_exam_refuses_a_blueprint_the_bank_cannot_fill(world, trainer, client):
    assert world.exam.published
    before = {cell.pk: cell.count for cell in world.exam.blueprint.all()}
    client.force_login(trainer)
    response = client.post(reverse("exam:edit", args=[world.exam.pk]), _edit_post(world, count=50))
    assert response.status_code == 200
    errors = " ".join(str(e) for e in response.context["form"].non_field_errors())
    assert "MET-01" in errors and "50" in errors
    assert {cell.pk: cell.count for cell in world.exam.blueprint.all()} == before
    # a blueprint the bank can fill is saved, and the exam stays published
    response = client.post(reverse("exam:edit", args=[world.exam.pk]), _edit_post(world, count=2))
    assert response.status_code == 302, response.content.decode()[:2000]
    world.exam.refresh_from_db()
    assert world.exam.published
    assert {cell.count for cell in world.exam.blueprint.all()} == {2}


def test_a_draft_exam_may_ask_more_than_the_bank_holds_until_it_is_published(
    world, trainer, client
):
    Exam.objects.filter(pk=world.exam.pk).update(published=False)
    client.force_login(trainer)
    response = client.post(reverse("exam:edit", args=[world.exam.pk]), _edit_post(world, count=50))
    assert response.status_code == 302


def test_saving_a_blueprint_the_bank_cannot_fill_warns_with_each_short_cell(world, trainer, client):
    Exam.objects.filter(pk=world.exam.pk).update(published=False)
    client.force_login(trainer)
    response = client.post(
        reverse("exam:edit", args=[world.exam.pk]), _edit_post(world, count=50), follow=True
    )
    page = response.content.decode()
    assert "Ngân hàng câu hỏi chưa đủ câu cho ma trận đề này" in page
    assert "MET-01" in page and "cần 50" in page
    # a blueprint the bank can fill saves without the warning
    response = client.post(
        reverse("exam:edit", args=[world.exam.pk]), _edit_post(world, count=2), follow=True
    )
    assert "chưa đủ câu" not in response.content.decode()


def test_the_exam_form_and_publish_page_name_blueprint_and_thresholds_in_vietnamese(
    world, trainer, client
):
    client.force_login(trainer)
    page = client.get(reverse("exam:edit", args=[world.exam.pk])).content.decode()
    assert "Blueprint cell" not in page and "Level thresholds" not in page
    assert "Ô ma trận đề" in page and "Ngưỡng mức năng lực" in page
    page = client.get(reverse("exam:publish", args=[world.exam.pk])).content.decode()
    assert '<th scope="col">Số câu</th>' in page
    assert "Danh sách câu hỏi" not in page
