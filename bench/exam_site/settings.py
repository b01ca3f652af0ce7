"""The production settings, with the URLs of this package (the product's plus the ceiling)."""

from lms.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.exam_site.urls"
