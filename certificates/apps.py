from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from assessments.signals import attempt_graded

        from .handlers import on_attempt_graded

        attempt_graded.connect(on_attempt_graded, dispatch_uid="certificates_on_attempt_graded")
