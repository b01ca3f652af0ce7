import math
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from assessments import item_statistics as item_statistics_module
from assessments.item_statistics import (
    MIN_ATTEMPTS_FOR_FLAGS,
    RECOMPUTE_COUNTDOWN,
    ItemStatistic,
    ItemStatisticPending,
    item_statistics_recompute,
    item_statistics_recompute_all,
    item_statistics_recompute_pending,
)
from assessments.models import Attempt, AttemptItem, Question, QuestionVersion
from assessments.services import attempt_save_answer, attempt_start, attempt_submit
from assessments.tasks import item_statistics_recompute_pending_task
from lms.celery import app as celery_app
from staff.roles import Role
from staff.services import user_role_grant
from tests.assessments.factories import ExamFactory, QuestionFactory
from tests.conftest import correct_response, wrong_response
from tests.staff.factories import StaffRecordFactory, UserFactory


class Bank:
    """Three single-choice questions (right answer "a") and an exam to attempt them in."""

    def __init__(self):
        self.exam = ExamFactory()
        self.questions = QuestionFactory.create_batch(3)
        self.versions = [q.current_version for q in self.questions]
        self.staff = StaffRecordFactory()
        self.number = 0

    def attempt(self, *items, status=Attempt.Status.GRADED):
        """A graded attempt whose items are (version index, score, response)."""
        self.number += 1
        now = timezone.now()
        attempt = Attempt.objects.create(
            exam=self.exam,
            staff=self.staff,
            number=self.number,
            status=status,
            started_at=now,
            deadline=now + timedelta(minutes=20),
        )
        AttemptItem.objects.bulk_create(
            AttemptItem(
                attempt=attempt,
                position=position,
                question_version=self.versions[index],
                option_order=["a", "b", "c"],
                response=response,
                score=score,
            )
            for position, (index, score, response) in enumerate(items, 1)
        )
        return attempt


@pytest.fixture
def bank(db):
    return Bank()


def _statistic(version) -> ItemStatistic:
    return ItemStatistic.objects.get(question_version=version)


def test_facility_point_biserial_upper_lower_and_choice_rates_of_a_known_dataset(bank):
    # item 0 scores 1,1,0,0,0; the rest of each test (mean of items 1 and 2): 1, .5, .5, 0, .5
    bank.attempt((0, 1.0, ["a"]), (1, 1.0, ["a"]), (2, 1.0, ["a"]))
    bank.attempt((0, 1.0, ["a"]), (1, 1.0, ["a"]), (2, 0.0, ["b"]))
    bank.attempt((0, 0.0, ["b"]), (1, 1.0, ["a"]), (2, 0.0, ["b"]))
    bank.attempt((0, 0.0, ["c"]), (1, 0.0, ["b"]), (2, 0.0, ["b"]))
    bank.attempt((0, 0.0, None), (1, 0.0, ["c"]), (2, 1.0, ["a"]))
    bank.attempt((0, 1.0, ["a"]), status=Attempt.Status.IN_PROGRESS)  # not counted

    assert item_statistics_recompute(version_ids=[v.pk for v in bank.versions]) == 3

    stat = _statistic(bank.versions[0])
    assert stat.attempts == 5
    assert stat.facility == pytest.approx(0.4)
    # by hand: Sxy = .5, Sxx = 1.2, Syy = .5 → r = .5 / sqrt(.6)
    assert stat.discrimination == pytest.approx(0.5 / math.sqrt(0.6))
    # 27 % of 5 is one attempt per group: the top one scored 1, the bottom one 0
    assert stat.upper_lower_index == pytest.approx(1.0)
    assert stat.distractor_rates == {"a": 0.4, "b": 0.2, "c": 0.2}
    assert stat.unanswered_rate == pytest.approx(0.2)
    # fewer than the minimum attempts: never flagged
    assert stat.flags == [] and not stat.flagged
    assert _statistic(bank.versions[1]).facility == pytest.approx(0.6)


def test_a_version_nobody_varied_on_has_no_discrimination(bank):
    for _ in range(3):
        bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]))
    item_statistics_recompute(version_ids=[bank.versions[0].pk])
    stat = _statistic(bank.versions[0])
    assert stat.facility == 1.0
    assert stat.discrimination is None


def test_a_multiple_choice_rate_counts_each_option_an_attempt_ticked(bank):
    bank.attempt((0, 1.0, ["a", "b"]), (1, 1.0, ["a"]))
    bank.attempt((0, 0.0, ["b", "zzz"]), (1, 0.0, ["b"]))  # unknown keys are ignored
    item_statistics_recompute(version_ids=[bank.versions[0].pk])
    assert _statistic(bank.versions[0]).distractor_rates == {"a": 0.5, "b": 1.0, "c": 0.0}


def test_non_choice_questions_have_no_option_rates(bank):
    numeric = QuestionFactory(qtype="numeric")
    bank.versions.append(numeric.current_version)
    bank.attempt((3, 1.0, {"value": "2.5", "unit": "kg"}), (0, 1.0, ["a"]))
    bank.attempt((3, 0.0, {"value": "", "unit": ""}), (0, 0.0, ["b"]))
    item_statistics_recompute(version_ids=[numeric.current_version.pk])
    stat = _statistic(numeric.current_version)
    assert stat.distractor_rates == {}
    assert stat.unanswered_rate == 0.5
    assert stat.discrimination == pytest.approx(1.0)


def test_too_easy_is_flagged_from_the_minimum_number_of_attempts(bank):
    for _ in range(MIN_ATTEMPTS_FOR_FLAGS - 1):
        bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]))
    item_statistics_recompute(version_ids=[bank.versions[0].pk])
    assert not _statistic(bank.versions[0]).flagged

    bank.attempt((0, 1.0, ["a"]), (1, 1.0, ["a"]))
    item_statistics_recompute(version_ids=[bank.versions[0].pk])
    stat = _statistic(bank.versions[0])
    assert stat.flags == ["too_easy"] and stat.flagged


def test_too_hard_is_flagged(bank):
    for n in range(MIN_ATTEMPTS_FOR_FLAGS):
        bank.attempt((0, 0.0, ["b"]), (1, float(n % 2), ["a"]))
    item_statistics_recompute(version_ids=[bank.versions[0].pk])
    assert _statistic(bank.versions[0]).flags == ["too_hard"]


def test_a_question_the_weaker_officers_get_right_is_flagged_negative(bank):
    for n in range(MIN_ATTEMPTS_FOR_FLAGS):
        strong = n % 2 == 0
        bank.attempt((0, 0.0 if strong else 1.0, ["b"]), (1, 1.0 if strong else 0.0, ["a"]))
    item_statistics_recompute(version_ids=[bank.versions[0].pk])
    stat = _statistic(bank.versions[0])
    assert stat.discrimination == pytest.approx(-1.0)
    assert stat.upper_lower_index == pytest.approx(-1.0)
    assert stat.flags == ["negative_discrimination"]


def test_recomputing_twice_changes_nothing(bank):
    bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]))
    bank.attempt((0, 0.0, ["b"]), (1, 1.0, ["a"]))
    ids = [v.pk for v in bank.versions[:2]]
    item_statistics_recompute(version_ids=ids)
    first = list(ItemStatistic.objects.order_by("pk").values("pk", "facility", "discrimination"))
    item_statistics_recompute(version_ids=ids)
    again = list(ItemStatistic.objects.order_by("pk").values("pk", "facility", "discrimination"))
    assert first == again


def _queries_to_recompute(bank) -> int:
    with CaptureQueriesContext(connection) as queries:
        item_statistics_recompute(version_ids=[v.pk for v in bank.versions])
    return len(queries)


def test_the_recompute_query_count_does_not_grow_with_the_number_of_attempts(bank):
    for n in range(3):
        bank.attempt((0, 1.0, ["a"]), (1, float(n % 2), ["b"]), (2, 0.0, None))
    few = _queries_to_recompute(bank)
    for n in range(30):
        bank.attempt((0, float(n % 3 == 0), ["a"]), (1, 1.0, ["a"]), (2, 0.0, ["c"]))
    assert _queries_to_recompute(bank) == few <= 4


def _answer_all(attempt, picker):
    for seq, item in enumerate(attempt.items.select_related("question_version__question"), 1):
        attempt_save_answer(attempt=attempt, item=item, response=picker(item), seq=seq)


def _pending() -> set[int]:
    return set(ItemStatisticPending.objects.values_list("question_version_id", flat=True))


def _submit(attempt, key, picker, capture):
    _answer_all(attempt, picker)
    with capture(execute=True):
        attempt_submit(attempt=attempt, idempotency_key=key)
    return set(attempt.items.values_list("question_version_id", flat=True))


def test_submitting_only_marks_the_drawn_versions_and_trainers_pages_compute_them(
    world, client, roles, django_capture_on_commit_callbacks
):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    _answer_all(attempt, correct_response)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attempt_submit(attempt=attempt, idempotency_key="k1")
    # nothing inside the submit transaction: the marks come once the grading has committed
    assert not _pending() and not ItemStatistic.objects.exists()
    for callback in callbacks:
        callback()
    drawn = set(attempt.items.values_list("question_version_id", flat=True))
    assert len(drawn) == 5
    # embedded mode (no broker): no recompute in the officer's request, only the marks
    assert _pending() == drawn
    assert not ItemStatistic.objects.exists()

    # the trainer's report computes the marked versions before it shows them
    client.force_login(_user(Role.TRAINER))
    response = client.get(reverse("item_statistics_report"))
    assert response.status_code == 200
    assert not _pending()
    stats = ItemStatistic.objects.all()
    assert {(s.question_version_id, s.attempts, s.facility) for s in stats} == {
        (pk, 1, 1.0) for pk in drawn
    }
    question_name = Question.objects.get(versions__pk=min(drawn)).name
    assert question_name in response.content.decode()

    second = attempt_start(exam=world.exam, staff=world.officer)
    assert _submit(second, "k2", wrong_response, django_capture_on_commit_callbacks) == drawn
    assert _pending() == drawn
    # stale until a trainer looks: the report brings every figure up to date
    assert {s.attempts for s in ItemStatistic.objects.all()} == {1}
    client.get(reverse("item_statistics_report_results"))
    assert not _pending()
    for stat in ItemStatistic.objects.filter(question_version_id__in=drawn):
        assert stat.attempts == 2
        assert stat.facility == 0.5
        assert stat.distractor_rates["a"] == 0.5


def _graded_attempts(exam, version_ids, count):
    """`count` graded attempts of an exam, each drawing these versions (one answered right)."""
    staff = StaffRecordFactory()
    now = timezone.now()
    attempts = Attempt.objects.bulk_create(
        Attempt(
            exam=exam,
            staff=staff,
            number=n,
            status=Attempt.Status.GRADED,
            started_at=now,
            deadline=now + timedelta(minutes=20),
        )
        for n in range(1, count + 1)
    )
    AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt=attempt,
            position=position,
            question_version_id=version_id,
            option_order=["a", "b", "c"],
            response=["a"] if position == 1 else ["b"],
            score=1.0 if position == 1 else 0.0,
        )
        for attempt in attempts
        for position, version_id in enumerate(version_ids, 1)
    )


def _queries_to_submit(world, key, capture) -> list[str]:
    attempt = attempt_start(exam=world.exam, staff=StaffRecordFactory())
    _answer_all(attempt, wrong_response)
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        attempt_submit(attempt=attempt, idempotency_key=key)
    return [query["sql"] for query in queries]


def test_the_submit_costs_the_same_queries_with_2_or_50_earlier_graded_attempts(
    world, django_capture_on_commit_callbacks
):
    versions = list(
        QuestionVersion.objects.filter(question__competency=world.competency).values_list(
            "pk", flat=True
        )
    )
    _graded_attempts(world.exam, versions, 2)
    few = _queries_to_submit(world, "k1", django_capture_on_commit_callbacks)
    item_statistics_recompute_pending()  # a trainer looked in between: the marks are gone
    _graded_attempts(world.exam, versions, 48)
    many = _queries_to_submit(world, "k2", django_capture_on_commit_callbacks)
    assert len(many) == len(few)
    # one statement for the statistics: the marks; the figures themselves are not read
    statistics = [sql for sql in many if "itemstatistic" in sql.lower()]
    assert len(statistics) == 1 and "itemstatisticpending" in statistics[0].lower()
    assert _pending() == set(versions)


@pytest.fixture
def scale_mode(monkeypatch):
    """A broker is configured: tasks are queued, not run inline. The queued recomputes are
    recorded (and run by the test when it chooses)."""
    queued = []
    monkeypatch.setattr(
        item_statistics_recompute_pending_task,
        "apply_async",
        lambda *args, **kwargs: queued.append(kwargs),
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    yield queued
    celery_app.conf.task_always_eager = eager


def test_with_a_broker_a_burst_of_submissions_queues_one_recompute_of_each_version(
    world, scale_mode, monkeypatch, django_capture_on_commit_callbacks
):
    drawn = set()
    for n in range(6):
        attempt = attempt_start(exam=world.exam, staff=StaffRecordFactory())
        drawn |= _submit(
            attempt,
            f"k{n}",
            correct_response if n % 2 else wrong_response,
            django_capture_on_commit_callbacks,
        )
    # the first submission's marks queued the (delayed) task; the burst found them pending
    assert scale_mode == [{"countdown": RECOMPUTE_COUNTDOWN}]
    assert _pending() == drawn and not ItemStatistic.objects.exists()

    recomputed = []
    original = item_statistics_module.item_statistics_recompute

    def spy(*, version_ids):
        recomputed.extend(version_ids)
        return original(version_ids=version_ids)

    monkeypatch.setattr(item_statistics_module, "item_statistics_recompute", spy)
    assert item_statistics_recompute_pending_task.apply().get() == len(drawn)
    assert sorted(recomputed) == sorted(drawn)  # each version once
    assert not _pending()
    assert {(s.attempts, s.facility) for s in ItemStatistic.objects.all()} == {(6, 0.5)}
    # a second run (another task of the burst, or beat) has nothing to do
    with CaptureQueriesContext(connection) as queries:
        assert item_statistics_recompute_pending_task.apply().get() == 0
    assert len(recomputed) == len(drawn)
    assert len([q for q in queries if q["sql"].startswith("SELECT")]) == 1

    # after the recompute, the next submission marks afresh and queues again
    attempt = attempt_start(exam=world.exam, staff=StaffRecordFactory())
    _submit(attempt, "again", correct_response, django_capture_on_commit_callbacks)
    assert len(scale_mode) == 2 and _pending() == drawn


def test_a_failed_recompute_puts_the_marks_back(bank, monkeypatch):
    bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]))
    ItemStatisticPending.objects.create(question_version=bank.versions[0])

    def broken(*, version_ids):
        raise RuntimeError("database restarting")

    monkeypatch.setattr(item_statistics_module, "item_statistics_recompute", broken)
    with pytest.raises(RuntimeError):
        item_statistics_recompute_pending()
    assert _pending() == {bank.versions[0].pk}
    monkeypatch.undo()
    assert item_statistics_recompute_pending() == 1
    assert not _pending() and _statistic(bank.versions[0]).attempts == 1


def test_a_request_recomputes_at_most_its_share_in_batches(bank):
    bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]), (2, 1.0, ["a"]))
    ItemStatisticPending.objects.bulk_create(
        ItemStatisticPending(question_version=version) for version in bank.versions
    )
    assert item_statistics_recompute_pending(limit=2, batch_size=1) == 2
    assert len(_pending()) == 1  # the oldest marks first; the rest next time
    assert item_statistics_recompute_pending(batch_size=1) == 1
    assert not _pending() and ItemStatistic.objects.count() == 3


def test_the_pending_command_computes_the_marked_versions_only_and_clears_them(bank, capsys):
    bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]))
    bank.attempt((0, 0.0, ["b"]), (1, 1.0, ["a"]))
    ItemStatisticPending.objects.create(question_version=bank.versions[0])
    call_command("compute_item_statistics", "--pending")
    assert "1" in capsys.readouterr().out
    assert not _pending()
    assert list(ItemStatistic.objects.values_list("question_version_id", "attempts")) == [
        (bank.versions[0].pk, 2)
    ]
    first = list(ItemStatistic.objects.values("facility", "discrimination", "computed_at"))
    # nothing marked since: nothing to do, nothing rewritten
    call_command("compute_item_statistics", "--pending")
    assert "0" in capsys.readouterr().out
    assert list(ItemStatistic.objects.values("facility", "discrimination", "computed_at")) == first


def test_the_command_recomputes_everything_and_drops_rows_without_graded_attempts(bank, capsys):
    bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]))
    stale = QuestionFactory().current_version
    ItemStatistic.objects.create(question_version=stale, attempts=3, computed_at=timezone.now())
    call_command("compute_item_statistics", "--batch-size", "1")
    assert set(ItemStatistic.objects.values_list("question_version_id", flat=True)) == {
        bank.versions[0].pk,
        bank.versions[1].pk,
    }
    assert "2" in capsys.readouterr().out
    assert item_statistics_recompute_all() == 2


def test_the_full_recompute_clears_the_marks(bank):
    bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]))
    ItemStatisticPending.objects.create(question_version=bank.versions[0])
    assert item_statistics_recompute_all() == 2
    assert not _pending()


# --- what trainers see ---------------------------------------------------------------------


def _too_easy() -> str:
    # the admin speaks the site's language (Vietnamese) to a user who chose none
    with translation.override(settings.LANGUAGE_CODE):
        return str(ItemStatistic.Flag.TOO_EASY.label)


def _user(role):
    user = UserFactory()
    if role is not None:
        user_role_grant(user=user, role=role)
    return user


@pytest.fixture
def flagged_bank(bank, roles):
    """Question 0 is answered right by everyone (too easy); question 1 half the time."""
    for n in range(MIN_ATTEMPTS_FOR_FLAGS):
        bank.attempt((0, 1.0, ["a"]), (1, float(n % 2), ["a" if n % 2 else "b"]))
    item_statistics_recompute_all()
    return bank


def test_trainers_see_the_report_with_flagged_questions_first(client, flagged_bank):
    client.force_login(_user(Role.TRAINER))
    response = client.get(reverse("item_statistics_report"))
    assert response.status_code == 200
    content = response.content.decode()
    easy, fair = (q.name for q in flagged_bank.questions[:2])
    assert easy in content and fair in content
    assert content.index(easy) < content.index(fair)
    assert _too_easy() in content


def test_the_report_filters_by_flag_and_competency(client, flagged_bank):
    client.force_login(_user(Role.TRAINER))
    easy, fair = (q.name for q in flagged_bank.questions[:2])
    content = client.get(reverse("item_statistics_report"), {"flag": "too_easy"}).content.decode()
    assert easy in content and fair not in content
    competency = flagged_bank.questions[1].competency
    content = client.get(
        reverse("item_statistics_report_results"), {"competency": competency.pk}
    ).content.decode()
    assert fair in content and easy not in content


def test_the_report_exports_to_csv_and_xlsx(client, flagged_bank):
    client.force_login(_user(Role.TRAINER))
    response = client.get(reverse("item_statistics_report"), {"export": "csv"})
    assert response.status_code == 200
    rows = b"".join(response.streaming_content).decode().splitlines()
    assert len(rows[0].split(",")) == 12  # the headings
    assert len(rows) == 3
    assert flagged_bank.questions[0].name in rows[1] and "a: 100%" in rows[1]
    assert _too_easy() in rows[1]
    response = client.get(reverse("item_statistics_report"), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_question_name_never_runs_as_a_formula_in_the_csv(client, flagged_bank):
    Question.objects.filter(pk=flagged_bank.questions[0].pk).update(name="=HYPERLINK(1)")
    client.force_login(_user(Role.TRAINER))
    response = client.get(reverse("item_statistics_report"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK(1)" in content


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.OFFICER])
def test_hr_and_officers_are_refused_the_report(client, flagged_bank, role):
    client.force_login(_user(role))
    response = client.get(reverse("item_statistics_report"))
    assert response.status_code == 302
    assert flagged_bank.questions[0].name not in response.content.decode()


def test_the_report_menu_item_shows_for_trainers_only(rf, roles):
    from assessments.item_statistics_admin import item_statistics_menu_item

    item = item_statistics_menu_item()
    for role, shown in ((Role.TRAINER, True), (Role.HR_OFFICER, False)):
        request = rf.get("/admin/")
        request.user = _user(role)
        assert item.is_shown(request) is shown


def test_the_question_inspect_view_shows_each_versions_statistics(client, flagged_bank):
    client.force_login(_user(Role.TRAINER))
    question = flagged_bank.questions[0]
    content = client.get(reverse("question:inspect", args=[question.pk])).content.decode()
    assert 'id="item-statistics-heading"' in content
    assert _too_easy() in content
    assert "a: 100%" in content
    other = QuestionFactory()
    content = client.get(reverse("question:inspect", args=[other.pk])).content.decode()
    assert '<td colspan="8">' in content  # "no graded attempt yet"


def test_the_question_inspect_view_computes_its_pending_versions_only(client, bank, roles):
    bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]))
    ItemStatisticPending.objects.bulk_create(
        ItemStatisticPending(question_version=version) for version in bank.versions[:2]
    )
    client.force_login(_user(Role.TRAINER))
    content = client.get(reverse("question:inspect", args=[bank.questions[0].pk])).content.decode()
    assert "a: 100%" in content
    assert _pending() == {bank.versions[1].pk}
    assert _statistic(bank.versions[0]).attempts == 1


def test_a_report_view_with_more_pending_than_its_share_says_so(client, bank, roles, monkeypatch):
    monkeypatch.setattr("assessments.item_statistics_admin.RECOMPUTE_PER_REQUEST", 1)
    bank.attempt((0, 1.0, ["a"]), (1, 0.0, ["b"]))
    ItemStatisticPending.objects.bulk_create(
        ItemStatisticPending(question_version=version) for version in bank.versions[:2]
    )
    client.force_login(_user(Role.TRAINER))
    response = client.get(reverse("item_statistics_report"), follow=True)
    assert response.status_code == 200
    assert len(_pending()) == 1
    assert [str(m) for m in response.context["messages"]]
