"""The question-import preview shows what a trainer must check before confirming: each
question's type and difficulty as the bank names them, its competency, its text, its options
with the right one said in words (or the accepted answers and pairs), and what the import does
to it, never the file's codes (`single`, `medium`, `gift`) or an English "Position"."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.bank_import import bank_import_apply
from staff.roles import Role
from staff.services import user_role_grant
from tests.competencies.factories import CompetencyFactory
from tests.screen_text import raw_words, screen_text
from tests.staff.factories import UserFactory

pytestmark = pytest.mark.django_db

GIFT = """\
::Cân chợ::Cân bàn dùng trong mua bán tại chợ thuộc loại phương tiện đo nào?{
=Phương tiện đo nhóm 2
~Phương tiện đo nhóm 1
~Không phải phương tiện đo
}

::Sai số::Sai số cho phép của quả cân 5 g là bao nhiêu miligam?{#5:1}

::Tên giấy::Giấy xác nhận phương tiện đo đạt yêu cầu gọi là gì?{=Giấy chứng nhận kiểm định}

::Ghép đơn vị::Ghép đơn vị với đại lượng.{
=kilôgam -> khối lượng
=mét -> độ dài
=giây -> thời gian
}
"""


@pytest.fixture
def competency(db):
    return CompetencyFactory(code="MET-01", title="Quản lý phương tiện đo nhóm 2")


@pytest.fixture
def trainer(roles):
    user = UserFactory(username="giangvien-preview")
    user_role_grant(user=user, role=Role.TRAINER)
    return user


def preview(client, trainer, competency, text: str, name: str = "bank.gift.txt"):
    client.force_login(trainer)
    upload = SimpleUploadedFile(name, text.encode(), content_type="text/plain")
    response = client.post(
        reverse("question_imports:upload"),
        {"file": upload, "competency": competency.pk, "difficulty": "medium", "format": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    response = client.get(response["Location"])
    assert response.status_code == 200
    return screen_text(response.content.decode())


def test_the_preview_shows_each_question_to_check(client, trainer, competency):
    text = preview(client, trainer, competency, GIFT)
    # type and difficulty as the bank names them, the competency by code and title
    for label in ("Một lựa chọn", "Số (có sai số và đơn vị đo)", "Trả lời ngắn", "Ghép đôi"):
        assert label in text, label
    assert "Trung bình" in text
    assert "MET-01 — Quản lý phương tiện đo nhóm 2" in text
    assert "Định dạng: GIFT" in text
    # each question's text, its options with the key in words, the accepted answers, the pairs
    assert "Cân bàn dùng trong mua bán tại chợ thuộc loại phương tiện đo nào?" in text
    assert "✓ Phương tiện đo nhóm 2 (đáp án đúng)" in text
    assert "Phương tiện đo nhóm 1 (đáp án sai)" in text
    assert "5,0 ± 1,0 → điểm 100%" in text
    assert "Giấy chứng nhận kiểm định → điểm 100%" in text
    assert "kilôgam → khối lượng" in text
    # what the import does, in words
    assert text.count("câu hỏi mới") >= 4
    for raw in ("single", "numeric", "shorttext", "matching", "medium", "create", "gift"):
        assert f" {raw} " not in f" {text} ", raw
    assert not raw_words(text)


def test_the_preview_says_new_version_and_unchanged(client, trainer, competency):
    bank_import_apply(
        data=GIFT.encode(),
        filename="bank.gift.txt",
        default_competency=competency,
        default_difficulty="medium",
    )
    edited = GIFT.replace("{#5:1}", "{#5:2}")
    text = preview(client, trainer, competency, edited)
    assert "phiên bản mới của câu hỏi đã có" in text
    assert "không đổi (đã có trong ngân hàng)" in text
    for raw in ("version", "unchanged"):
        assert f" {raw} " not in f" {text} ", raw


def test_errors_name_the_place_and_the_part_in_words(client, trainer, competency):
    text = preview(client, trainer, competency, "::Trống::{}\n", name="bad.gift.txt")
    assert "Vị trí trong tệp" in text or "Dòng" in text
    assert "Position" not in text
    for raw in (" stem ", " options ", " data ", " competency "):
        assert raw not in f" {text} ", raw
    assert not raw_words(text)
