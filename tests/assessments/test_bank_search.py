"""The question bank and exam listings search ignoring case and Vietnamese diacritics."""

import pytest
from django.urls import reverse

from staff.roles import Role
from staff.services import user_role_grant
from tests.assessments.factories import ExamFactory, QuestionFactory
from tests.staff.factories import UserFactory

pytestmark = pytest.mark.django_db

NAMES = ("Q-CAN", "Q-DONG-HO", "Q-KHAC")


@pytest.fixture
def trainer(roles):
    user = UserFactory(username="giangvien-tim")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


@pytest.fixture
def bank():
    QuestionFactory(name="Q-CAN", version__stem="<p>Theo Luật Đo lường, cân nhóm 2 là gì?</p>")
    QuestionFactory(name="Q-DONG-HO", version__stem="<p>Kiểm định phương tiện đo lường nhóm 2</p>")
    QuestionFactory(name="Q-KHAC", version__stem="<p>Sở hữu trí tuệ</p>")


def _found(client, url_name, query, names=NAMES):
    response = client.get(reverse(url_name), {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    return {name for name in names if name in page}


def test_the_bank_finds_the_same_questions_with_or_without_diacritics(client, trainer, bank):
    client.force_login(trainer)
    found = {q: _found(client, "question:index", q) for q in ("Đo lường", "đo lường", "do luong")}
    assert found == dict.fromkeys(found, {"Q-CAN", "Q-DONG-HO"})
    assert _found(client, "question:index", "LUẬT do luong") == {"Q-CAN"}


@pytest.mark.parametrize("query", ["x" * 5000, "%", "_", "!!!", "\\", "a " * 300])
def test_hostile_queries_do_not_fail(client, trainer, bank, query):
    client.force_login(trainer)
    assert _found(client, "question:index", query) == set() or query == "a " * 300


def test_the_exam_list_search_folds(client, trainer):
    ExamFactory(title="Kiểm tra Đo lường cuối khóa")
    ExamFactory(title="Sở hữu trí tuệ")
    client.force_login(trainer)
    names = ("Kiểm tra Đo lường cuối khóa", "Sở hữu trí tuệ")
    assert _found(client, "exam:index", "DO LUONG", names) == {"Kiểm tra Đo lường cuối khóa"}
    assert _found(client, "exam:index", "so huu", names) == {"Sở hữu trí tuệ"}
