"""Finding a lesson video's captions for whoever may read the lesson: the lookup beside the
caption rules (captions.py), which the blocks use and so must not import the models."""

import hashlib
import json
from dataclasses import dataclass

from django.http import Http404
from wagtail.documents import get_document_model

from .captions import FORMAT_VERSION, video_captions, webvtt
from .models import LessonPage


@dataclass(frozen=True)
class LessonCaptions:
    lesson: object  # the LessonPage
    value: dict  # the video block's stored value
    document: object  # the video file, or None

    @property
    def etag(self) -> str:
        document = self.document
        facts = [
            FORMAT_VERSION,
            self.lesson.pk,
            json.dumps(self.value, sort_keys=True, default=str),
            document.pk if document else None,
            document.file.name if document else None,
            document.file_hash if document else None,
        ]
        digest = hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()[:32]
        return f'"{digest}"'

    @property
    def last_modified(self):
        return self.lesson.last_published_at

    def render(self) -> str:
        return webvtt(video_captions(value=self.value, document=self.document))


def lesson_captions_get(*, lesson_id: int, block_id: str, request) -> LessonCaptions:
    """A live lesson's video block, for whoever may see the lesson (its view restrictions and
    its ancestors': login, groups, password); anything else does not exist for them (404).
    Four queries: the lesson, its ancestors and their restrictions (Wagtail's own check, as
    for the page, aliases included), the video file."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404
    if any(not r.accept_request(request) for r in lesson.get_view_restrictions()):
        raise Http404
    # the stored form: no chooser value (poster, low-bandwidth file) is loaded for nothing
    item = next(
        (
            item
            for item in lesson.body.raw_data
            if item.get("type") == "video" and str(item.get("id")) == str(block_id)
        ),
        None,
    )
    if item is None or not isinstance(item.get("value"), dict):
        raise Http404
    value = item["value"]
    document = None
    if value.get("video"):
        document = get_document_model().objects.filter(pk=value["video"]).first()
    return LessonCaptions(lesson=lesson, value=value, document=document)
