"""A lesson video's captions as WebVTT, for the <track> of the video block; kept apart from
views.py, which serves the learning flow."""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_GET

from .captions_lookup import lesson_captions_get

# The track's URL names the lesson's live revision (courses/blocks.py): a republished lesson is
# a new URL, so a browser may keep these for a day; they are private, as a restricted lesson is.
MAX_AGE = 24 * 3600


@require_GET
def lesson_captions_view(request, lesson_id: int, block_id: str):
    """Whoever may read the lesson gets its video's captions; for anyone else, for a lesson
    that is not live and for a block that is not one of its videos, there are none (404). A
    browser that holds this version gets a 304."""
    captions = lesson_captions_get(lesson_id=lesson_id, block_id=block_id, request=request)
    last_modified = captions.last_modified
    timestamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=captions.etag, last_modified=timestamp)
    if response is None:
        response = HttpResponse(captions.render(), content_type="text/vtt; charset=utf-8")
    response["ETag"] = captions.etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    patch_cache_control(response, private=True, max_age=MAX_AGE)
    return response
