"""Downloads of a course's offline pack (HTML or PDF); kept apart from views.py, which serves
the learning flow."""

from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from .models import CoursePage
from .offline import course_offline_pack, course_offline_pack_version


@require_GET
def course_offline_pack_view(request, course_id: int, fmt: str):
    """A live course anyone may read (not a draft, not under a view restriction, whose lessons
    would all be private anyway) as one file; anything else is a 404, as its page would be to
    a visitor. A browser that already holds this version gets a 304."""
    course = get_object_or_404(CoursePage.objects.live().public(), pk=course_id)
    version = course_offline_pack_version(
        course=course, language=translation.get_language(), fmt=fmt
    )
    if version.etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        pack = course_offline_pack(
            course=course, language=version.language, fmt=fmt, version=version
        )
        response = HttpResponse(pack.content, content_type=pack.content_type)
        response["Content-Disposition"] = pack.content_disposition
    response["ETag"] = version.etag
    # the language comes from the visitor's choice (cookie): no shared cache may mix them
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ["Cookie"])
    return response
