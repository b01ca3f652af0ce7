from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from competencies.signals import competency_records_changed, requirements_changed

        from .handlers import on_competency_records_changed, on_requirements_changed

        competency_records_changed.connect(
            on_competency_records_changed, dispatch_uid="courses_on_competency_records_changed"
        )
        requirements_changed.connect(
            on_requirements_changed, dispatch_uid="courses_on_requirements_changed"
        )
