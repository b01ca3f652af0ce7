from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Competency reports")

    def ready(self):
        from competencies.signals import competency_records_changed, requirements_changed
        from staff.signals import staff_moved

        from . import handlers

        competency_records_changed.connect(
            handlers.on_competency_records_changed, dispatch_uid="reports_on_records_changed"
        )
        requirements_changed.connect(
            handlers.on_requirements_changed, dispatch_uid="reports_on_requirements_changed"
        )
        staff_moved.connect(handlers.on_staff_moved, dispatch_uid="reports_on_staff_moved")
