from django import template

from assessments.item_statistics import MIN_ATTEMPTS_FOR_FLAGS

register = template.Library()


@register.filter
def statistic_for(statistics: dict, version):
    """The ItemStatistic of a version from a {version id: statistic} mapping, or None."""
    return (statistics or {}).get(version.pk)


@register.simple_tag
def item_statistics_min_attempts() -> int:
    return MIN_ATTEMPTS_FOR_FLAGS
