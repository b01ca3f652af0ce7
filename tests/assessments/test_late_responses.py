"""Late answers (issue 16, item 22): a response file the officer's device made after the
deadline plus the grace, encrypted to the server and bound to the attempt; a trainer accepts
(re-grade) or rejects it; the attempt is not counted as used while it waits."""

import json
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from assessments.late_responses import (
    LateResponseError,
    late_response_accept,
    late_response_receive,
    late_response_reject,
    response_file_encrypt,
)
from assessments.models import Attempt, LateResponse
from assessments.services import (
    AssessmentError,
    attempt_save_answer,
    attempt_start,
    attempts_close_overdue,
)
from competencies.models import CompetencyRecord
from staff.roles import Role
from staff.services import user_role_grant
from tests.assessments.tokens import item_token
from tests.conftest import correct_response
from tests.staff.factories import StaffRecordFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # the services' messages are matched in their English source text
    with translation.override("en"):
        yield


def _close_overdue(attempt) -> Attempt:
    now = timezone.now()
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=now - timedelta(hours=1), deadline=now - timedelta(minutes=10)
    )
    attempts_close_overdue()
    return Attempt.objects.get(pk=attempt.pk)


def _right_fields(item) -> list[list[str]]:
    return [["answer", item_token(item, key)] for key in correct_response(item)]


@pytest.fixture
def closed(world):
    """An attempt with its first answer saved, the other four held offline past the deadline."""
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    first = attempt.items.select_related("question_version").get(position=1)
    attempt_save_answer(attempt=attempt, item=first, response=correct_response(first), seq=1)
    attempt = _close_overdue(attempt)
    assert attempt.status == Attempt.Status.GRADED and not attempt.passed
    return attempt


def _held(attempt) -> list[dict]:
    device_ms = int(time.time() * 1000) - 11 * 60 * 1000  # the device says: before the deadline
    return [
        {"p": item.position, "seq": 1 + item.position, "t": device_ms, "f": _right_fields(item)}
        for item in attempt.items.select_related("question_version").filter(position__gt=1)
    ]


def _file(attempt, answers=None) -> bytes:
    return response_file_encrypt(
        attempt=attempt, answers=_held(attempt) if answers is None else answers, made_ms=1
    )


@pytest.fixture
def trainer(roles):
    user = UserFactory(username="giangvien")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


# --- services ------------------------------------------------------------------------------


def test_a_valid_file_waits_for_a_decision_with_the_device_times(closed, world):
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    assert late.status == LateResponse.Status.PENDING
    assert [a["position"] for a in late.answers] == [2, 3, 4, 5]
    assert all(a["readable"] and a["device_time"] for a in late.answers)
    assert late.received_at <= timezone.now()
    # nothing changed on the attempt yet
    assert Attempt.objects.get(pk=closed.pk).passed is False


def test_accepting_applies_the_answers_and_regrades_with_the_grading_triggers(
    closed, world, trainer
):
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    late = late_response_accept(late_response=late, user=trainer)
    attempt = Attempt.objects.get(pk=closed.pk)
    assert (late.status, late.applied_count) == (LateResponse.Status.ACCEPTED, 4)
    assert attempt.passed is True and attempt.score_percent == 100
    assert attempt.submitted_at == closed.submitted_at  # the submission time stays
    assert CompetencyRecord.objects.filter(evidence_ref=f"attempt:{attempt.pk}").count() == 1
    assert attempt.staff.certificates.count() == 1
    entry = ModelLogEntry.objects.get(action="assessments.late_response.accept")
    assert entry.user_id == trainer.pk and entry.data["applied"] == 4


def test_accepting_twice_changes_nothing(closed, trainer):
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    late_response_accept(late_response=late, user=trainer)
    again = late_response_accept(late_response=late, user=trainer)
    assert again.applied_count == 4
    assert CompetencyRecord.objects.filter(evidence_ref=f"attempt:{closed.pk}").count() == 1
    assert closed.staff.certificates.count() == 1
    assert ModelLogEntry.objects.filter(action="assessments.late_response.accept").count() == 1


def test_an_answer_not_newer_than_the_saved_one_is_not_applied(closed, trainer):
    first = closed.items.select_related("question_version").get(position=1)
    wrong = [
        ["answer", item_token(first, o["key"])]
        for o in first.question_version.options
        if not o["correct"]
    ][:1]
    late = late_response_receive(
        attempt=closed,
        data=_file(closed, [{"p": 1, "seq": 1, "t": 1, "f": wrong}]),
        uploaded_by=None,
    )
    late = late_response_accept(late_response=late, user=trainer)
    assert late.applied_count == 0
    assert closed.items.get(position=1).response == correct_response(first)


def test_the_same_file_brought_twice_is_one_submission(closed, trainer):
    data = _file(closed)
    first = late_response_receive(attempt=closed, data=data, uploaded_by=None)
    again = late_response_receive(attempt=closed, data=data, uploaded_by=trainer)
    assert first.pk == again.pk and LateResponse.objects.count() == 1


def test_a_second_different_file_while_one_waits_is_refused(closed):
    late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    with pytest.raises(LateResponseError, match="already waiting"):
        late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)


def test_a_file_changed_after_it_was_made_is_refused(closed):
    envelope = json.loads(_file(closed))
    ct = bytearray(envelope["ct"].encode())
    ct[10] = ord("A") if ct[10] != ord("A") else ord("B")
    envelope["ct"] = ct.decode()
    with pytest.raises(LateResponseError, match="changed after it was made"):
        late_response_receive(attempt=closed, data=json.dumps(envelope).encode(), uploaded_by=None)
    assert not LateResponse.objects.exists()


def test_a_file_of_another_attempt_is_refused_even_renamed(closed, world):
    other_staff = StaffRecordFactory(
        org_unit=world.officer.org_unit, position=world.officer.position
    )
    other = _close_overdue(attempt_start(exam=world.exam, staff=other_staff))
    data = _file(other)
    with pytest.raises(LateResponseError, match="another attempt"):
        late_response_receive(attempt=closed, data=data, uploaded_by=None)
    # the envelope relabelled for this attempt: the key and the token do not fit
    envelope = json.loads(data)
    envelope["attempt"] = closed.pk
    with pytest.raises(LateResponseError, match="does not belong"):
        late_response_receive(attempt=closed, data=json.dumps(envelope).encode(), uploaded_by=None)
    assert not LateResponse.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\xff\xfe garbage",
        b"[1, 2, 3]",
        b'{"format": "lms-late-response", "v": 1, "attempt": "1"}',
        b"[" * 100_000,
        b'{"format": "lms-late-response", "v": 1, "attempt": 1, "epk": 5, "iv": "", "ct": ""}',
        b"x" * (300 * 1024),
    ],
)
def test_garbage_is_refused_with_a_message_and_writes_nothing(closed, data):
    with pytest.raises(LateResponseError) as error:
        late_response_receive(attempt=closed, data=data, uploaded_by=None)
    assert error.value.message
    assert not LateResponse.objects.exists()


def test_a_file_with_a_hostile_answer_list_is_refused(closed):
    hostile = [{"p": 99, "seq": 1, "t": 1, "f": []}]
    with pytest.raises(LateResponseError):
        late_response_receive(attempt=closed, data=_file(closed, hostile), uploaded_by=None)
    hostile = [{"p": 2, "seq": 2**40, "t": 1, "f": []}]
    with pytest.raises(LateResponseError):
        late_response_receive(attempt=closed, data=_file(closed, hostile), uploaded_by=None)


def test_an_unreadable_answer_is_kept_but_never_applied(closed, trainer):
    late = late_response_receive(
        attempt=closed,
        data=_file(closed, [{"p": 2, "seq": 5, "t": 1, "f": [["answer", "not-a-token"]]}]),
        uploaded_by=None,
    )
    assert late.answers[0]["readable"] is False and late.answers[0]["error"]
    assert late_response_accept(late_response=late, user=trainer).applied_count == 0


def test_rejecting_needs_a_reason_and_keeps_the_result(closed, trainer):
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    with pytest.raises(LateResponseError):
        late_response_reject(late_response=late, user=trainer, reason="  ")
    late = late_response_reject(late_response=late, user=trainer, reason="Nộp quá muộn")
    assert late.status == LateResponse.Status.REJECTED
    assert Attempt.objects.get(pk=closed.pk).passed is False
    with pytest.raises(LateResponseError):
        late_response_accept(late_response=late, user=trainer)


def test_an_attempt_is_not_counted_as_used_while_its_late_answers_wait(closed, world, trainer):
    world.exam.max_attempts = 1
    world.exam.save()
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    with pytest.raises(AssessmentError, match="waiting for a trainer"):
        attempt_start(exam=world.exam, staff=world.officer)
    late_response_reject(late_response=late, user=trainer, reason="Không chấp nhận")
    # decided: now it counts, and the one attempt allowed is used
    with pytest.raises(AssessmentError, match="used all the attempts"):
        attempt_start(exam=world.exam, staff=world.officer)


def test_a_pending_attempt_does_not_start_the_waiting_time(closed, world, trainer):
    world.exam.max_attempts = 3
    world.exam.cooldown_minutes = 60
    world.exam.save()
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    late_response_accept(late_response=late, user=trainer)
    # accepted (and passed): it counts again, cool-down from its submission
    with pytest.raises(AssessmentError, match="retake the exam after"):
        attempt_start(exam=world.exam, staff=world.officer)


def test_a_file_for_an_attempt_still_open_is_refused(world):
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    with pytest.raises(LateResponseError, match="still open"):
        late_response_receive(attempt=attempt, data=_file(attempt), uploaded_by=None)


# --- views ---------------------------------------------------------------------------------


def _upload_url(attempt) -> str:
    return reverse("assessments:late_response_upload", args=[attempt.pk])


def _post_file(client, url, data: bytes, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        url, {"file": SimpleUploadedFile("tra-loi.json", data, "application/json")}, **extra
    )


def test_the_officer_sends_her_own_file_from_the_result_page(closed, world, client):
    client.force_login(world.officer.user)
    response = _post_file(
        client, _upload_url(closed), _file(closed), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and response.json()["sent"] is True
    page = client.get(reverse("assessments:result", args=[closed.pk])).content.decode()
    assert "waiting for a trainer" in page or "chờ" in page
    assert LateResponse.objects.get().uploaded_by == world.officer.user


def test_a_bad_file_from_the_officer_gets_a_message_never_a_500(closed, world, client):
    client.force_login(world.officer.user)
    response = _post_file(client, _upload_url(closed), b"garbage", HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and response.json()["error"]
    response = _post_file(client, _upload_url(closed), b"garbage")
    assert response.status_code == 302
    assert not LateResponse.objects.exists()


def test_another_officer_cannot_send_a_file_for_an_attempt_not_hers(closed, world, client):
    other = StaffRecordFactory(org_unit=world.officer.org_unit)
    client.force_login(other.user)
    assert _post_file(client, _upload_url(closed), _file(closed)).status_code == 404
    assert not LateResponse.objects.exists()


def test_the_result_page_gives_the_device_what_it_needs_for_the_file(closed, world, client):
    client.force_login(world.officer.user)
    page = client.get(reverse("assessments:result", args=[closed.pk])).content.decode()
    assert "data-late" in page and "js/late.js" in page
    assert 'data-key="' in page and 'data-token="' in page


def test_a_trainer_uploads_reads_and_accepts_in_the_admin(closed, trainer, client):
    client.force_login(trainer)
    response = _post_file(client, reverse("late_responses:upload"), _file(closed))
    late = LateResponse.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("late_responses:detail", args=[late.pk])
    page = client.get(response["Location"]).content.decode()
    assert page.count("<tr>") >= 5  # one row per answer
    client.post(response["Location"], {"action": "accept"})
    assert Attempt.objects.get(pk=closed.pk).passed is True
    assert client.get(reverse("late_responses:index")).status_code == 200


def test_a_trainer_rejects_with_a_reason_the_officer_then_sees(closed, world, trainer, client):
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    client.force_login(trainer)
    url = reverse("late_responses:detail", args=[late.pk])
    assert client.post(url, {"action": "reject", "reason": ""}).status_code == 200
    client.post(url, {"action": "reject", "reason": "Mất kết nối không được xác nhận"})
    assert LateResponse.objects.get().status == LateResponse.Status.REJECTED
    client.force_login(world.officer.user)
    page = client.get(reverse("assessments:result", args=[closed.pk])).content.decode()
    assert "Mất kết nối không được xác nhận" in page


def test_a_trainer_upload_of_garbage_shows_the_error_on_the_form(closed, trainer, client):
    client.force_login(trainer)
    response = _post_file(client, reverse("late_responses:upload"), b"\x00\x01")
    assert response.status_code == 400
    assert not LateResponse.objects.exists()


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.OFFICER])
def test_hr_and_officers_cannot_open_the_late_answers_screens(closed, roles, client, role):
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    user = UserFactory()
    user_role_grant(user=user, role=role)
    client.force_login(user)
    for url in (
        reverse("late_responses:index"),
        reverse("late_responses:upload"),
        reverse("late_responses:detail", args=[late.pk]),
    ):
        assert client.get(url).status_code in (302, 403)
    assert client.post(
        reverse("late_responses:detail", args=[late.pk]), {"action": "accept"}
    ).status_code in (302, 403)
    assert LateResponse.objects.get().status == LateResponse.Status.PENDING


# --- device times of answers saved while the attempt is open --------------------------------


def test_a_save_keeps_the_devices_time_of_the_answer_and_the_servers(world, client):
    client.force_login(world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    item = attempt.items.select_related("question_version").get(position=2)
    given = timezone.now() - timedelta(minutes=7)  # answered offline, sent when the link returned
    url = reverse("assessments:question", args=[attempt.pk, 2])
    fields = dict(_right_fields(item))
    response = client.post(
        url,
        {**fields, "seq": 1, "t": str(int(given.timestamp() * 1000))},
        HTTP_ACCEPT="application/json",
    )
    assert response.json()["saved"] is True
    item.refresh_from_db()
    assert abs((item.answered_at_device - given).total_seconds()) < 1
    assert (timezone.now() - item.saved_at).total_seconds() < 60


@pytest.mark.parametrize("t", ["", "abc", "-5", "9" * 40, "1e30"])
def test_a_garbage_device_time_is_ignored_and_the_answer_saved(world, client, t):
    client.force_login(world.officer.user)
    attempt = attempt_start(exam=world.exam, staff=world.officer)
    item = attempt.items.select_related("question_version").get(position=1)
    url = reverse("assessments:question", args=[attempt.pk, 1])
    response = client.post(
        url, {**dict(_right_fields(item)), "seq": 1, "t": t}, HTTP_ACCEPT="application/json"
    )
    assert response.json()["saved"] is True
    item.refresh_from_db()
    assert item.answered_at_device is None and item.saved_at is not None


def test_the_trainer_sees_when_the_held_answers_were_saved_and_given(closed, trainer, client):
    AttemptItem = closed.items.model
    AttemptItem.objects.filter(attempt=closed, position=1).update(
        answered_at_device=timezone.now() - timedelta(minutes=30)
    )
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    client.force_login(trainer)
    page = client.get(reverse("late_responses:detail", args=[late.pk])).content.decode()
    assert "Câu trả lời máy chủ đang lưu" in page
    assert "trả lời khi mất kết nối, gửi sau" in page


def test_the_exam_and_result_pages_do_not_count_an_attempt_waiting_for_a_decision(
    closed, world, client, trainer
):
    late = late_response_receive(attempt=closed, data=_file(closed), uploaded_by=None)
    client.force_login(world.officer.user)
    pages = (
        reverse("assessments:exam", args=[world.exam.pk]),
        reverse("assessments:result", args=[closed.pk]),
    )
    allowed = world.exam.max_attempts
    for url in pages:
        assert f"Số lần đã làm bài: 0/{allowed}" in client.get(url).content.decode()
    late_response_reject(late_response=late, user=trainer, reason="Không có căn cứ")
    for url in pages:
        assert f"Số lần đã làm bài: 1/{allowed}" in client.get(url).content.decode()
