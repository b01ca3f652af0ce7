"""Charts drawn on the server as SVG: no JavaScript, a few hundred bytes a bar, printable.
Each chart sits beside a table of the same numbers (the accessible version); the bars carry
their share as text and a fill pattern as well as a colour, so they read without colour."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 180
BAR_WIDTH = 360
# (share attribute, css class, pattern id)
SEGMENTS = (
    ("all_met", "bar-all", ""),
    ("part_met", "bar-part", "url(#hatch)"),
    ("none_met", "bar-none", "url(#dots)"),
)

DEFS = (
    '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f0b400"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#7a5a00" stroke-width="2"/></pattern>'
    '<pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#c8372d"/><circle cx="3" cy="3" r="1.3" fill="#fff"/>'
    "</pattern></defs>"
)


def _truncate(text: str, length: int = 26) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def compliance_bars(rows, *, scope) -> SafeString:
    """One stacked bar per unit: meeting every requirement, part, none (shares of its staff)."""
    if not rows:
        return SafeString("")
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + 50
    bars = []
    for index, row in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        name = row.unit.name if row.unit else "—"
        if row.unit is not None and row.unit.pk == scope.pk:
            name = _("%(unit)s (own staff)") % {"unit": name}
        x = LABEL_WIDTH
        segments = []
        for attribute, css, pattern in SEGMENTS:
            count = getattr(row, attribute)
            if not count:
                continue
            length = round(BAR_WIDTH * count / row.staff, 1)
            segments.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="{}"{}/>',
                    x,
                    y,
                    length,
                    BAR_HEIGHT,
                    css,
                    format_html(' fill="{}"', pattern) if pattern else "",
                )
            )
            x += length
        bars.append(
            format_html(
                '<g><text x="0" y="{}" class="bar-label">{}</text>{}'
                '<text x="{}" y="{}" class="bar-value">{}%</text></g>',
                y + BAR_HEIGHT - 6,
                _truncate(name),
                SafeString("".join(segments)),
                LABEL_WIDTH + BAR_WIDTH + 6,
                y + BAR_HEIGHT - 6,
                row.all_met_share,
            )
        )
    return format_html(
        '<svg class="report-chart" role="img" aria-labelledby="chart-title" viewBox="0 0 {} {}" '
        'width="{}" height="{}" xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{}'
        "</title>{}{}</svg>",
        width,
        height,
        width,
        height,
        _("Share of staff meeting every requirement, by unit (the table below has the numbers)"),
        SafeString(DEFS),
        format_html_join("", "{}", ((bar,) for bar in bars)),
    )


def trend_columns(points) -> SafeString:
    """One column per month: the share of staff meeting every requirement, labelled with it."""
    if not points:
        return SafeString("")
    column, gap, top, plot = 36, 10, 16, 120
    width = len(points) * (column + gap) + gap
    height = top + plot + 20
    columns = []
    for index, point in enumerate(points):
        share = point.figures.all_met_share
        x = gap + index * (column + gap)
        length = round(plot * share / 100, 1)
        columns.append(
            format_html(
                '<g><rect x="{}" y="{}" width="{}" height="{}" class="bar-all"/>'
                '<text x="{}" y="{}" class="bar-value" text-anchor="middle">{}%</text>'
                '<text x="{}" y="{}" class="bar-label" text-anchor="middle">{}</text></g>',
                x,
                top + plot - length,
                column,
                length,
                x + column / 2,
                top + plot - length - 4,
                share,
                x + column / 2,
                top + plot + 14,
                point.month.strftime("%m/%y"),
            )
        )
    return format_html(
        '<svg class="report-chart" role="img" aria-labelledby="trend-title" viewBox="0 0 {} {}" '
        'width="{}" height="{}" xmlns="http://www.w3.org/2000/svg"><title id="trend-title">{}'
        "</title>{}</svg>",
        width,
        height,
        width,
        height,
        _("Share of staff meeting every requirement, month by month (the table has the numbers)"),
        format_html_join("", "{}", ((c,) for c in columns)),
    )


COVERAGE_DEFS = (
    '<defs><pattern id="cov-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#c8372d"/><circle cx="3" cy="3" r="1.3" fill="#fff"/>'
    "</pattern></defs>"
)


def coverage_bars(per_domain) -> SafeString:
    """One bar per domain: the units where an officer covers it (solid), those where none does
    (dotted), labelled with "covered/units (share %)"."""
    if not per_domain:
        return SafeString("")
    value_width = 110
    height = len(per_domain) * (BAR_HEIGHT + GAP) + GAP
    width = LABEL_WIDTH + BAR_WIDTH + value_width
    bars = []
    for index, item in enumerate(per_domain):
        y = GAP + index * (BAR_HEIGHT + GAP)
        covered = round(BAR_WIDTH * item.covered / item.units, 1) if item.units else 0
        segments = []
        if covered:
            segments.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="bar-all"/>',
                    LABEL_WIDTH,
                    y,
                    covered,
                    BAR_HEIGHT,
                )
            )
        if item.units and covered < BAR_WIDTH:
            segments.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" class="bar-none" '
                    'fill="url(#cov-dots)"/>',
                    LABEL_WIDTH + covered,
                    y,
                    round(BAR_WIDTH - covered, 1),
                    BAR_HEIGHT,
                )
            )
        bars.append(
            format_html(
                '<g data-domain="{}"><text x="0" y="{}" class="bar-label">{}</text>{}'
                '<text x="{}" y="{}" class="bar-value">{}/{} ({}%)</text></g>',
                item.domain.code,
                y + BAR_HEIGHT - 6,
                _truncate(item.domain.shown_name),
                SafeString("".join(segments)),
                LABEL_WIDTH + BAR_WIDTH + 6,
                y + BAR_HEIGHT - 6,
                item.covered,
                item.units,
                item.share,
            )
        )
    return format_html(
        '<svg class="report-chart" role="img" aria-labelledby="coverage-title" '
        'viewBox="0 0 {} {}" width="{}" height="{}" xmlns="http://www.w3.org/2000/svg">'
        '<title id="coverage-title">{}</title>{}{}</svg>',
        width,
        height,
        width,
        height,
        _(
            "Share of units with an officer meeting every requirement of the domain, by domain "
            "(the table below has the numbers)"
        ),
        SafeString(COVERAGE_DEFS),
        format_html_join("", "{}", ((bar,) for bar in bars)),
    )
