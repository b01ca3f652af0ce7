"""Question texts, explanations, options and feedback, authored or imported, keep no image from
another host (a tracking pixel reports who opens an exam question, and when); the site's own
media, its media hosts and the import's embedded files stay."""

import pytest

from assessments.interchange import moodlexml
from assessments.interchange.richtext import sanitize_html
from assessments.services import question_version_create

from .factories import QuestionFactory

PIXEL = '<img src="https://tracker.example/pixel.gif" alt="">'


@pytest.mark.parametrize(
    "src",
    [
        "https://tracker.example/pixel.gif",
        "http://tracker.example/p.gif",
        "//tracker.example/p.gif",
        "HTTPS://TRACKER.EXAMPLE/p.gif",
        "data:image/gif;base64,R0lGODlhAQABAAAAACw=",
    ],
)
def test_an_image_from_elsewhere_is_dropped_from_bank_html(src):
    assert "<img" not in sanitize_html(f'<p>Câu hỏi <img src="{src}" alt="x"></p>')
    assert "Câu hỏi" in sanitize_html(f'<p>Câu hỏi <img src="{src}" alt="x"></p>')


def test_the_sites_own_images_and_embedded_files_stay(settings):
    settings.SITE_URL = "https://nangluc.example.gov.vn"
    settings.MEDIA_HOSTS = ["https://media.nangluc.example.gov.vn"]
    for src in (
        "/media/original_images/co.png",
        "@@PLUGINFILE@@/co.png",
        "https://nangluc.example.gov.vn/media/a.png",
        "https://media.nangluc.example.gov.vn/original_images/a.png",
    ):
        assert f'src="{src}"' in sanitize_html(f'<p><img src="{src}" alt="cờ"></p>'), src


@pytest.mark.django_db
def test_an_authored_stem_and_explanation_keep_no_tracking_pixel():
    question = QuestionFactory()
    version = question_version_create(
        question=question,
        stem=f"<p>Đơn vị đo độ dài là gì? {PIXEL}</p><img src='/media/original_images/t.png'>",
        options=question.current_version.options,
        explanation=f"<p>Mét. {PIXEL}</p>",
    )
    assert "tracker.example" not in version.stem + version.explanation
    assert 'src="/media/original_images/t.png"' in version.stem
    assert "Đơn vị đo độ dài" in version.stem and "Mét." in version.explanation


def test_an_imported_moodle_question_keeps_no_tracking_pixel():
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz><question type="multichoice">'
        "<name><text>Theo dõi</text></name>"
        f'<questiontext format="html"><text><![CDATA[<p>Nội dung {PIXEL}</p>]]></text>'
        "</questiontext><single>true</single>"
        f'<answer fraction="100" format="html"><text><![CDATA[Đúng {PIXEL}]]></text>'
        f"<feedback><text><![CDATA[Giỏi {PIXEL}]]></text></feedback></answer>"
        '<answer fraction="0" format="html"><text>Sai</text></answer>'
        "</question></quiz>"
    ).encode()
    questions = moodlexml.read(xml).questions
    assert len(questions) == 1
    q = questions[0]
    texts = q.stem + "".join(o.get("text", "") + o.get("feedback", "") for o in q.options)
    assert "tracker.example" not in texts
    assert "Nội dung" in q.stem
