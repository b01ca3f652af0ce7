from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Question bank and exams")

    def ready(self):
        from django.db.models.signals import post_delete

        from .handlers import on_attempt_graded_item_statistics, on_question_version_deleted
        from .signals import attempt_graded

        attempt_graded.connect(
            on_attempt_graded_item_statistics, dispatch_uid="assessments_item_statistics"
        )
        post_delete.connect(
            on_question_version_deleted,
            sender="assessments.QuestionVersion",
            dispatch_uid="assessments_version_cache",
        )
