from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Question bank and exams")

    def ready(self):
        from .handlers import on_attempt_graded_item_statistics
        from .signals import attempt_graded

        attempt_graded.connect(
            on_attempt_graded_item_statistics, dispatch_uid="assessments_item_statistics"
        )
