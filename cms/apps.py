from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _cache_table_create(sender, using, verbosity=1, **kwargs):
    """The embedded mode keeps its cache (and allauth's rate limits) in a database table: make
    it with the other tables, so `migrate` alone is enough to run the site."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = _("Site pages")

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_cache_table_create, sender=self, dispatch_uid="cms_cache_table")
