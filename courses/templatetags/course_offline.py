"""Template helpers for the course offline pack and its links on the course page."""

from django import template
from django.utils import translation

from courses.offline import absolute_url, course_offline_pack_sizes

register = template.Library()


register.filter("absolute_url", absolute_url)


@register.simple_tag
def offline_pack_sizes(course) -> dict[str, int]:
    """Sizes of the course's last generated packs (format → bytes), from one cache read."""
    return course_offline_pack_sizes(course=course, language=translation.get_language())
