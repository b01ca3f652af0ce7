"""Importing question files into the bank: the real Moodle files through the command, dry run,
all or nothing, re-import, images, sanitising, and the admin screens."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection

from assessments.bank_import import COLLECTION_NAME, bank_import_apply, bank_import_preview
from assessments.models import Question, QuestionVersion
from staff.roles import Role
from staff.services import user_role_grant
from tests.competencies.factories import CompetencyFactory
from tests.staff.factories import UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "moodle"


@pytest.fixture
def competency(db):
    return CompetencyFactory(code="MET-01")


def run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_questions", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def bank_state():
    return sorted(
        (q.name, q.qtype, q.competency_id, q.difficulty, q.status, q.current_version_id)
        for q in Question.objects.all()
    )


EXPECTED = {
    # file: (questions imported, names skipped)
    "gift-examples.txt": (43, set()),
    "questions.gift.txt": (8, {"Q8"}),
    "questions_in_category.gift.txt": (4, set()),
    "questions_encoding_windows-1252.gift.txt": (1, {"asdf", "test daniel"}),
    "multichoice.xml": (1, set()),
    "truefalse.xml": (2, set()),
    "nested_categories_with_questions.xml": (4, {"Kappa Essay Question"}),
    "sample_questions_with_old_image_tag.xml": (1, {"cloze question with image"}),
    "html_chars_in_idnumbers.xml": (1, set()),
    "broken_cloze_questions.xml": (0, None),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_moodle_file_through_the_command(name, competency):
    imported, skipped = EXPECTED[name]
    code, out, err = run(DATA / name, "--competency", "MET-01", "--difficulty", "medium")
    assert code == 0, err
    assert Question.objects.count() == imported
    assert set(Question.objects.values_list("status", flat=True)) <= {"draft"}
    for skipped_name in skipped or ():
        assert skipped_name in out
    # re-importing the same file changes nothing
    before = bank_state()
    versions = QuestionVersion.objects.count()
    code, out, err = run(DATA / name, "--competency", "MET-01", "--difficulty", "medium")
    assert code == 0, err
    assert bank_state() == before
    assert QuestionVersion.objects.count() == versions


def test_windows_1252_file_is_read_and_noticed(competency):
    code, out, _err = run(
        DATA / "questions_encoding_windows-1252.gift.txt",
        "--competency",
        "MET-01",
        "--difficulty",
        "easy",
    )
    assert code == 0
    question = Question.objects.get()
    assert question.qtype == "matching"
    assert "essay" in out  # the two essays, reported with their type


def test_invalid_grades_fail_with_exit_1_and_write_nothing(competency):
    code, _out, err = run(
        DATA / "error_invalid_grades.xml", "--competency", "MET-01", "--difficulty", "easy"
    )
    assert code == 1
    assert "Question with invalid grades" in err
    assert Question.objects.count() == 0


def test_dry_run_writes_nothing(competency):
    code, out, _err = run(
        DATA / "gift-examples.txt", "--dry-run", "--competency", "MET-01", "--difficulty", "easy"
    )
    assert code == 0
    assert "43" in out
    assert Question.objects.count() == 0


def test_without_a_default_competency_every_question_is_an_error(competency):
    code, _out, err = run(DATA / "truefalse.xml", "--difficulty", "easy")
    assert code == 1
    assert "Moodle acronym (False)" in err and "Moodle acronym (True)" in err
    assert Question.objects.count() == 0


GIFT_ONE_BAD = """// [tag:competency:MET-01] [tag:difficulty:easy]
::Tốt::Câu hỏi tốt {=Đúng ~Sai}

// [tag:competency:XYZ-99] [tag:difficulty:easy]
::Mã lạ::Câu hỏi có mã năng lực lạ {=Có ~Không}
"""


def test_an_unknown_competency_code_is_an_error_and_nothing_is_written(competency, tmp_path):
    path = tmp_path / "bad.gift.txt"
    path.write_text(GIFT_ONE_BAD, encoding="utf-8")
    plan = bank_import_preview(data=path.read_bytes(), filename=path.name)
    assert [e.code for e in plan.errors] == ["unknown_competency"]
    assert [e.name for e in plan.errors] == ["Mã lạ"]
    code, _out, err = run(path)
    assert code == 1
    assert "XYZ-99" in err
    assert Question.objects.count() == 0


def test_codes_in_the_file_win_over_defaults(competency, tmp_path):
    other = CompetencyFactory(code="RAD-02")
    path = tmp_path / "ok.gift.txt"
    path.write_text(GIFT_ONE_BAD.split("\n\n")[0] + "\n", encoding="utf-8")
    code, _out, err = run(path, "--competency", "RAD-02", "--difficulty", "hard")
    assert code == 0, err
    question = Question.objects.get()
    assert question.competency == competency != other
    assert question.difficulty == "easy"


def test_images_are_stored_once_and_urls_replace_plugin_files(competency):
    code, _out, err = run(DATA / "truefalse.xml", "--competency", "MET-01", "--difficulty", "easy")
    assert code == 0, err
    collection = Collection.objects.get(name=COLLECTION_NAME)
    images = get_image_model().objects.filter(collection=collection)
    # logo and infos are shared by the two questions and stored once
    assert images.count() == 4
    for question in Question.objects.select_related("current_version"):
        version = question.current_version
        texts = [version.stem, version.explanation] + [
            o["text"] + o.get("feedback", "") for o in version.options
        ]
        assert "@@PLUGINFILE@@" not in "".join(texts)
        assert any(image.file.url in "".join(texts) for image in images)


def test_images_in_options_survive(competency):
    code, _out, err = run(
        DATA / "multichoice.xml", "--competency", "MET-01", "--difficulty", "easy"
    )
    assert code == 0, err
    version = Question.objects.get().current_version
    assert all("<img" in o["text"] for o in version.options)
    assert all("/media/" in o["text"] for o in version.options)


def test_script_is_stripped_from_imported_html(competency, tmp_path):
    path = tmp_path / "x.gift.txt"
    path.write_text(
        "::XSS::[html]<p>Chọn</p><script>alert(1)</script> "
        "{=<b>Đúng</b><script>alert(2)</script> ~<img src\\=x onerror\\=alert(3)>Sai}\n",
        encoding="utf-8",
    )
    code, _out, err = run(path, "--competency", "MET-01", "--difficulty", "easy")
    assert code == 0, err
    version = Question.objects.get().current_version
    everything = version.stem + str(version.options)
    assert "script" not in everything and "onerror" not in everything
    assert "<b>Đúng</b>" in everything


def test_a_changed_file_adds_versions_as_drafts(competency, tmp_path):
    path = tmp_path / "q.gift.txt"
    path.write_text("::Cân::Cân nào đúng? {=A ~B}\n", encoding="utf-8")
    assert run(path, "--competency", "MET-01", "--difficulty", "easy")[0] == 0
    question = Question.objects.get()
    question.status = Question.Status.APPROVED
    question.approved_version = question.current_version
    question.save()
    path.write_text("::Cân::Cân nào đúng? {=A ~C}\n", encoding="utf-8")
    assert run(path, "--competency", "MET-01", "--difficulty", "easy")[0] == 0
    question.refresh_from_db()
    assert Question.objects.count() == 1
    assert question.versions.count() == 2
    assert question.status == Question.Status.DRAFT
    assert question.approved_version.number == 1


def test_idnumber_matches_even_when_renamed(competency, tmp_path):
    xml = (DATA / "html_chars_in_idnumbers.xml").read_text(encoding="utf-8")
    path = tmp_path / "a.xml"
    path.write_text(xml, encoding="utf-8")
    assert run(path, "--competency", "MET-01", "--difficulty", "easy")[0] == 0
    path.write_text(xml.replace("Alpha Question", "Alpha renamed"), encoding="utf-8")
    assert run(path, "--competency", "MET-01", "--difficulty", "easy")[0] == 0
    assert Question.objects.count() == 1


def test_an_error_while_saving_writes_nothing(competency, monkeypatch):
    from assessments import bank_import

    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise bank_import.PayloadError(["boom"])
        return original(**kwargs)

    original = bank_import.question_create
    monkeypatch.setattr(bank_import, "question_create", failing)
    code, _out, err = run(
        DATA / "gift-examples.txt", "--competency", "MET-01", "--difficulty", "easy"
    )
    assert code == 1
    assert Question.objects.count() == 0


def test_plain_options_are_escaped_once(competency):
    from assessments.bank_html import bank_html, html_to_input, input_to_html
    from assessments.services import question_create

    question = question_create(
        name="Ký tự",
        qtype="single",
        competency=competency,
        difficulty="easy",
        stem="<p>Chọn</p>",
        options=[
            {"key": "a", "text": "A & B", "correct": True},
            {"key": "b", "text": "x < 5", "correct": False},
        ],
    )
    options = question.current_version.options
    assert [o["text"] for o in options] == ["A &amp; B", "x &lt; 5"]
    assert str(bank_html("A & B")) == "A &amp; B"  # legacy plain value
    assert str(bank_html("A &amp; B")) == "A &amp; B"
    assert html_to_input("A &amp; B") == "A & B"
    assert input_to_html(html_to_input("A &amp; B")) == "A &amp; B"
    img = '<img src="/media/x.png" alt="">'
    assert input_to_html(html_to_input(img)) == img


def test_service_preview_counts(competency):
    data = (DATA / "questions.gift.txt").read_bytes()
    plan = bank_import_preview(
        data=data,
        filename="questions.gift.txt",
        default_competency=competency,
        default_difficulty="easy",
    )
    assert plan.ok
    assert plan.counts["create"] == 8 and plan.counts["skipped"] == 1
    bank_import_apply(
        data=data,
        filename="questions.gift.txt",
        default_competency=competency,
        default_difficulty="easy",
    )
    plan = bank_import_preview(
        data=data,
        filename="questions.gift.txt",
        default_competency=competency,
        default_difficulty="easy",
    )
    assert plan.counts["unchanged"] == 8


# --- admin ------------------------------------------------------------------------------------


@pytest.fixture
def trainer(roles):
    user = UserFactory(username="giangvien-import")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


def test_admin_flow_as_a_trainer(client, trainer, competency):
    client.force_login(trainer)
    response = client.get(reverse("question_imports:upload"))
    assert response.status_code == 200
    with open(DATA / "questions.gift.txt", "rb") as handle:
        response = client.post(
            reverse("question_imports:upload"),
            {"file": handle, "competency": competency.pk, "difficulty": "medium"},
        )
    assert response.status_code == 302
    preview_url = response["Location"]
    response = client.get(preview_url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Q8" in content  # the essay, skipped with its reason
    assert Question.objects.count() == 0
    token = response.context["token"]
    response = client.post(reverse("question_imports:confirm"), {"token": token})
    assert response.status_code == 302
    assert Question.objects.count() == 8
    assert set(Question.objects.values_list("status", flat=True)) == {"draft"}
    author = QuestionVersion.objects.values_list("created_by", flat=True).distinct()
    assert list(author) == [trainer.pk]
    # confirming twice changes nothing and says the file was already imported
    response = client.post(reverse("question_imports:confirm"), {"token": token}, follow=True)
    assert response.status_code == 200
    assert "This file has already been imported" in response.content.decode() or (
        "Tệp này đã được nhập" in response.content.decode()
    )
    assert Question.objects.count() == 8
    response = client.get(preview_url, follow=True)
    assert response.status_code == 200 and "Tệp này đã được nhập" in response.content.decode()
    response = client.get(reverse("question_imports:template"))
    assert response.status_code == 200
    assert response.content.startswith(b"PK")


def test_admin_preview_lists_errors_and_refuses_confirm(client, trainer, competency):
    client.force_login(trainer)
    with open(DATA / "error_invalid_grades.xml", "rb") as handle:
        response = client.post(
            reverse("question_imports:upload"),
            {"file": handle, "competency": competency.pk, "difficulty": "medium"},
        )
    response = client.get(response["Location"])
    assert "Question with invalid grades" in response.content.decode()
    assert not response.context["can_confirm"]
    client.post(reverse("question_imports:confirm"), {"token": response.context["token"]})
    assert Question.objects.count() == 0


def test_a_forged_token_is_refused(client, trainer):
    client.force_login(trainer)
    response = client.get(reverse("question_imports:preview") + "?token=forged")
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.HR_OFFICER, Role.OFFICER])
def test_hr_and_officers_are_refused(client, roles, role):
    user = UserFactory(username=f"u-{role}")
    user_role_grant(user=user, role=role)
    client.force_login(user)
    for name in ("upload", "template", "preview"):
        response = client.get(reverse(f"question_imports:{name}"))
        assert response.status_code in (302, 403)
    response = client.get(reverse("question_imports:export") + "?format=gift")
    assert response.status_code in (302, 403)


def test_an_admin_edit_that_does_not_touch_imported_html_keeps_it(client, trainer, competency):
    from django import forms
    from wagtail.test.utils.form_data import rich_text

    from assessments.bank_forms import QuestionForm
    from tests.assessments.test_bank_admin import _post_data_of

    code, _out, err = run(
        DATA / "multichoice.xml", "--competency", "MET-01", "--difficulty", "easy"
    )
    assert code == 0, err
    question = Question.objects.get()
    before = question.current_version.options
    client.force_login(trainer)
    url = reverse("question:edit", args=[question.pk])
    assert client.get(url).status_code == 200
    form = QuestionForm(instance=question, for_user=trainer)
    texts = {name: form.initial.get(name) or "" for name in ("stem", "explanation")}
    form.initial.update(stem="", explanation="")
    data = _post_data_of(form)
    for name, value in texts.items():
        # imported markup Draftail cannot keep (a link, an image) is edited as raw HTML
        if isinstance(form.fields[name].widget, forms.Textarea):
            data[name] = value
        else:
            data[name] = rich_text(value)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    # (an empty explanation comes back from Draftail as "<p></p>": the form's concern)
    first = question.versions.order_by("number").first()
    assert question.current_version.options == before
    assert question.current_version.stem == first.stem
    assert "<img" in before[0]["text"]
