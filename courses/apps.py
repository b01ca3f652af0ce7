from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail.models import Locale
        from wagtail.signals import copy_for_translation_done

        from competencies.signals import competency_records_changed, requirements_changed
        from staff.signals import staff_moved

        from .handlers import (
            on_competency_records_changed,
            on_copy_for_translation_done,
            on_requirements_changed,
            on_staff_moved,
        )
        from .localisation import locale_ids_cache_clear

        copy_for_translation_done.connect(
            on_copy_for_translation_done, dispatch_uid="courses_on_copy_for_translation_done"
        )
        for signal in (post_save, post_delete):
            signal.connect(
                locale_ids_cache_clear, sender=Locale, dispatch_uid="courses_locale_ids_clear"
            )
        post_migrate.connect(locale_ids_cache_clear, dispatch_uid="courses_locale_ids_clear")

        staff_moved.connect(on_staff_moved, dispatch_uid="courses_on_staff_moved")

        competency_records_changed.connect(
            on_competency_records_changed, dispatch_uid="courses_on_competency_records_changed"
        )
        requirements_changed.connect(
            on_requirements_changed, dispatch_uid="courses_on_requirements_changed"
        )
