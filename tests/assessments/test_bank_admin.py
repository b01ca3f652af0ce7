"""The question bank in the Wagtail admin: list filters and search, the structured form per
type, versions on edit, the inspect view, the workflow buttons and the bulk actions."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from assessments.models import Question
from staff.roles import Role
from staff.services import user_role_grant
from tests.assessments.factories import QuestionFactory
from tests.competencies.factories import CompetencyFactory, DomainFactory
from tests.staff.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(roles):
    user = UserFactory(username="giangvien-a")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


@pytest.fixture
def reviewer(roles):
    user = UserFactory(username="giangvien-b")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


@pytest.fixture
def approver(roles):
    user = UserFactory(username="giangvien-c")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


def _management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _common(competency, **extra) -> dict:
    return {
        "name": "Cân nhóm 2",
        "competency": competency.pk,
        "difficulty": "medium",
        "tags": "cân, chợ",
        "legal_document": "Luật Đo lường số 04/2011/QH13",
        "legal_article": "Điều 16",
        "legal_effective_date": "2012-07-01",
        "stem": rich_text("<p>Cân nào thuộc nhóm 2?</p>"),
        "explanation": rich_text("<p>Theo Thông tư 23/2013.</p>"),
        **extra,
    }


def _post_new(client, qtype: str, data: dict):
    return client.post(reverse("question:add") + f"?type={qtype}", data)


def test_a_trainer_first_chooses_the_type_of_a_new_question(client, trainer):
    client.force_login(trainer)
    page = client.get(reverse("question:add")).content.decode()
    for qtype in Question.Type.values:
        assert f"?type={qtype}" in page


@pytest.mark.parametrize("qtype", Question.Type.values)
def test_the_form_of_each_type_opens_without_a_json_box(client, trainer, qtype):
    client.force_login(trainer)
    response = client.get(reverse("question:add") + f"?type={qtype}")
    assert response.status_code == 200
    assert "JSON" not in response.content.decode()


def test_a_single_choice_question_is_created_as_a_draft_by_its_author(client, trainer):
    competency = CompetencyFactory()
    client.force_login(trainer)
    data = _common(
        competency,
        **_management("options", 3),
        **{
            "options-0-text": "Cân đồng hồ lò xo",
            "options-0-correct": "on",
            "options-0-feedback": "Đúng, cân thông dụng.",
            "options-1-text": "Cân phân tích",
            "options-2-text": "",
        },
    )
    response = _post_new(client, "single", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get(name="Cân nhóm 2")
    assert question.status == Question.Status.DRAFT
    assert question.approved_version is None
    version = question.current_version
    assert version.created_by == trainer
    assert version.options == [
        {
            "key": "a",
            "text": "Cân đồng hồ lò xo",
            "correct": True,
            "feedback": "Đúng, cân thông dụng.",
        },
        {"key": "b", "text": "Cân phân tích", "correct": False},
    ]
    assert question.legal_basis == "Luật Đo lường số 04/2011/QH13, Điều 16 (01/07/2012)"
    assert sorted(question.tags.names()) == ["chợ", "cân"]


def test_a_numeric_question_is_built_from_rows_of_answers_and_units(client, trainer):
    client.force_login(trainer)
    data = _common(
        CompetencyFactory(),
        unit_required="on",
        **_management("numeric-answers", 2),
        **_management("units", 2),
        **{
            "numeric-answers-0-value": "2.5",
            "numeric-answers-0-tolerance": "0.1",
            "numeric-answers-0-fraction": "",
            "units-0-unit": "kg",
            "units-0-multiplier": "1",
            "units-1-unit": "g",
            "units-1-multiplier": "1000",
        },
    )
    assert _post_new(client, "numeric", data).status_code == 302
    version = Question.objects.get().current_version
    assert version.data == {
        "answers": [{"value": 2.5, "tolerance": 0.1, "fraction": 1.0, "feedback": ""}],
        "units": [{"unit": "kg", "multiplier": 1.0}, {"unit": "g", "multiplier": 1000.0}],
        "unit_required": True,
    }


def test_a_matching_question_takes_pairs_and_wrong_answers_one_per_line(client, trainer):
    client.force_login(trainer)
    data = _common(
        CompetencyFactory(),
        distractors="Cấp IV\n\n Cấp V ",
        **_management("pairs", 3),
        **{
            "pairs-0-prompt": "Cân phân tích",
            "pairs-0-answer": "Cấp I",
            "pairs-1-prompt": "Cân kỹ thuật",
            "pairs-1-answer": "Cấp II",
        },
    )
    assert _post_new(client, "matching", data).status_code == 302
    assert Question.objects.get().current_version.data == {
        "pairs": [
            {"key": "p1", "prompt": "Cân phân tích", "answer": "Cấp I"},
            {"key": "p2", "prompt": "Cân kỹ thuật", "answer": "Cấp II"},
        ],
        "distractors": ["Cấp IV", "Cấp V"],
    }


def test_a_short_text_question_keeps_its_comparison_options(client, trainer):
    client.force_login(trainer)
    data = _common(
        CompetencyFactory(),
        ignore_diacritics="on",
        **_management("text-answers", 1),
        **{"text-answers-0-text": "Giấy chứng nhận kiểm định", "text-answers-0-fraction": "1"},
    )
    assert _post_new(client, "shorttext", data).status_code == 302
    data = Question.objects.get().current_version.data
    assert data["ignore_diacritics"] is True and data["case_sensitive"] is False


def test_an_invalid_question_is_refused_with_the_reason_and_nothing_is_written(client, trainer):
    client.force_login(trainer)
    data = _common(
        CompetencyFactory(),
        **_management("options", 2),
        **{"options-0-text": "Một", "options-1-text": "Hai"},  # nothing marked correct
    )
    response = _post_new(client, "single", data)
    assert response.status_code == 200
    assert "Mark at least one option as correct" in response.content.decode() or (
        "ít nhất một" in response.content.decode()
    )
    assert not Question.objects.exists()


def test_editing_the_text_of_an_approved_question_makes_a_draft_version(client, trainer):
    question = QuestionFactory()
    approved = question.current_version
    client.force_login(trainer)
    url = reverse("question:edit", args=[question.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "name": question.name,
        "competency": question.competency.pk,
        "difficulty": question.difficulty,
        "tags": "",
        "legal_document": "",
        "legal_article": "",
        "legal_effective_date": "",
        "stem": rich_text("<p>Câu hỏi đã sửa?</p>"),
        "explanation": rich_text(""),
        "options-TOTAL_FORMS": "3",
        "options-INITIAL_FORMS": "3",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    for i, option in enumerate(approved.options):
        data[f"options-{i}-key"] = option["key"]
        data[f"options-{i}-text"] = option["text"]
        if option["correct"]:
            data[f"options-{i}-correct"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert question.current_version.number == 2
    assert question.current_version.stem == "<p>Câu hỏi đã sửa?</p>"
    assert question.status == Question.Status.DRAFT
    assert question.approved_version == approved  # exams keep drawing v1
    # the same post again changes nothing: no third version
    client.post(url, data)
    question.refresh_from_db()
    assert question.current_version.number == 2


def test_the_inspect_view_shows_versions_history_and_the_next_step(client, trainer, reviewer):
    question = QuestionFactory(status=Question.Status.DRAFT, version__author=trainer)
    client.force_login(reviewer)
    page = client.get(reverse("question:inspect", args=[question.pk])).content.decode()
    assert "v1" in page
    assert 'name="action" value="review"' in page
    client.force_login(trainer)
    page = client.get(reverse("question:inspect", args=[question.pk])).content.decode()
    # the author is not offered the review of their own version
    assert 'name="action" value="review"' not in page


def test_the_workflow_buttons_move_a_question_and_record_who(client, trainer, reviewer, approver):
    question = QuestionFactory(status=Question.Status.DRAFT, version__author=trainer)
    for action, user in (("review", reviewer), ("approve", approver)):
        client.force_login(user)
        response = client.post(
            reverse("question:workflow", args=[question.pk]), {"action": action, "version": 1}
        )
        assert response.url == reverse("question:inspect", args=[question.pk])
    question.refresh_from_db()
    assert question.status == Question.Status.APPROVED
    page = client.get(reverse("question:inspect", args=[question.pk])).content.decode()
    assert reviewer.username in page


def test_a_self_approval_through_the_button_is_refused_with_a_message(client, trainer):
    question = QuestionFactory(status=Question.Status.DRAFT, version__author=trainer)
    client.force_login(trainer)
    response = client.post(
        reverse("question:workflow", args=[question.pk]),
        {"action": "review", "version": 1},
        follow=True,
    )
    question.refresh_from_db()
    assert question.status == Question.Status.DRAFT
    assert response.status_code == 200


def test_a_step_on_a_version_the_reviewer_did_not_see_is_refused(client, trainer, reviewer):
    question = QuestionFactory(status=Question.Status.DRAFT, version__author=trainer)
    client.force_login(reviewer)
    client.post(
        reverse("question:workflow", args=[question.pk]), {"action": "review", "version": 7}
    )
    question.refresh_from_db()
    assert question.status == Question.Status.DRAFT


# --- list ------------------------------------------------------------------------------------


def test_the_list_filters_by_domain_competency_difficulty_status_type_and_tag(client, trainer):
    metrology, ip = DomainFactory(code="MET"), DomainFactory(code="IP")
    met = QuestionFactory(
        name="Q-MET", competency=CompetencyFactory(code="MET-09", domain=metrology)
    )
    met.tags.add("chợ")
    QuestionFactory(
        name="Q-IP",
        competency=CompetencyFactory(code="IP-01", domain=ip),
        difficulty="hard",
        qtype="numeric",
        status=Question.Status.DRAFT,
    )
    client.force_login(trainer)
    url = reverse("question:index")

    def names(**params):
        page = client.get(url, params).content.decode()
        return {name for name in ("Q-MET", "Q-IP") if name in page}

    assert names() == {"Q-MET", "Q-IP"}
    assert names(domain=metrology.pk) == {"Q-MET"}
    assert names(competency=met.competency.pk) == {"Q-MET"}
    assert names(difficulty="hard") == {"Q-IP"}
    assert names(status="draft") == {"Q-IP"}
    assert names(qtype="numeric") == {"Q-IP"}
    assert names(tag=met.tags.get().pk) == {"Q-MET"}
    assert names(q="Q-IP") == {"Q-IP"}


def test_the_list_searches_the_question_text(client, trainer):
    QuestionFactory(name="Một", version__stem="<p>Quả cân chuẩn F1</p>")
    QuestionFactory(name="Hai")
    client.force_login(trainer)
    page = client.get(reverse("question:index"), {"q": "chuẩn F1"}).content.decode()
    assert "Một" in page and ">Hai<" not in page


def test_the_list_offers_the_bulk_actions(client, trainer):
    QuestionFactory()
    client.force_login(trainer)
    page = client.get(reverse("question:index")).content.decode()
    for action in ("review", "approve", "retire"):
        assert reverse("wagtail_bulk_action", args=["assessments", "question", action]) in page
    assert "data-bulk-action-checkbox" in page


# --- bulk actions ----------------------------------------------------------------------------


def _bulk_url(action, *questions):
    ids = "&".join(f"id={q.pk}" for q in questions)
    return reverse("wagtail_bulk_action", args=["assessments", "question", action]) + "?" + ids


def test_bulk_review_skips_ones_own_versions_and_says_why(client, trainer, reviewer):
    theirs = QuestionFactory(status=Question.Status.DRAFT, version__author=trainer)
    mine = QuestionFactory(status=Question.Status.DRAFT, version__author=reviewer)
    client.force_login(reviewer)
    url = _bulk_url("review", theirs, mine)
    confirm = client.get(url).content.decode()
    assert theirs.name in confirm and mine.name in confirm
    response = client.post(url)
    assert response.status_code == 302
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.status == Question.Status.REVIEWED
    assert mine.status == Question.Status.DRAFT


def test_bulk_approve_and_retire(client, trainer, reviewer, approver):
    questions = QuestionFactory.create_batch(
        2, status=Question.Status.DRAFT, version__author=trainer
    )
    client.force_login(reviewer)
    client.post(_bulk_url("review", *questions))
    client.force_login(approver)
    client.post(_bulk_url("approve", *questions))
    for question in questions:
        question.refresh_from_db()
        assert question.status == Question.Status.APPROVED
        assert question.approved_version == question.current_version
    client.post(_bulk_url("retire", *questions))
    for question in questions:
        question.refresh_from_db()
        assert question.status == Question.Status.RETIRED
        assert question.approved_version is None


def test_bulk_actions_need_the_permission(client, trainer, roles):
    from django.contrib.auth.models import Permission

    question = QuestionFactory(status=Question.Status.REVIEWED)
    user = UserFactory()
    user_role_grant(user=user, role=Role.TRAINER)
    user.user_permissions.clear()
    # a trainer without the approve permission (taken away from the group for this test)

    group = user.groups.get()
    group.permissions.remove(Permission.objects.get(codename="approve_question"))
    client.force_login(user)
    response = client.post(_bulk_url("approve", question))
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    question.refresh_from_db()
    assert question.status == Question.Status.REVIEWED


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.OFFICER])
def test_hr_and_officers_never_reach_the_question_bank(client, roles, role):
    question = QuestionFactory(status=Question.Status.REVIEWED)
    user = UserFactory()
    user_role_grant(user=user, role=role)
    client.force_login(user)
    for url in (
        reverse("question:index"),
        reverse("question:add"),
        reverse("question:edit", args=[question.pk]),
        reverse("question:inspect", args=[question.pk]),
        _bulk_url("approve", question),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert question.name not in response.content.decode()
    client.post(
        reverse("question:workflow", args=[question.pk]), {"action": "approve", "version": 1}
    )
    client.post(_bulk_url("approve", question))
    question.refresh_from_db()
    assert question.status == Question.Status.REVIEWED


def _post_data_of(form) -> dict:
    """What the browser would post back for an unbound QuestionForm, unchanged."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            value = getattr(form.instance, name, None)
        if name in ("stem", "explanation"):
            data[name] = rich_text(value or "")
        elif name == "tags":
            data[name] = ", ".join(form.instance.tags.names())
        elif hasattr(value, "pk"):
            data[name] = value.pk
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for formset in form.answer_formsets.values():
        management = formset.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{formset.prefix}-{name}"] = management.initial.get(name, 0)
        for row in formset.forms:
            for name in row.fields:
                value = row.initial.get(name)
                if value is True:
                    data[f"{row.prefix}-{name}"] = "on"
                elif value not in (None, False):
                    data[f"{row.prefix}-{name}"] = value
    return data


@pytest.mark.parametrize("qtype", Question.Type.values)
def test_saving_the_edit_form_unchanged_adds_no_version_for_any_type(client, trainer, qtype):
    from assessments.bank_forms import QuestionForm

    question = QuestionFactory(qtype=qtype, version__explanation="<p>Giải thích</p>")
    question.tags.add("chợ")
    client.force_login(trainer)
    url = reverse("question:edit", args=[question.pk])
    assert client.get(url).status_code == 200
    data = _post_data_of(QuestionForm(instance=question, for_user=trainer))
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert question.versions.count() == 1
    assert question.status == Question.Status.APPROVED


def test_bulk_select_all_applies_to_the_filtered_listing_only(client, trainer, reviewer):
    hard = QuestionFactory(status=Question.Status.DRAFT, difficulty="hard", version__author=trainer)
    easy = QuestionFactory(status=Question.Status.DRAFT, difficulty="easy", version__author=trainer)
    client.force_login(reviewer)
    url = reverse("wagtail_bulk_action", args=["assessments", "question", "review"])
    client.post(url + "?id=all&difficulty=hard")
    hard.refresh_from_db()
    easy.refresh_from_db()
    assert (hard.status, easy.status) == (Question.Status.REVIEWED, Question.Status.DRAFT)


def test_the_reviewer_approving_through_the_button_is_refused_with_a_message(
    client, trainer, reviewer
):
    question = QuestionFactory(status=Question.Status.DRAFT, version__author=trainer)
    client.force_login(reviewer)
    url = reverse("question:workflow", args=[question.pk])
    client.post(url, {"action": "review", "version": 1})
    page = client.get(reverse("question:inspect", args=[question.pk])).content.decode()
    assert 'name="action" value="approve"' not in page  # not offered to the reviewer
    response = client.post(url, {"action": "approve", "version": 1}, follow=True)
    assert "Bạn đã thẩm định phiên bản này của câu hỏi nên người khác phải phê duyệt." in (
        response.content.decode()
    )
    question.refresh_from_db()
    assert question.status == Question.Status.REVIEWED
