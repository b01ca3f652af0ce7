from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from assessments.signals import attempt_graded
        from competencies.signals import competency_records_changed, requirements_changed
        from courses.signals import course_completed

        from .handlers import (
            on_attempt_graded,
            on_competency_records_changed,
            on_course_completed,
            on_requirements_changed,
        )

        attempt_graded.connect(on_attempt_graded, dispatch_uid="certificates_on_attempt_graded")
        course_completed.connect(
            on_course_completed, dispatch_uid="certificates_on_course_completed"
        )
        competency_records_changed.connect(
            on_competency_records_changed,
            dispatch_uid="certificates_on_competency_records_changed",
        )
        requirements_changed.connect(
            on_requirements_changed, dispatch_uid="certificates_on_requirements_changed"
        )
