from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles_after_last_app(sender, **kwargs):
    # Permissions are created app by app during post_migrate; the role groups can only be
    # completed once the last app has its permissions.
    if sender is list(apps.get_app_configs())[-1]:
        from .services import roles_sync

        roles_sync()


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = _("Organisation and staff")

    def ready(self):
        post_migrate.connect(_sync_roles_after_last_app, dispatch_uid="staff_roles_sync")

        from allauth.account.signals import password_reset
        from allauth.mfa.signals import authenticator_added

        from .accounts import email_verify_on_password_reset
        from .two_factor import record_second_factor_on_activation

        password_reset.connect(
            email_verify_on_password_reset, dispatch_uid="staff_email_verified_on_password_reset"
        )
        authenticator_added.connect(
            record_second_factor_on_activation, dispatch_uid="staff_second_factor_on_activation"
        )
