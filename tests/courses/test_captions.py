"""A lesson video's captions: a WebVTT track made from its transcript (or its timed captions),
served to whoever may read the lesson and to nobody else."""

import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents import get_document_model
from wagtail.models import Locale, PageViewRestriction

from courses.blocks import LessonBodyBlock, VideoBlock
from courses.captions import MAX_LINE, mp4_duration
from courses.models import LessonPage
from tests.courses.factories import (
    CourseIndexPageFactory,
    CoursePageFactory,
    LessonPageFactory,
    site_home,
)
from tests.staff.factories import StaffRecordFactory

pytestmark = pytest.mark.django_db

DEMO_VIDEO = Path(__file__).resolve().parents[2] / "demo/assets/videos/met-kiem-tra-can.mp4"
TIMING = re.compile(r"^(\d{2}):(\d{2}):(\d{2})\.(\d{3}) --> (\d{2}):(\d{2}):(\d{2})\.(\d{3})$")
TRANSCRIPT = (
    "<p>Kiểm tra nhanh một chiếc cân. Một, xem tem và hạn kiểm định. Hai, cân thử bằng quả "
    "cân chuẩn. Ba, sai quá giới hạn thì lập biên bản.</p>"
)


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def mp4(seconds: float, *, header_last: bool = False) -> bytes:
    """A minimal MP4: the movie header says `seconds` (timescale 1000); the media data comes
    first when `header_last`, as in a file not prepared for streaming."""
    mvhd = box(b"mvhd", b"\x00\x00\x00\x00" + struct.pack(">IIII", 0, 0, 1000, int(seconds * 1000)))
    parts = [box(b"ftyp", b"isom\x00\x00\x02\x00"), box(b"moov", mvhd), box(b"mdat", b"\0" * 4096)]
    if header_last:
        parts = [parts[0], parts[2], parts[1]]
    return b"".join(parts)


def video_document(name="bai-giang.mp4", content: bytes | None = None):
    content = mp4(12) if content is None else content
    return get_document_model().objects.create(
        title=name, file=SimpleUploadedFile(name, content), file_size=len(content)
    )


def video_value(document, **overrides) -> dict:
    return {
        "title": "Kiểm tra nhanh một chiếc cân",
        "video": document.pk,
        "transcript": TRANSCRIPT,
        "low_bandwidth": None,
        "poster": None,
        "captions": "",
        **overrides,
    }


def publish_body(lesson: LessonPage, *blocks) -> LessonPage:
    lesson.body = LessonBodyBlock().to_python([{"type": t, "value": v} for t, v in blocks])
    lesson.save_revision().publish()
    return LessonPage.objects.get(pk=lesson.pk)


def video_id(lesson: LessonPage) -> str:
    return next(b.id for b in lesson.body if b.block_type == "video")


class Tracks(HTMLParser):
    """The <track> elements found inside a <video>, with their attributes."""

    def __init__(self):
        super().__init__()
        self.in_video, self.tracks = False, []

    def handle_starttag(self, tag, attrs):
        if tag == "video":
            self.in_video = True
        elif tag == "track" and self.in_video:
            self.tracks.append(dict(attrs))

    def handle_endtag(self, tag):
        if tag == "video":
            self.in_video = False


def tracks_of(response) -> list[dict]:
    assert response.status_code == 200
    parser = Tracks()
    parser.feed(response.content.decode())
    return parser.tracks


def cues_of(body: str) -> list[tuple[float, float, list[str]]]:
    """(start, end, lines) of each cue; fails on anything that is not a WebVTT cue."""
    assert body.startswith("WEBVTT\n\n")
    cues = []
    for chunk in body[len("WEBVTT\n\n") :].strip("\n").split("\n\n"):
        identifier, timing, *lines = chunk.split("\n")
        assert identifier.isdigit(), chunk
        match = TIMING.match(timing)
        assert match, timing
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(g) for g in match.groups())
        start = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000
        end = h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
        assert end > start and lines and all(line.strip() for line in lines), chunk
        cues.append((start, end, lines))
    return cues


@pytest.fixture
def course():
    index = CourseIndexPageFactory(parent=site_home())
    return CoursePageFactory(parent=index, slug="khoa-1")


@pytest.fixture
def lesson(course):
    return publish_body(
        LessonPageFactory(parent=course, slug="kiem-tra-can"),
        ("paragraph", "<p>Mở đầu.</p>"),
        ("video", video_value(video_document())),
    )


def captions_url(client, lesson) -> str:
    (track,) = tracks_of(client.get(lesson.url))
    return track["src"]


# --- the track ---------------------------------------------------------------------------------


def test_the_lesson_video_has_a_vietnamese_captions_track_on_by_default(lesson, client):
    (track,) = tracks_of(client.get(lesson.url))
    assert track["kind"] == "captions"
    assert (track["srclang"], track["label"]) == ("vi", "Tiếng Việt")
    assert "default" in track
    path, _, version = track["src"].partition("?v=")
    assert path == f"/learn/lessons/{lesson.pk}/captions/{video_id(lesson)}.vtt"
    assert version == str(lesson.live_revision_id)


def test_an_english_translation_s_track_is_english_from_its_own_transcript(lesson, client):
    english = Locale.objects.get(language_code="en")
    course = lesson.get_parent()
    for page in (course.get_parent().get_parent(), course.get_parent(), course):
        if page.get_translation_or_none(english) is None:
            page.specific.copy_for_translation(english).save_revision().publish()
    copy = lesson.copy_for_translation(english)
    copy.save_revision().publish()
    body = copy.body.raw_data
    video = next(item for item in body if item["type"] == "video")
    video["value"]["transcript"] = "<p>Checking a scale quickly. One, look at the stamp.</p>"
    copy.body = LessonBodyBlock().to_python(list(body))
    copy.save_revision().publish()
    copy = LessonPage.objects.get(pk=copy.pk)

    (track,) = tracks_of(client.get(copy.url))
    assert (track["srclang"], track["label"]) == ("en", "English")
    assert f"/learn/lessons/{copy.pk}/captions/" in track["src"]
    text = " ".join(" ".join(lines) for _s, _e, lines in cues_of(client.get(track["src"]).text))
    assert text == "Checking a scale quickly. One, look at the stamp."
    # the Vietnamese lesson keeps its Vietnamese captions
    assert "Kiểm tra nhanh" in client.get(captions_url(client, lesson)).text


# --- the WebVTT ------------------------------------------------------------------------------


def test_the_captions_are_the_transcript_spread_over_the_video(lesson, client):
    response = client.get(captions_url(client, lesson))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/vtt; charset=utf-8"
    cues = cues_of(response.content.decode())
    assert [" ".join(lines) for _s, _e, lines in cues] == [
        "Kiểm tra nhanh một chiếc cân.",
        "Một, xem tem và hạn kiểm định.",
        "Hai, cân thử bằng quả cân chuẩn.",
        "Ba, sai quá giới hạn thì lập biên bản.",
    ]
    # one after another from the start to the end of the 12-second video
    assert cues[0][0] == 0 and cues[-1][1] == 12
    assert all(a[1] == b[0] for a, b in zip(cues, cues[1:], strict=False))


def test_the_video_s_length_is_read_wherever_its_header_sits():
    assert DEMO_VIDEO.exists()
    with DEMO_VIDEO.open("rb") as f:
        assert 5 < mp4_duration(f) < 20  # the demo's 9-second slideshow
    document = video_document(content=mp4(75.5, header_last=True))
    with document.file.open("rb") as f:
        assert mp4_duration(f) == 75.5
    with video_document(content=b"not a video at all").file.open("rb") as f:
        assert mp4_duration(f) is None


def test_without_the_video_s_length_cues_run_at_a_reading_pace(course, client):
    long_sentence = (
        "Khi kiểm tra tại chợ, cán bộ mang theo quả cân chuẩn còn hạn kiểm định, mẫu biên bản, "
        "danh sách hộ kinh doanh, và báo trước cho ban quản lý chợ để được hỗ trợ."
    )
    lesson = publish_body(
        LessonPageFactory(parent=course),
        (
            "video",
            video_value(
                video_document("bai-giang.webm", b"\x1a\x45\xdf\xa3 webm"),
                transcript=f"<p>{long_sentence}</p><ul><li>Một.</li><li>Hai.</li></ul>",
            ),
        ),
    )
    cues = cues_of(client.get(captions_url(client, lesson)).text)
    # a long sentence is cut into cues of at most two phone-sized lines, nothing lost
    assert all(len(lines) <= 2 and all(len(x) <= MAX_LINE for x in lines) for *_t, lines in cues)
    assert " ".join(" ".join(lines) for *_t, lines in cues) == f"{long_sentence} Một. Hai."
    assert len(cues) >= 3
    assert all(end - start >= 1.5 for start, end, _lines in cues)
    assert all(a[1] == b[0] for a, b in zip(cues, cues[1:], strict=False))


def test_timed_captions_are_served_as_timed(course, client):
    timed = (
        "WEBVTT\n\nNOTE do giảng viên nhập\n\n1\n00:00:00.500 --> 00:00:03.000 align:start\n"
        "<i>Kiểm tra</i> nhanh\nmột chiếc cân\n\n2\n00:00:03,000 --> 00:00:07,250\n"
        "Một, xem tem.\n"
    )
    lesson = publish_body(
        LessonPageFactory(parent=course), ("video", video_value(video_document(), captions=timed))
    )
    cues = cues_of(client.get(captions_url(client, lesson)).text)
    assert cues == [
        (0.5, 3.0, ["Kiểm tra nhanh", "một chiếc cân"]),
        (3.0, 7.25, ["Một, xem tem."]),
    ]


@pytest.mark.parametrize(
    ("captions", "line"),
    [
        ("WEBVTT\n\n00:00:01.000 -> 00:00:02.000\nXin chào\n", 3),
        ("1\n00:00:05.000 --> 00:00:02.000\nNgược\n", 2),
        ("00:00:01.000 --> 00:00:02.000\n\n00:00:03.000 --> 00:00:04.000\nHai\n", 1),
    ],
)
def test_timed_captions_that_cannot_be_read_are_refused_with_their_line(captions, line):
    block = VideoBlock()
    value = block.to_python(video_value(video_document(), captions=captions))
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(value)
    assert error.value.block_errors["captions"].messages[0].startswith(f"Dòng {line}: ")


def test_cue_text_is_plain_escaped_text_that_cannot_forge_a_cue(course, client):
    transcript = (
        "<p>Bước 1 --&gt; bước 2 &amp; <b>in đậm</b> &lt;script&gt;alert(1)&lt;/script&gt;</p>"
        "<p>00:00:00.000 --&gt; 00:09:59.000</p>"
    )
    timed = "00:00:00.000 --> 00:00:02.000\n<script>x</script>A --> B & <c>C</c>\n"
    bodies = []
    for captions in ("", timed):
        lesson = publish_body(
            LessonPageFactory(parent=course),
            ("video", video_value(video_document(), transcript=transcript, captions=captions)),
        )
        bodies.append(client.get(captions_url(client, lesson)).text)
    transcript_vtt, timed_vtt = bodies
    for body in bodies:
        cue_lines = [x for x in body.split("\n") if x and not TIMING.match(x)]
        assert "<" not in body and not any("-->" in x for x in cue_lines)
    assert len(cues_of(transcript_vtt)) == 2  # the forged timing is a cue's text, escaped
    assert "Bước 1 --&gt; bước 2 &amp; in đậm &lt;script&gt;alert(1)&lt;/script&gt;" in (
        transcript_vtt.replace("\n", " ")
    )
    assert "00:00:00.000 --&gt; 00:09:59.000" in transcript_vtt
    assert cues_of(timed_vtt) == [(0.0, 2.0, ["xA --&gt; B &amp; C"])]


# --- who gets them -------------------------------------------------------------------------


def test_a_public_lesson_s_captions_are_public_like_the_lesson(lesson, client):
    url = captions_url(client, lesson)
    assert client.get(url).status_code == 200


def test_a_lesson_for_signed_in_officers_keeps_its_captions_from_anonymous_visitors(lesson, client):
    url = captions_url(client, lesson)
    PageViewRestriction.objects.create(
        page=lesson.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )
    assert client.get(url).status_code == 404
    client.force_login(StaffRecordFactory().user)
    assert client.get(url).status_code == 200


def test_a_lesson_for_one_group_keeps_its_captions_from_other_officers(lesson, client):
    url = captions_url(client, lesson)
    group = Group.objects.create(name="Cán bộ đo lường")
    restriction = PageViewRestriction.objects.create(
        page=lesson, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    insider, other = StaffRecordFactory(), StaffRecordFactory()
    insider.user.groups.add(group)
    client.force_login(other.user)
    assert client.get(lesson.url).status_code != 200  # the lesson itself is refused
    assert client.get(url).status_code == 404
    client.force_login(insider.user)
    assert client.get(url).status_code == 200


def test_a_lesson_that_is_not_live_has_no_captions(lesson, client):
    url = captions_url(client, lesson)
    lesson.unpublish()
    client.force_login(StaffRecordFactory().user)
    assert client.get(url).status_code == 404


def test_a_block_that_is_not_one_of_the_lesson_s_videos_has_no_captions(lesson, course, client):
    other = publish_body(LessonPageFactory(parent=course), ("video", video_value(video_document())))
    paragraph_id = next(b.id for b in lesson.body if b.block_type == "paragraph")
    for lesson_id, block_id in (
        (lesson.pk, "00000000-0000-4000-8000-000000000000"),
        (lesson.pk, paragraph_id),
        (lesson.pk, video_id(other)),  # another lesson's video
        (other.pk + 1000, video_id(other)),
    ):
        response = client.get(f"/learn/lessons/{lesson_id}/captions/{block_id}.vtt")
        assert response.status_code == 404, (lesson_id, block_id)


# --- caching and cost ------------------------------------------------------------------------


def test_captions_are_private_cacheable_and_revalidate_with_a_304(lesson, client):
    url = captions_url(client, lesson)
    response = client.get(url)
    cache_control = {x.strip() for x in response["Cache-Control"].split(",")}
    assert "private" in cache_control and any(x.startswith("max-age=") for x in cache_control)
    assert response["ETag"] and response["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content

    # a new transcript, published: a new track URL and a new version of the file
    lesson = publish_body(
        lesson, ("video", video_value(video_document(), transcript="<p>Lời mới.</p>"))
    )
    new_url = captions_url(client, lesson)
    assert new_url != url
    changed = client.get(new_url, HTTP_IF_NONE_MATCH=response["ETag"])
    assert changed.status_code == 200 and "Lời mới." in changed.text


def test_serving_captions_takes_a_few_queries(lesson, client, django_assert_max_num_queries):
    url = captions_url(client, lesson)
    # the lesson, its ancestors and their view restrictions (Wagtail's own check, as for the
    # page), the video file
    with django_assert_max_num_queries(4):
        assert client.get(url).status_code == 200
    client.force_login(StaffRecordFactory().user)
    # and the session and its user
    with django_assert_max_num_queries(6):
        assert client.get(url).status_code == 200


def test_a_lesson_with_many_videos_serves_each_one_s_captions_as_cheaply(
    course, client, django_assert_max_num_queries
):
    transcripts = [f"<p>Đoạn {i}.</p>" for i in range(6)]
    lesson = publish_body(
        LessonPageFactory(parent=course),
        *(("video", video_value(video_document(), transcript=t)) for t in transcripts),
    )
    tracks = tracks_of(client.get(lesson.url))
    assert len(tracks) == len(transcripts)
    for track, transcript in zip(tracks, transcripts, strict=True):
        with django_assert_max_num_queries(4):
            body = client.get(track["src"]).text
        assert cues_of(body)[0][2] == [transcript[3:-4]]
