from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo data of the embedded mode and its `seed_demo` command; nothing imports it."""

    name = "demo"
    verbose_name = _("Demo data")
